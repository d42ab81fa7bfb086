import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { cosineEnergy, createSimilarity, euclideanEnergy } from '../../src-main/core/match/energy.js';

const v = (...values: number[]): Float64Array => Float64Array.from(values);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('energy functions', () => {
  it('euclidean: the 3-4-5 triangle and zero for identical points', () => {
    expect(euclideanEnergy(v(0, 0), v(3, 4))).toBe(5);
    expect(euclideanEnergy(v(1, 2, 3), v(1, 2, 3))).toBe(0);
    expect(euclideanEnergy(Float32Array.of(1, 0, 0, 0), Float32Array.of(0, 1, 0, 0))).toBeCloseTo(Math.SQRT2, 12);
  });

  it('cosine: 0 for the same direction at any scale, 1 orthogonal, 2 opposite, 1 − √2/2 at 45°', () => {
    expect(cosineEnergy(v(1, 2), v(3, 6))).toBeCloseTo(0, 12);
    expect(cosineEnergy(v(1, 0), v(0, 5))).toBe(1);
    expect(cosineEnergy(v(2, 0), v(-1, 0))).toBe(2);
    expect(cosineEnergy(v(1, 0), v(1, 1))).toBeCloseTo(1 - Math.SQRT1_2, 12);
  });

  it('refuses vectors of different lengths and the zero vector (cosine) with INVALID_INPUT', () => {
    expect(codeOf(() => euclideanEnergy(v(1, 2), v(1, 2, 3)))).toBe('INVALID_INPUT');
    expect(codeOf(() => cosineEnergy(v(0, 0), v(1, 0)))).toBe('INVALID_INPUT');
  });
});

describe('Similarity', () => {
  it('scores 1 − E: higher = more alike for both energies', () => {
    const euclid = createSimilarity({ energy: 'euclidean' });
    const cosine = createSimilarity({ energy: 'cosine' });
    expect(euclid.score(v(0, 0), v(3, 4))).toBe(-4);
    expect(euclid.score(v(1, 1), v(1, 1))).toBe(1);
    expect(cosine.score(v(1, 0), v(0, 1))).toBe(0);
    expect(cosine.score(v(1, 0), v(4, 0))).toBeCloseTo(1, 12);
    // Near beats far under both.
    const probe = v(1, 0);
    const near = v(0.9, 0.1);
    const far = v(0.1, 0.9);
    expect(euclid.score(probe, near)).toBeGreaterThan(euclid.score(probe, far));
    expect(cosine.score(probe, near)).toBeGreaterThan(cosine.score(probe, far));
  });

  it('converts thresholds between energy and score (dlib distance 0.6 = score 0.4)', () => {
    const euclid = createSimilarity({ energy: 'euclidean' });
    expect(euclid.scoreFromEnergy(0.6)).toBeCloseTo(0.4, 15);
    expect(euclid.energyFromScore(0.4)).toBeCloseTo(0.6, 15);
  });

  it('normalises before the euclidean distance only when asked', () => {
    const raw = createSimilarity({ energy: 'euclidean' });
    const unit = createSimilarity({ energy: 'euclidean', normalize: true });
    // (3,0) and (0,5) become (1,0) and (0,1): distance √2.
    expect(raw.energyOf(v(3, 0), v(0, 5))).toBeCloseTo(Math.sqrt(34), 12);
    expect(unit.energyOf(v(3, 0), v(0, 5))).toBeCloseTo(Math.SQRT2, 12);
    expect(unit.normalize).toBe(true);
    expect(createSimilarity({ energy: 'cosine', normalize: true }).normalize).toBe(false);
  });

  it('refuses NaN, empty vectors and unknown energies with INVALID_INPUT', () => {
    const euclid = createSimilarity({ energy: 'euclidean' });
    expect(codeOf(() => euclid.score(v(Number.NaN, 0), v(0, 0)))).toBe('INVALID_INPUT');
    expect(codeOf(() => euclid.score(v(), v()))).toBe('INVALID_INPUT');
    expect(codeOf(() => createSimilarity({ energy: 'manhattan' as 'cosine' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => createSimilarity({ energy: 'euclidean', normalize: true }).score(v(0, 0), v(1, 0)))).toBe('INVALID_INPUT');
  });
});
