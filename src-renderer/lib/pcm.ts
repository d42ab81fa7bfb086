/** Float32 PCM helpers: the wire format of `clock.voice` / `admin.enroll.voice` and the level meter. */

/** Samples as base64 of their little-endian float32 bytes, whatever the host's byte order. */
export function float32ToBase64LE(samples: Float32Array): string {
  const bytes = new Uint8Array(samples.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setFloat32(i * 4, samples[i] ?? 0, true);
  let binary = '';
  const CHUNK = 0x8000; // keeps String.fromCharCode's argument list small
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function concatSamples(chunks: readonly Float32Array[], limit = Infinity): Float32Array {
  const total = Math.min(
    limit,
    chunks.reduce((n, c) => n + c.length, 0),
  );
  const out = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= total) break;
    const part = chunk.subarray(0, total - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** RMS on a 60 dB scale mapped to 0..1 for a meter (-60 dBFS and below is empty). */
export function meterLevel(rmsValue: number): number {
  if (rmsValue <= 0) return 0;
  const db = 20 * Math.log10(rmsValue);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
