import { describe, expect, it } from 'vitest';
import { isKioskError, type KioskErrorCode } from '../../src-main/core/errors.js';
import { decodeWav, validatePcm } from '../../src-main/core/voice/pcm.js';
import { buildWav, fsddDir, gridDir, hasFsdd, hasGrid, int16Bytes, readBytes, wavFiles } from './audio-helpers.js';

function codeOf(fn: () => unknown): KioskErrorCode | string {
  try {
    fn();
  } catch (e) {
    return isKioskError(e) ? e.code : `not a KioskError: ${String(e)}`;
  }
  return 'no error';
}

function bytesOf(write: (view: DataView) => void, length: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(length));
  write(view);
  return new Uint8Array(view.buffer);
}

describe('decodeWav: sample formats', () => {
  it('scales 16-bit PCM by 1/32768', () => {
    const wav = buildWav({ data: bytesOf((v) => [16384, -32768, 32767, -1].forEach((s, i) => v.setInt16(2 * i, s, true)), 8) });
    const { samples, sampleRate } = decodeWav(wav);
    expect(sampleRate).toBe(16000);
    expect(Array.from(samples)).toEqual([0.5, -1, 32767 / 32768, -1 / 32768].map(Math.fround));
  });

  it('reads 8-bit PCM as unsigned around 128', () => {
    const wav = buildWav({ bitsPerSample: 8, data: Uint8Array.from([128, 192, 0, 64]) });
    expect(Array.from(decodeWav(wav).samples)).toEqual([0, 0.5, -1, -0.5]);
  });

  it('reads 24-bit PCM little-endian with sign extension', () => {
    // 0x400000 = 2^22 -> 0.5; 0xC00000 = -2^22 -> -0.5; 0x000001 -> 2^-23
    const wav = buildWav({ bitsPerSample: 24, data: Uint8Array.from([0, 0, 0x40, 0, 0, 0xc0, 1, 0, 0]) });
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.5, -0.5, 2 ** -23].map(Math.fround));
  });

  it('reads 32-bit PCM by 1/2^31', () => {
    const wav = buildWav({ bitsPerSample: 32, data: bytesOf((v) => (v.setInt32(0, -(2 ** 30), true), v.setInt32(4, 2 ** 29, true)), 8) });
    expect(Array.from(decodeWav(wav).samples)).toEqual([-0.5, 0.25]);
  });

  it('reads 32-bit float samples as they are', () => {
    const wav = buildWav({ formatTag: 3, bitsPerSample: 32, data: bytesOf((v) => (v.setFloat32(0, 0.125, true), v.setFloat32(4, -0.75, true)), 8) });
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.125, -0.75]);
  });

  it('averages the channels of stereo and multi-channel files to mono', () => {
    // frames (L, R): (0.5, -0.25), (1/4, 1/4)
    const stereo = buildWav({ channels: 2, data: int16Bytes([0.5, -0.25, 0.25, 0.25]) });
    expect(Array.from(decodeWav(stereo).samples)).toEqual([0.125, 0.25]);
    const six = buildWav({ channels: 6, data: int16Bytes([0.5, 0.5, 0.5, -0.25, -0.25, -0.25]) });
    expect(Array.from(decodeWav(six).samples)).toEqual([0.125]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format', () => {
    const pcm = buildWav({ extensibleSubformat: 1, sampleRate: 48000, data: int16Bytes([0.5, -0.5]) });
    expect(decodeWav(pcm)).toEqual({ samples: Float32Array.from([0.5, -0.5]), sampleRate: 48000 });
    const float = buildWav({ extensibleSubformat: 3, bitsPerSample: 32, data: bytesOf((v) => v.setFloat32(0, 0.375, true), 4) });
    expect(Array.from(decodeWav(float).samples)).toEqual([0.375]);
  });

  it('skips unknown chunks, honouring the pad byte after an odd-sized one', () => {
    const wav = buildWav({ extraChunks: [{ id: 'LIST', body: Uint8Array.from([1, 2, 3]) }], data: int16Bytes([0.25]) });
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.25]);
  });

  it('takes the bytes present when a streaming writer left the data size unset', () => {
    const wav = buildWav({ data: int16Bytes([0.5, 0.25]) });
    new DataView(wav.buffer).setUint32(wav.length - 8, 0xffffffff, true); // the data chunk's size field
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.5, 0.25]);
  });
});

