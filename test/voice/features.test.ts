import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKioskError } from '../../src-main/core/errors.js';
import { loadFrontendConfig, logMel, melFilterbank, type FrontendConfig } from '../../src-main/core/voice/features.js';
import { repoRoot } from '../helpers/paths.js';

interface FixtureCase {
  name: string;
  pcm16: number[];
  frames: number;
  mels: number;
  logmel: number[];
}

const fixture = JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/voice/logmel-fixture.json'), 'utf8')) as {
  frontend: FrontendConfig;
  cases: FixtureCase[];
};

function expectKioskError(fn: () => unknown, code: Parameters<typeof isKioskError>[1]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isKioskError(thrown, code), `expected KioskError ${code}, got ${String(thrown)}`).toBe(true);
}

/** Independent O(N²) reference: whole-signal pre-emphasis, periodic Hann, naive DFT, dense filterbank. */
function naiveLogMel(x: Float32Array, c: FrontendConfig): number[][] {
  const fb = melFilterbank(c);
  const out: number[][] = [];
  for (let start = 0; start + c.winLength <= x.length; start += c.hopLength) {
    const frame = Array.from({ length: c.winLength }, (_, j) => {
      const i = start + j;
      const y = i === 0 ? x[0]! : x[i]! - c.preEmphasis * x[i - 1]!;
      return y * (0.5 - 0.5 * Math.cos((2 * Math.PI * j) / c.winLength));
    });
    const power = Array.from({ length: c.nFft / 2 + 1 }, (_, k) => {
      let re = 0;
      let im = 0;
      frame.forEach((v, n) => {
        re += v * Math.cos((2 * Math.PI * k * n) / c.nFft);
        im -= v * Math.sin((2 * Math.PI * k * n) / c.nFft);
      });
      return re * re + im * im;
    });
    out.push(fb.map((f) => Math.log(Math.max(f.reduce((s, w, k) => s + w * power[k]!, 0), c.logFloor))));
  }
  return out;
}

function seededNoise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 0.4;
  });
}

describe('voice log-mel front end', () => {
  it('reads the shared constants of models/voice-frontend.json', () => {
    expect(loadFrontendConfig()).toEqual({
      sampleRate: 16000, nFft: 512, winLength: 400, hopLength: 160, window: 'hann-periodic', nMels: 64,
      fMin: 20, fMax: 7600, melScale: 'htk', preEmphasis: 0.97, power: 2, logFloor: 1e-6, center: false,
    });
    expect(fixture.frontend).toEqual(loadFrontendConfig());
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the Python front end on %s to 1e-4', (_, c) => {
    const pcm = Float32Array.from(c.pcm16, (v) => v / 32768);
    const got = logMel(pcm);
    expect(got.frames).toBe(c.frames);
    expect(got.mels).toBe(c.mels);
    let maxDiff = 0;
    c.logmel.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - got.data[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  // The output is float32, so agreement is limited by its rounding (~5e-7 at these magnitudes).
  it('matches a naive DFT implementation of the same definition', () => {
    const config = loadFrontendConfig();
    const x = seededNoise(880, 42);
    const reference = naiveLogMel(x, config);
    const got = logMel(x);
    expect(got.frames).toBe(reference.length);
    reference.forEach((row, t) =>
      row.forEach((v, m) => expect(Math.abs(got.data[t * got.mels + m]! - v)).toBeLessThan(1e-5)),
    );
  });

  it('counts frames as 1 + floor((n - winLength) / hop), none below one window', () => {
    const cases: [number, number][] = [[0, 0], [399, 0], [400, 1], [559, 1], [560, 2], [16000, 98], [48000, 298]];
    for (const [n, frames] of cases) {
      const out = logMel(new Float32Array(n).fill(0.01));
      expect(out.frames).toBe(frames);
      expect(out.data.length).toBe(frames * 64);
    }
  });

  it('floors digital silence at ln(logFloor)', () => {
    const out = logMel(new Float32Array(1600));
    for (const v of out.data) expect(v).toBeCloseTo(Math.log(1e-6), 5);
  });

  it('puts a pure tone in the mel band centred nearest to it', () => {
    const config = loadFrontendConfig();
    const hz = 1000;
    const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 16000));
    const out = logMel(tone);
    const row = Array.from(out.data.subarray(10 * 64, 11 * 64));
    const loudest = row.indexOf(Math.max(...row));
    // HTK band centres, computed here independently of the implementation.
    const mel = (f: number): number => 2595 * Math.log10(1 + f / 700);
    const step = (mel(config.fMax) - mel(config.fMin)) / (config.nMels + 1);
    const centres = Array.from({ length: config.nMels }, (_, m) => 700 * (10 ** ((mel(config.fMin) + (m + 1) * step) / 2595) - 1));
    const nearest = centres.reduce((best, c, m) => (Math.abs(c - hz) < Math.abs(centres[best]! - hz) ? m : best), 0);
    expect(Math.abs(loudest - nearest)).toBeLessThanOrEqual(1);
  });

  it('moves every unfloored value by ln(4) when the amplitude doubles', () => {
    const x = seededNoise(2000, 7);
    const a = logMel(x);
    const b = logMel(x.map((v) => 2 * v));
    a.data.forEach((v, i) => expect(b.data[i]! - v).toBeCloseTo(Math.log(4), 4));
  });

  it('rejects NaN, Infinity and non-Float32Array PCM with BAD_AUDIO', () => {
    const nan = new Float32Array(800);
    nan[123] = Number.NaN;
    expectKioskError(() => logMel(nan), 'BAD_AUDIO');
    const inf = new Float32Array(800);
    inf[5] = Number.POSITIVE_INFINITY;
    expectKioskError(() => logMel(inf), 'BAD_AUDIO');
    expectKioskError(() => logMel(new Float64Array(800) as unknown as Float32Array), 'BAD_AUDIO');
  });

  it('rejects an invalid config argument with INVALID_INPUT', () => {
    const bad = { ...loadFrontendConfig(), nFft: 500 };
    expectKioskError(() => logMel(new Float32Array(800), bad), 'INVALID_INPUT');
    const tooLong = { ...loadFrontendConfig(), winLength: 1024 };
    expectKioskError(() => logMel(new Float32Array(2000), tooLong), 'INVALID_INPUT');
  });

  it('reports a missing config file as MODEL_MISSING and a broken one as MODEL_CORRUPT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voice-frontend-'));
    expectKioskError(() => loadFrontendConfig(join(dir, 'absent.json')), 'MODEL_MISSING');
    writeFileSync(join(dir, 'garbage.json'), '{"sampleRate": 16000,');
    expectKioskError(() => loadFrontendConfig(join(dir, 'garbage.json')), 'MODEL_CORRUPT');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...loadFrontendConfig(), window: 'hamming' }));
    expectKioskError(() => loadFrontendConfig(join(dir, 'wrong.json')), 'MODEL_CORRUPT');
  });
});
