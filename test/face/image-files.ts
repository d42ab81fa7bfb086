/** Hand-built image files for decoder tests: every byte is written here, so each case is known exactly. */
import { deflateSync } from 'node:zlib';
import { mulberry32Uint32 } from '../../src-main/eval/mulberry32.js';

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

export function pngChunk(type: string, data: Uint8Array | number[]): Uint8Array {
  const body = Uint8Array.from([...type].map((c) => c.charCodeAt(0)).concat(...data));
  return Uint8Array.from([...be32(body.length - 4), ...body, ...be32(crc32(body))]);
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function ihdr(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  return pngChunk('IHDR', [...be32(width), ...be32(height), depth, colorType, 0, 0, interlace]);
}

/** A PNG whose rows (already packed at `depth`) are stored with filter 0. */
export function pngFile(width: number, height: number, depth: number, colorType: number, rows: number[][], extra: Uint8Array[] = []): Uint8Array {
  const raw = Uint8Array.from(rows.flatMap((row) => [0, ...row]));
  return Buffer.concat([
    Uint8Array.from(PNG_SIGNATURE),
    ihdr(width, height, depth, colorType),
    ...extra,
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', []),
  ]);
}

export const ascii = (text: string): Uint8Array => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));

/** An APP1 segment carrying only the EXIF orientation tag (little-endian TIFF). */
export function exifOrientationSegment(orientation: number): Uint8Array {
  const tiff = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0];
  const payload = [...ascii('Exif\0\0'), ...tiff];
  return Uint8Array.from([0xff, 0xe1, ((payload.length + 2) >> 8) & 255, (payload.length + 2) & 255, ...payload]);
}

/** Inserts a segment right after a JPEG's SOI marker. */
export function withSegment(jpeg: Uint8Array, segment: Uint8Array): Uint8Array {
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Deterministic bytes for fuzzing (mulberry32). */
export function randomBytes(seed: number, length: number): Uint8Array {
  const next = mulberry32Uint32(seed);
  return Uint8Array.from({ length }, () => next() & 255);
}
