import { describe, expect, it } from 'vitest';
import { resample, resampleTo16k } from '../../src-main/core/voice/resample.js';
import { sine } from './audio-helpers.js';

/**
 * Amplitude of the component at `frequency` over the middle half of the signal (away
 * from the edges, where the filter sees zeros). Projection onto sin/cos at exactly that
 * frequency: a shifted frequency would beat against it and lose most of its amplitude,
 * so the result checks frequency and amplitude together.
 */
function amplitudeAt(x: Float32Array, frequency: number, rate: number): number {
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  let s = 0;
  let c = 0;
  for (let i = a; i < b; i++) {
    s += x[i]! * Math.sin((2 * Math.PI * frequency * i) / rate);
    c += x[i]! * Math.cos((2 * Math.PI * frequency * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / (b - a);
}

function rmsMiddle(x: Float32Array): number {
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (b - a));
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('resample', () => {
  it.each([48000, 44100, 22050, 32000, 8000, 11025, 44056])('keeps a sine at its frequency and amplitude (%i Hz -> 16 kHz)', (from) => {
    for (const f of [200, 1000, 3000]) {
      const y = resampleTo16k(sine(f, from, 1, 0.5), from);
      expect(amplitudeAt(y, f, 16000)).toBeCloseTo(0.5, 3);
    }
  });

  it('keeps the pass band flat up to 7 kHz when downsampling', () => {
    for (const from of [48000, 44100]) {
      const y = resampleTo16k(sine(7000, from, 1, 0.5), from);
      expect(Math.abs(db(amplitudeAt(y, 7000, 16000) / 0.5))).toBeLessThan(0.1);
    }
  });

  it('removes tones above the new Nyquist frequency instead of folding them back (anti-alias)', () => {
    for (const [from, f] of [
      [48000, 9000],
      [48000, 12000],
      [44100, 8500],
      [44100, 15000],
      [22050, 10000],
    ] as const) {
      const y = resampleTo16k(sine(f, from, 1, 0.5), from);
      // Without the low-pass, f would reappear at 16000 - f with its full amplitude.
      expect(db(rmsMiddle(y) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    }
  });

  it('upsamples 8 kHz without images above the old Nyquist frequency', () => {
    const y = resampleTo16k(sine(1000, 8000, 1, 0.5), 8000);
    expect(y.length).toBe(16000);
    expect(amplitudeAt(y, 1000, 16000)).toBeCloseTo(0.5, 3);
    // Zero-stuffing or sample-and-hold would leave an image at 8000 - 1000 Hz.
    expect(db(amplitudeAt(y, 7000, 16000) / 0.5)).toBeLessThan(-80);
  });

  it('keeps a constant level (unit gain at DC)', () => {
    const y = resample(new Float32Array(44100).fill(0.3), 44100, 16000);
    expect(y[8000]).toBeCloseTo(0.3, 4);
  });

  it('produces ceil(n x to / from) samples', () => {
    expect(resample(new Float32Array(1000), 44100, 16000).length).toBe(Math.ceil((1000 * 16000) / 44100));
    expect(resample(new Float32Array(3), 48000, 16000).length).toBe(1);
    expect(resample(new Float32Array(7), 8000, 16000).length).toBe(14);
  });

  it('keeps time alignment: an impulse stays at the same instant', () => {
    const x = new Float32Array(4800);
    x[2400] = 1; // 50 ms at 48 kHz
    const y = resample(x, 48000, 16000);
    const peak = y.indexOf(Math.max(...y));
    expect(peak).toBe(800); // 50 ms at 16 kHz
  });

  it('returns the input itself when the rates match', () => {
    const x = sine(440, 16000, 0.1);
    expect(resample(x, 16000, 16000)).toBe(x);
  });

  it('rejects sample rates that are not positive integers', () => {
    expect(() => resample(new Float32Array(10), 0, 16000)).toThrow(RangeError);
    expect(() => resample(new Float32Array(10), 44100.5, 16000)).toThrow(RangeError);
  });
});
