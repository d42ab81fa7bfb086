import { describe, expect, it } from 'vitest';
import { isKioskError } from '../../src-main/core/errors.js';
import { enrollmentTemplate } from '../../src-main/core/voice/template.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return isKioskError(e) ? e.code : String(e);
  }
  return 'no error';
};

describe('enrollmentTemplate', () => {
  it('averages the normalised embeddings, so each phrase weighs the same whatever its norm', () => {
    // [3, 0] -> [1, 0]; [0, 0.5] -> [0, 1]; mean [0.5, 0.5] -> [1/sqrt2, 1/sqrt2]
    const t = enrollmentTemplate([Float32Array.from([3, 0]), Float32Array.from([0, 0.5])]);
    expect(t[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(t[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('returns the normalised embedding itself for a single phrase', () => {
    expect(Array.from(enrollmentTemplate([Float32Array.from([0, 3, 4])]))).toEqual([0, 0.6, 0.8].map(Math.fround));
  });

  it('no embeddings -> EMPTY_INPUT', () => {
    expect(codeOf(() => enrollmentTemplate([]))).toBe('EMPTY_INPUT');
  });
  it('embeddings of different lengths, zero or NaN vectors, or opposite ones -> INVALID_INPUT', () => {
    const a = Float32Array.from([1, 0]);
    expect(codeOf(() => enrollmentTemplate([a, Float32Array.from([1, 0, 0])]))).toBe('INVALID_INPUT');
    expect(codeOf(() => enrollmentTemplate([a, new Float32Array(2)]))).toBe('INVALID_INPUT');
    expect(codeOf(() => enrollmentTemplate([a, Float32Array.from([Number.NaN, 1])]))).toBe('INVALID_INPUT');
    expect(codeOf(() => enrollmentTemplate([a, Float32Array.from([-2, 0])]))).toBe('INVALID_INPUT');
  });
});
