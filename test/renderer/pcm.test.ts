import { describe, expect, it } from 'vitest';
import { concatSamples, float32ToBase64LE, meterLevel, rms } from '../../src-renderer/lib/pcm.js';

describe('PCM wire format', () => {
  it('encodes samples as little-endian float32 bytes in base64', () => {
    const samples = new Float32Array([0, 1, -1, 0.5, -0.25, 1e-3]);
    const bytes = Buffer.from(float32ToBase64LE(samples), 'base64');
    expect(bytes.length).toBe(samples.length * 4);
    // Independent decoding with Node's Buffer reader.
    const decoded = Array.from({ length: samples.length }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(Array.from(samples));
    // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f.
    expect([...bytes.subarray(4, 8)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('encodes a long recording (more than one chunk of the encoder) losslessly', () => {
    const samples = new Float32Array(48_000 * 3.5).map((_, i) => Math.sin(i / 7) * 0.3);
    const bytes = Buffer.from(float32ToBase64LE(samples), 'base64');
    // Byte-for-byte equal to the samples' own buffer (this machine is little-endian, like every kiosk target).
    expect(bytes.equals(Buffer.from(samples.buffer))).toBe(true);
  });

  it('joins chunks and cuts at the limit', () => {
    const out = concatSamples([new Float32Array([1, 2, 3]), new Float32Array([4, 5]), new Float32Array([6])], 4);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(Array.from(concatSamples([new Float32Array([1]), new Float32Array([2])]))).toEqual([1, 2]);
  });

  it('measures RMS and maps it onto a 60 dB meter', () => {
    expect(rms(new Float32Array([3, -4]))).toBeCloseTo(Math.sqrt(12.5), 6);
    expect(rms(new Float32Array(0))).toBe(0);
    expect(meterLevel(1)).toBe(1); // 0 dBFS
    expect(meterLevel(0.001)).toBeCloseTo(0, 6); // -60 dBFS
    expect(meterLevel(10 ** (-30 / 20))).toBeCloseTo(0.5, 6); // -30 dBFS
    expect(meterLevel(0)).toBe(0);
    expect(meterLevel(1e-6)).toBe(0);
  });
});
