/** What the privacy and security tests share: real speech, and byte scans of everything the kiosk wrote. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../src-main/core/voice/pcm.js';
import { hasModels, modelsDir } from '../attendance/kiosk-fixture.js';
import { data, hasData } from '../helpers/paths.js';

const manifest = hasModels
  ? (JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { models: Record<string, { file: string; sha256: string }> })
  : { models: {} as Record<string, { file: string; sha256: string }> };

export const manifestSha256 = (id: string): string | undefined => manifest.models[id]?.sha256;

export const hasVoiceModels = ['voice-encoder', 'voice-vad-silero-v5'].every((id) => {
  const entry = manifest.models[id];
  return entry !== undefined && existsSync(join(modelsDir, entry.file));
});

export const gridClip = (speaker: string, clip: string): string => data('av/grid', speaker, `${clip}.wav`);
export const hasGrid = hasData && existsSync(gridClip('s1', 'bbaf2n'));

export function pcmOf(path: string): { pcm: Float32Array; pcmBase64: string; sampleRate: number } {
  const { samples, sampleRate } = decodeWav(new Uint8Array(readFileSync(path)));
  return { pcm: samples, pcmBase64: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64'), sampleRate };
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `count` windows of `size` bytes spread evenly over `bytes` (skipping the first 1 kB of headers). */
export function windowsOf(bytes: Uint8Array, count: number, size = 32): Buffer[] {
  const start = Math.min(1024, Math.floor(bytes.length / 4));
  const step = Math.max(1, Math.floor((bytes.length - start - size) / count));
  return Array.from({ length: count }, (_, i) => Buffer.from(bytes.subarray(start + i * step, start + i * step + size)));
}

/** Little-endian float32 bytes of vector[i], vector[i + 1] for every even i: 8-byte windows of the plain vector. */
export function floatPairs(vector: Float32Array): Buffer[] {
  const pairs: Buffer[] = [];
  for (let i = 0; i + 1 < vector.length; i += 2) {
    const bytes = Buffer.alloc(8);
    bytes.writeFloatLE(vector[i]!, 0);
    bytes.writeFloatLE(vector[i + 1]!, 4);
    pairs.push(bytes);
  }
  return pairs;
}

/** How many of `needles` occur in any of the files. */
export function occurrences(files: readonly string[], needles: readonly Buffer[]): number {
  const contents = files.map((file) => readFileSync(file));
  return needles.filter((needle) => contents.some((content) => content.includes(needle))).length;
}
