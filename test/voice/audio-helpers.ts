/** Signal and WAV builders shared by the voice tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { data, repoRoot } from '../helpers/paths.js';

export const SILERO_V5 = join(repoRoot, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx');
export const gridDir = data('av/grid');
export const fsddDir = data('voice/fsdd');
export const hasGrid = existsSync(gridDir);
export const hasFsdd = existsSync(fsddDir);

/** Sorted .wav paths of one speaker folder. */
export function wavFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => join(dir, f));
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

/** Uniform white noise in [-amplitude, amplitude] from a fixed-seed LCG (reproducible). */
export function whiteNoise(samples: number, amplitude: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: samples }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return amplitude * (2 * (s / 2 ** 32) - 1);
  });
}

export function withSilence(signal: Float32Array, before: number, after: number): Float32Array {
  const out = new Float32Array(before + signal.length + after);
  out.set(signal, before);
  return out;
}

export interface WavSpec {
  formatTag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  /** Write WAVE_FORMAT_EXTENSIBLE with this sub-format tag. */
  extensibleSubformat?: number;
  /** Raw sample bytes of the data chunk. */
  data: Uint8Array;
  /** Chunks written between fmt and data, e.g. an odd-sized LIST. */
  extraChunks?: { id: string; body: Uint8Array }[];
}

/** Writes a WAV byte stream field by field, so tests control every header value. */
export function buildWav(spec: WavSpec): Uint8Array {
  const channels = spec.channels ?? 1;
  const bits = spec.bitsPerSample ?? 16;
  const rate = spec.sampleRate ?? 16000;
  const blockAlign = spec.blockAlign ?? (channels * bits) / 8;
  const extensible = spec.extensibleSubformat !== undefined;
  const fmt = new DataView(new ArrayBuffer(extensible ? 40 : 16));
  fmt.setUint16(0, extensible ? 0xfffe : (spec.formatTag ?? 1), true);
  fmt.setUint16(2, channels, true);
  fmt.setUint32(4, rate, true);
  fmt.setUint32(8, rate * blockAlign, true);
  fmt.setUint16(12, blockAlign, true);
  fmt.setUint16(14, bits, true);
  if (extensible) {
    fmt.setUint16(16, 22, true); // cbSize
    fmt.setUint16(18, bits, true); // valid bits
    fmt.setUint32(20, channels === 1 ? 0x4 : 0x3, true); // channel mask
    const guid = [spec.extensibleSubformat!, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    guid.forEach((b, i) => fmt.setUint8(24 + i, b));
  }
  const chunks = [
    chunk('fmt ', new Uint8Array(fmt.buffer)),
    ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body)),
    chunk('data', spec.data),
  ];
  const body = Buffer.concat([ascii('WAVE'), ...chunks]);
  const header = new DataView(new ArrayBuffer(8));
  ascii('RIFF').forEach((b, i) => header.setUint8(i, b));
  header.setUint32(4, body.length, true);
  return Buffer.concat([new Uint8Array(header.buffer), body]);
}

/** 16-bit little-endian PCM bytes of samples in [-1, 1). */
export function int16Bytes(samples: ArrayLike<number>): Uint8Array {
  const view = new DataView(new ArrayBuffer(samples.length * 2));
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, Math.round(samples[i]! * 32768), true);
  return new Uint8Array(view.buffer);
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(8));
  ascii(id).forEach((b, i) => head.setUint8(i, b));
  head.setUint32(4, body.length, true);
  const pad = body.length % 2 === 1 ? [new Uint8Array(1)] : [];
  return Buffer.concat([new Uint8Array(head.buffer), body, ...pad]);
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