describe('decodeWav: bad files get typed errors', () => {
  const good = (): Uint8Array => buildWav({ data: int16Bytes([0.1, 0.2]) });

  it('zero bytes -> EMPTY_INPUT', () => {
    expect(codeOf(() => decodeWav(new Uint8Array(0)))).toBe('EMPTY_INPUT');
  });
  it('a data chunk without a single frame -> EMPTY_INPUT', () => {
    expect(codeOf(() => decodeWav(buildWav({ data: new Uint8Array(0) })))).toBe('EMPTY_INPUT');
  });
  it('a corrupt RIFF header -> CORRUPT_AUDIO', () => {
    const wav = good();
    wav.set([0x58, 0x58, 0x58, 0x58], 0); // "XXXX" instead of "RIFF"
    expect(codeOf(() => decodeWav(wav))).toBe('CORRUPT_AUDIO');
  });
  it('bytes that are not audio at all -> CORRUPT_AUDIO', () => {
    expect(codeOf(() => decodeWav(new TextEncoder().encode('<html>not a wav</html>')))).toBe('CORRUPT_AUDIO');
  });
  it('a file cut inside its format chunk -> CORRUPT_AUDIO', () => {
    expect(codeOf(() => decodeWav(good().subarray(0, 30)))).toBe('CORRUPT_AUDIO');
  });
  it('a file without a data chunk -> CORRUPT_AUDIO', () => {
    expect(codeOf(() => decodeWav(good().subarray(0, 36)))).toBe('CORRUPT_AUDIO');
  });
  it('a block size that contradicts channels x bits -> CORRUPT_AUDIO', () => {
    expect(codeOf(() => decodeWav(buildWav({ blockAlign: 3, data: int16Bytes([0.1]) })))).toBe('CORRUPT_AUDIO');
  });
  it('compressed encodings (mu-law, ADPCM) -> BAD_AUDIO', () => {
    expect(codeOf(() => decodeWav(buildWav({ formatTag: 7, bitsPerSample: 8, data: Uint8Array.from([1, 2]) })))).toBe('BAD_AUDIO');
    expect(codeOf(() => decodeWav(buildWav({ formatTag: 2, bitsPerSample: 4, blockAlign: 1, data: Uint8Array.from([1]) })))).toBe('BAD_AUDIO');
  });
  it('an unsupported bit depth -> BAD_AUDIO', () => {
    expect(codeOf(() => decodeWav(buildWav({ bitsPerSample: 12, blockAlign: 2, data: Uint8Array.from([1, 2]) })))).toBe('BAD_AUDIO');
  });
  it('a non-standard extensible sub-format GUID -> BAD_AUDIO', () => {
    const wav = buildWav({ extensibleSubformat: 1, data: int16Bytes([0.1]) });
    wav[20 + 24 + 15] = 0; // last GUID byte of the fmt chunk body (fmt body starts at byte 20)
    expect(codeOf(() => decodeWav(wav))).toBe('BAD_AUDIO');
  });
  it('a sample rate outside 8-192 kHz -> BAD_AUDIO', () => {
    expect(codeOf(() => decodeWav(buildWav({ sampleRate: 4000, data: int16Bytes([0.1]) })))).toBe('BAD_AUDIO');
  });
  it('float samples that are NaN -> BAD_AUDIO', () => {
    const wav = buildWav({ formatTag: 3, bitsPerSample: 32, data: bytesOf((v) => v.setFloat32(0, Number.NaN, true), 4) });
    expect(codeOf(() => decodeWav(wav))).toBe('BAD_AUDIO');
  });
  it('more than the allowed duration -> PAYLOAD_TOO_LARGE', () => {
    const wav = buildWav({ sampleRate: 8000, data: new Uint8Array(2 * 8000 * 31) });
    expect(codeOf(() => decodeWav(wav))).toBe('PAYLOAD_TOO_LARGE');
    expect(decodeWav(wav, { maxSeconds: 60 }).samples.length).toBe(8000 * 31);
  });
  it('a value that is not bytes -> BAD_AUDIO', () => {
    expect(codeOf(() => decodeWav('RIFF' as unknown as Uint8Array))).toBe('BAD_AUDIO');
  });
});

