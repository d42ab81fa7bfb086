/**
 * Audio input: decodes WAV files and validates Float32 PCM handed over by the renderer.
 * Everything leaves here as finite mono Float32 samples at a sane sample rate, or as a
 * KioskError naming what was wrong, so nothing downstream has to re-check its input.
 */
import { KioskError } from '../errors.js';

export interface MonoPcm {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

export interface AudioLimits {
  /** Longest accepted input; longer recordings are refused before they are decoded. */
  readonly maxSeconds: number;
}

export const DEFAULT_AUDIO_LIMITS: AudioLimits = { maxSeconds: 30 };

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;

/**
 * Float PCM is nominally in [-1, 1] and may overshoot a little after processing; a peak
 * far above that means integer samples were sent unscaled (e.g. int16 values as floats).
 */
const MAX_FLOAT_PEAK = 2;

/** Validates PCM from the renderer: a Float32Array of finite samples at a plausible rate. */
export function validatePcm(pcm: unknown, sampleRate: unknown, limits: AudioLimits = DEFAULT_AUDIO_LIMITS): MonoPcm {
  if (!(pcm instanceof Float32Array)) {
    throw new KioskError('BAD_AUDIO', `Audio must be a Float32Array of mono samples, got ${describe(pcm)}.`);
  }
  const rate = checkSampleRate(sampleRate);
  if (pcm.length === 0) throw new KioskError('EMPTY_INPUT', 'The audio contains no samples.');
  checkDuration(pcm.length, rate, limits);
  checkSampleValues(pcm, 'Audio');
  return { samples: pcm, sampleRate: rate };
}

function checkSampleValues(samples: Float32Array, what: string): void {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (!Number.isFinite(v)) {
      throw new KioskError('BAD_AUDIO', `${what} sample ${i} is ${v}; samples must be finite numbers.`, { index: i });
    }
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  if (peak > MAX_FLOAT_PEAK) {
    throw new KioskError(
      'BAD_AUDIO',
      `${what} peak is ${peak}; float samples must lie in [-1, 1] (were integer samples sent unscaled?).`,
      { peak },
    );
  }
}

function checkSampleRate(sampleRate: unknown): number {
  if (
    typeof sampleRate !== 'number' ||
    !Number.isInteger(sampleRate) ||
    sampleRate < MIN_SAMPLE_RATE ||
    sampleRate > MAX_SAMPLE_RATE
  ) {
    throw new KioskError(
      'BAD_AUDIO',
      `Sample rate must be an integer between ${MIN_SAMPLE_RATE} and ${MAX_SAMPLE_RATE} Hz, got ${describe(sampleRate)}.`,
    );
  }
  return sampleRate;
}

/** PAYLOAD_TOO_LARGE when `frames` samples at `sampleRate` last longer than the limit allows. */
export function checkDuration(frames: number, sampleRate: number, limits: AudioLimits): void {
  const seconds = frames / sampleRate;
  if (seconds > limits.maxSeconds) {
    throw new KioskError(
      'PAYLOAD_TOO_LARGE',
      `The audio lasts ${seconds.toFixed(1)} s; at most ${limits.maxSeconds} s is accepted.`,
      { seconds, maxSeconds: limits.maxSeconds },
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  if (typeof value === 'number') return String(value);
  return typeof value;
}

// ---------------------------------------------------------------------------------------
// WAV (RIFF/WAVE) decoding

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID; bytes 0..1 carry the plain format tag. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

interface WavFormat {
  readonly encoding: 'int' | 'float';
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly blockAlign: number;
}

/**
 * Decodes a WAV file to mono (channels averaged). Supports integer PCM of 8 (unsigned),
 * 16, 24 and 32 bits and IEEE float of 32 or 64 bits, plain or WAVE_FORMAT_EXTENSIBLE.
 * Compressed encodings (mu-law, ADPCM, ...) are refused with BAD_AUDIO; a damaged
 * container with CORRUPT_AUDIO.
 */
export function decodeWav(bytes: Uint8Array, limits: AudioLimits = DEFAULT_AUDIO_LIMITS): MonoPcm {
  if (!(bytes instanceof Uint8Array)) {
    throw new KioskError('BAD_AUDIO', `WAV data must be a Uint8Array, got ${describe(bytes)}.`);
  }
  if (bytes.length === 0) throw new KioskError('EMPTY_INPUT', 'The audio file is empty (0 bytes).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    throw new KioskError('CORRUPT_AUDIO', 'Not a WAV file: the RIFF/WAVE header is missing.');
  }

  let format: WavFormat | undefined;
  let data: { offset: number; length: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length && data === undefined) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) throw new KioskError('CORRUPT_AUDIO', 'The WAV format chunk is truncated.');
      format = parseFormat(view, body, size);
    } else if (id === 'data') {
      if (format === undefined) throw new KioskError('CORRUPT_AUDIO', 'The WAV data chunk comes before its format chunk.');
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what the file holds.
      const available = bytes.length - body;
      data = { offset: body, length: size === 0 || size > available ? available : size };
    }
    offset = body + size + (size & 1); // chunks are padded to an even length
  }
  if (format === undefined) throw new KioskError('CORRUPT_AUDIO', 'The WAV file has no format chunk.');
  if (data === undefined) throw new KioskError('CORRUPT_AUDIO', 'The WAV file has no data chunk.');

