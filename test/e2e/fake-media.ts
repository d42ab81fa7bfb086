/**
 * Real talking-head clips → the two files Chromium's fake devices play in a loop: a .y4m for
 * the camera (640x480 4:3 like a webcam, 25 fps, 4:2:0) and a 48 kHz mono 16-bit .wav for the
 * microphone. Several clips of one person can be joined into one file, so the shots and
 * phrases taken from it at different moments come from different recordings.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface FakeMedia {
  readonly video: string;
  readonly audio: string;
}

export const hasFfmpeg = (): boolean => spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;

/** `clips` are paths without extension: each has a .mp4 and a .wav beside it. */
export async function fakeMedia(outDir: string, name: string, clips: readonly string[]): Promise<FakeMedia> {
  const video = join(outDir, `${name}.y4m`);
  const audio = join(outDir, `${name}.wav`);
  const n = clips.length;
  // Fill 640x480 by scaling up and cropping the overflow (no black bars), then join.
  const scale = clips.map((_, i) => `[${i}:v]scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=25,setsar=1[v${i}]`);
  const videoGraph = `${scale.join(';')};${clips.map((_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0,format=yuv420p[v]`;
  const audioGraph = `${clips.map((_, i) => `[${i}:a]`).join('')}concat=n=${n}:v=0:a=1,aresample=48000[a]`;
  await Promise.all([
    ffmpeg([...clips.flatMap((c) => ['-i', `${c}.mp4`]), '-filter_complex', videoGraph, '-map', '[v]', '-f', 'yuv4mpegpipe', video]),
    ffmpeg([...clips.flatMap((c) => ['-i', `${c}.wav`]), '-filter_complex', audioGraph, '-map', '[a]', '-ac', '1', '-c:a', 'pcm_s16le', audio]),
  ]);
  return { video, audio };
}

function ffmpeg(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-v', 'error', '-y', '-nostdin', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${args.join(' ')} exited with ${code}: ${stderr}`))));
  });
}