describe.skipIf(!hasGrid || !hasFsdd)('decodeWav: real recordings', () => {
  it('decodes the GRID clips as 16 kHz, 3 s long, with audible content', () => {
    for (const path of wavFiles(`${gridDir}/s1`).slice(0, 3)) {
      const { samples, sampleRate } = decodeWav(readBytes(path));
      expect(sampleRate).toBe(16000);
      expect(samples.length / sampleRate).toBeCloseTo(3, 1);
      expect(Math.max(...samples.map(Math.abs))).toBeGreaterThan(0.1);
    }
  });
  it('decodes FSDD digits as 8 kHz, 0.1-2.5 s long', () => {
    for (const path of wavFiles(`${fsddDir}/jackson`).slice(0, 5)) {
      const { samples, sampleRate } = decodeWav(readBytes(path));
      expect(sampleRate).toBe(8000);
      expect(samples.length / sampleRate).toBeGreaterThan(0.1);
      expect(samples.length / sampleRate).toBeLessThan(2.5);
    }
  });
});

describe('validatePcm', () => {
  const ok = new Float32Array(1600).fill(0.1);

  it('passes finite mono Float32 PCM through unchanged', () => {
    const result = validatePcm(ok, 44100);
    expect(result.samples).toBe(ok);
    expect(result.sampleRate).toBe(44100);
  });
  it('NaN or Infinity samples -> BAD_AUDIO', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const pcm = ok.slice();
      pcm[700] = bad;
      expect(codeOf(() => validatePcm(pcm, 16000))).toBe('BAD_AUDIO');
    }
  });
  it('a container that is not a Float32Array -> BAD_AUDIO', () => {
    for (const bad of [new Int16Array(100), new Float64Array(100), Array.from(ok), null, 'pcm']) {
      expect(codeOf(() => validatePcm(bad, 16000))).toBe('BAD_AUDIO');
    }
  });
  it('a sample rate that is not an integer in [8000, 192000] -> BAD_AUDIO', () => {
    for (const bad of [0, -16000, 7999, 192001, 16000.5, Number.NaN, Number.POSITIVE_INFINITY, '16000', undefined]) {
      expect(codeOf(() => validatePcm(ok, bad))).toBe('BAD_AUDIO');
    }
    expect(validatePcm(ok, 8000).sampleRate).toBe(8000);
    expect(validatePcm(ok, 192000).sampleRate).toBe(192000);
  });
  it('integer samples sent unscaled (int16 range as floats) -> BAD_AUDIO', () => {
    expect(codeOf(() => validatePcm(Float32Array.from([0, 12000, -9000]), 16000))).toBe('BAD_AUDIO');
  });
  it('no samples -> EMPTY_INPUT', () => {
    expect(codeOf(() => validatePcm(new Float32Array(0), 16000))).toBe('EMPTY_INPUT');
  });
  it('longer than 30 s -> PAYLOAD_TOO_LARGE', () => {
    expect(codeOf(() => validatePcm(new Float32Array(48000 * 31), 48000))).toBe('PAYLOAD_TOO_LARGE');
    expect(validatePcm(new Float32Array(48000 * 30), 48000).samples.length).toBe(48000 * 30);
  });
});
