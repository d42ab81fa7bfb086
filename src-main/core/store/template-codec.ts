/**
 * Embedding <-> bytes as little-endian float32. Every platform the kiosk ships on (x64, arm64)
 * is little-endian, so the bytes are the Float32Array's own memory; a big-endian host is
 * refused rather than allowed to write vectors other machines would misread.
 */
import { endianness } from 'node:os';

if (endianness() !== 'LE') throw new Error('template storage requires a little-endian host');

export function encodeVector(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
}

/** `bytes.length` must be a multiple of 4 (the caller checks it against the stored dim). */
export function decodeVector(bytes: Uint8Array): Float32Array {
  // The copy also aligns: a Float32Array view needs a byte offset divisible by 4.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
