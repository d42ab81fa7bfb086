/** The benchmark's statistics helpers against hand-computed cases. */
import { describe, expect, it } from 'vitest';
import { cosine, median, pairedRatio, percentile, summarize } from '../../src-main/bench/stats.js';

describe('percentile (nearest rank)', () => {
  it('picks the smallest sample with at least p% of the samples at or below it', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i); // 20, 19, ..., 1: order must not matter
    expect(percentile(twenty, 95)).toBe(19); // rank ceil(0.95 * 20) = 19
    expect(percentile(twenty, 100)).toBe(20);
    expect(percentile(twenty, 5)).toBe(1);
    expect(percentile([3, 1, 2], 95)).toBe(3); // rank ceil(2.85) = 3
    expect(percentile([3, 1, 2], 50)).toBe(2); // rank ceil(1.5) = 2
    expect(percentile([7], 95)).toBe(7);
  });

  it('returns a measured value, never an interpolation', () => {
    expect(percentile([10, 20], 60)).toBe(20);
  });

  it('rejects no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 95)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('leaves its input unsorted', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('median', () => {
  it('is the middle sample of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([9])).toBe(9);
  });

  it('rejects no samples', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('reports count, median, p95, min and max', () => {
    expect(summarize([4, 8, 6, 2])).toEqual({ n: 4, median: 5, p95: 8, min: 2, max: 8 });
  });
});

describe('pairedRatio', () => {
  it('divides sample by sample, then summarises', () => {
    // ratios 2, 4, 3: median 3, p95 4
    expect(pairedRatio([20, 40, 60], [10, 10, 20])).toEqual({ n: 3, median: 3, p95: 4, min: 2, max: 4 });
  });

  it('rejects samples of different counts', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
  });
});

describe('cosine', () => {
  it('is 1 for parallel, 0 for orthogonal and -1 for opposite vectors, whatever their lengths', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 5])).toBe(0);
    expect(cosine([1, 1], [-3, -3])).toBeCloseTo(-1, 12);
    expect(cosine([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12); // 24 / (5 * 5)
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosine([1, 2], [1])).toThrow(RangeError);
  });
});
