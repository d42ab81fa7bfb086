/**
 * Decoding of the binary payloads that travel as base64 in the contract. The schemas already
 * limit the length and the alphabet; this adds what a regex cannot see (length a multiple of
 * 4, PCM a whole number of float32 samples) so a malformed payload is an INVALID_INPUT, never
 * silently truncated bytes.
 */
import { KioskError } from '../core/errors.js';

export function decodeBase64(text: string, field: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new KioskError('INVALID_INPUT', `${field} is not valid base64`, { field });
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) throw new KioskError('EMPTY_INPUT', `${field} is empty`, { field });
  return bytes;
}

/** Little-endian float32 samples, copied into their own aligned buffer. */
export function decodeFloat32(text: string, field: string): Float32Array {
  const bytes = decodeBase64(text, field);
  if (bytes.length % 4 !== 0) {
    throw new KioskError('INVALID_INPUT', `${field} must hold whole float32 samples (a multiple of 4 bytes)`, { field });
  }
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}
