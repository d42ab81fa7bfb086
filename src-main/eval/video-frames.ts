/**
 * Camera bursts cut from video files with ffmpeg: `count` JPEG frames `intervalS` apart from
 * `startS`, as the kiosk's camera would send them. Frames go through a temporary folder that
 * is removed afterwards, never next to the data.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskError } from '../core/errors.js';

export const hasFfmpeg = (): boolean =>
  spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0 && spawnSync('ffprobe', ['-version'], { stdio: 'ignore' }).status === 0;

export interface BurstSpec {
  readonly startS: number;
  readonly count: number;
  readonly intervalS: number;
}

/** JPEG bytes of each frame of the burst; fewer than `count` when the clip ends first. */
export async function extractBurst(video: string, spec: BurstSpec): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-burst-'));
  try {
    await run('ffmpeg', [
      '-v', 'error', '-nostdin', '-y', '-ss', spec.startS.toFixed(3), '-i', video,
      '-vf', `fps=${(1 / spec.intervalS).toFixed(6)}`, '-frames:v', String(spec.count), '-q:v', '3', join(dir, '%03d.jpg'),
    ]);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort();
    return await Promise.all(files.map(async (f) => new Uint8Array(await readFile(join(dir, f)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Duration of the video stream in seconds. */
export async function videoDuration(video: string): Promise<number> {
  const out = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration', '-of', 'csv=p=0', video]);
  const seconds = Number(out.trim());
  if (!(seconds > 0)) throw new KioskError('INVALID_INPUT', `${video}: no video duration (${out.trim()})`, { path: video });
  return seconds;
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (cause) => reject(new KioskError('RUNTIME_ERROR', `${command} cannot run: ${cause.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new KioskError('RUNTIME_ERROR', `${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}