  const frames = Math.floor(data.length / format.blockAlign);
  if (frames === 0) throw new KioskError('EMPTY_INPUT', 'The WAV file contains no samples.');
  checkDuration(frames, format.sampleRate, limits);
  const samples = readMono(view, data.offset, frames, format);
  checkSampleValues(samples, 'WAV');
  return { samples, sampleRate: format.sampleRate };
}

function parseFormat(view: DataView, at: number, size: number): WavFormat {
  if (size < 16) throw new KioskError('CORRUPT_AUDIO', `The WAV format chunk is ${size} bytes; at least 16 expected.`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new KioskError('CORRUPT_AUDIO', 'The WAVE_FORMAT_EXTENSIBLE format chunk is truncated.');
    tag = view.getUint16(at + 24, true);
    const tailMatches = SUBFORMAT_GUID_TAIL.every((b, i) => view.getUint8(at + 26 + i) === b);
    if (!tailMatches) throw new KioskError('BAD_AUDIO', 'The WAV sub-format GUID is not a standard PCM or float one.');
  }
  const encoding = tag === WAVE_FORMAT_PCM ? 'int' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : undefined;
  if (encoding === undefined) {
    throw new KioskError('BAD_AUDIO', `WAV encoding 0x${tag.toString(16)} is not supported; use PCM or float.`, { tag });
  }
  const supportedBits = encoding === 'int' ? [8, 16, 24, 32] : [32, 64];
  if (!supportedBits.includes(bitsPerSample)) {
    throw new KioskError('BAD_AUDIO', `${bitsPerSample}-bit ${encoding} WAV samples are not supported.`, { bitsPerSample });
  }
  if (channels === 0) throw new KioskError('CORRUPT_AUDIO', 'The WAV header declares 0 channels.');
  if (blockAlign !== channels * (bitsPerSample / 8)) {
    throw new KioskError('CORRUPT_AUDIO', `The WAV block size ${blockAlign} does not match ${channels} x ${bitsPerSample} bits.`);
  }
  checkSampleRate(sampleRate);
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign };
}

function readMono(view: DataView, offset: number, frames: number, f: WavFormat): Float32Array {
  const read = sampleReader(view, f);
  const bytesPerSample = f.bitsPerSample / 8;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const frameAt = offset + i * f.blockAlign;
    let sum = 0;
    for (let c = 0; c < f.channels; c++) sum += read(frameAt + c * bytesPerSample);
    out[i] = sum / f.channels;
  }
  return out;
}

/** Reads one sample at a byte position, scaled to [-1, 1). */
function sampleReader(view: DataView, f: WavFormat): (at: number) => number {
  if (f.encoding === 'float') {
    return f.bitsPerSample === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  }
  switch (f.bitsPerSample) {
    case 8: // 8-bit WAV is unsigned with its zero at 128
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
