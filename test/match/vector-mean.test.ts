import { describe, expect, it } from 'vitest';
import { meanOfUnitVectors, meanVector } from '../../src-main/core/match/vector-mean.js';
import { codeOf } from '../helpers/errors.js';

describe('vector means', () => {
  it('meanVector averages the raw values, so a longer vector weighs more', () => {
    expect(Array.from(meanVector([Float32Array.of(1, 2), Float32Array.of(3, 6)]))).toEqual([2, 4]);
  });

  it('meanOfUnitVectors normalises each vector first, so each weighs the same whatever its norm', () => {
    // [3, 0] → [1, 0] and [0, 0.5] → [0, 1].
    expect(Array.from(meanOfUnitVectors([Float32Array.of(3, 0), Float32Array.of(0, 0.5)]))).toEqual([0.5, 0.5]);
  });

  it('refuses no vectors, mixed lengths, non-finite values, and a zero vector where direction is needed', () => {
    expect(codeOf(() => meanVector([]))).toBe('EMPTY_INPUT');
    expect(codeOf(() => meanVector([Float32Array.of(1, 2), Float32Array.of(1)]))).toBe('INVALID_INPUT');
    expect(codeOf(() => meanVector([Float32Array.of(1, Number.NaN)]))).toBe('INVALID_INPUT');
    expect(codeOf(() => meanOfUnitVectors([Float32Array.of(1, 0), Float32Array.of(0, 0)]))).toBe('INVALID_INPUT');
  });
});
