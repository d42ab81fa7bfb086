import { describe, expect, it } from 'vitest';
import { isKioskError } from '../../src-main/core/errors.js';
import {
  accuracyAt,
  bestAccuracyThreshold,
  equalErrorRate,
  meanAndStd,
  rankOneRate,
  rocCurve,
  tarAtFar,
} from '../../src-main/eval/metrics.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isKioskError(error) ? error.code : 'NOT_A_KIOSK_ERROR';
  }
  return undefined;
}

describe('metrics on a hand-computed case: genuine [0.9, 0.8, 0.7], impostor [0.1, 0.75, 0.2]', () => {
  const genuine = [0.9, 0.8, 0.7];
  const impostor = [0.1, 0.75, 0.2];

  it('ROC: one point per distinct score, from accept-nothing to accept-all', () => {
    const roc = rocCurve(genuine, impostor);
    // Sorted descending: 0.9G 0.8G 0.75I 0.7G 0.2I 0.1I.
    const expected = [
      [Infinity, 0, 0],
      [0.9, 0, 1 / 3],
      [0.8, 0, 2 / 3],
      [0.75, 1 / 3, 2 / 3],
      [0.7, 1 / 3, 1],
      [0.2, 2 / 3, 1],
      [0.1, 1, 1],
    ];
    expect(roc).toHaveLength(expected.length);
    roc.forEach((p, k) => {
      const [threshold, far, tar] = expected[k] as [number, number, number];
      expect(p.threshold).toBe(threshold);
      expect(p.far).toBeCloseTo(far, 12);
      expect(p.tar).toBeCloseTo(tar, 12);
    });
  });

  it('EER: FRR = FAR = 1/3 exactly at threshold 0.75', () => {
    const { eer, threshold } = equalErrorRate(genuine, impostor);
    expect(eer).toBeCloseTo(1 / 3, 12);
    expect(threshold).toBeCloseTo(0.75, 12);
  });

  it('TAR at FAR: below 1/3 only FAR 0 is reachable (threshold = top impostor 0.75, 2 of 3 genuines above)', () => {
    expect(tarAtFar(genuine, impostor, 0.01)).toEqual({ tar: 2 / 3, far: 0, threshold: 0.75 });
    expect(tarAtFar(genuine, impostor, 0.001)).toEqual({ tar: 2 / 3, far: 0, threshold: 0.75 });
    // FAR 1/3 allowed: threshold 0.2 accepts 0.75 (one impostor) and every genuine.
    expect(tarAtFar(genuine, impostor, 0.34)).toEqual({ tar: 1, far: 1 / 3, threshold: 0.2 });
  });

  it('best accuracy is 5/6, reached between 0.75 and 0.8 or between 0.2 and 0.7; ties take the middle candidate', () => {
    const best = bestAccuracyThreshold(genuine, impostor);
    expect(best.accuracy).toBeCloseTo(5 / 6, 12);
    // Two tied candidates (0.775 and 0.45): the documented rule takes the first of the middle pair.
    expect(best.threshold).toBeCloseTo(0.775, 12);
    expect(accuracyAt(genuine, impostor, best.threshold)).toBeCloseTo(5 / 6, 12);
    expect(accuracyAt(genuine, impostor, 0.45)).toBeCloseTo(5 / 6, 12);
    expect(accuracyAt(genuine, impostor, 0.725)).toBeCloseTo(4 / 6, 12);
  });
});

describe('equalErrorRate interpolation', () => {
  it('interpolates between the points around the crossing', () => {
    // Points (FAR, FRR): at 0.8 (0, 1/3), at 0.7 (1/2, 1/3). FRR-FAR goes 1/3 → -1/6: t = 2/3.
    const { eer, threshold } = equalErrorRate([0.9, 0.8, 0.4], [0.7, 0.3]);
    expect(eer).toBeCloseTo(1 / 3, 12);
    expect(threshold).toBeCloseTo(0.8 - (2 / 3) * 0.1, 12);
  });

  it('is 0 for perfectly separated scores, 1/2 for identical ones', () => {
    expect(equalErrorRate([3, 4], [1, 2]).eer).toBe(0);
    expect(equalErrorRate([0.5, 0.5], [0.5, 0.5]).eer).toBeCloseTo(0.5, 12);
  });
});

describe('tarAtFar and bestAccuracyThreshold edge cases', () => {
  it('separated scores: TAR 1 at any FAR, accuracy 1 with the threshold between the classes', () => {
    expect(tarAtFar([3, 4], [1, 2], 0.001).tar).toBe(1);
    expect(bestAccuracyThreshold([3, 4], [1, 2])).toEqual({ threshold: 2.5, accuracy: 1 });
  });

  it('a genuine tied with the top impostor is not accepted (strict decision)', () => {
    expect(tarAtFar([0.5, 0.5], [0.5, 0.5], 0.01)).toEqual({ tar: 0, far: 0, threshold: 0.5 });
  });
});

/** Independent O(n²) references on scores with many ties. */
describe('agreement with brute force on random scores with ties', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const genuine = Array.from({ length: 300 }, () => Math.round(rand() * 40 + 20) / 10);
  const impostor = Array.from({ length: 700 }, () => Math.round(rand() * 40) / 10);
  const count = (xs: number[], pred: (x: number) => boolean): number => xs.filter(pred).length;

  it('TAR at FAR equals the best over impostor thresholds', () => {
    for (const target of [0, 0.001, 0.01, 0.05, 0.2]) {
      let bestTar = -1;
      for (const t of impostor) {
        const far = count(impostor, (x) => x > t) / impostor.length;
        if (far <= target) bestTar = Math.max(bestTar, count(genuine, (x) => x > t) / genuine.length);
      }
      expect(tarAtFar(genuine, impostor, target).tar).toBeCloseTo(bestTar, 12);
    }
  });

  it('best accuracy equals the maximum over every score used as threshold', () => {
    let best = accuracyAt(genuine, impostor, Infinity);
    for (const t of [...genuine, ...impostor]) best = Math.max(best, accuracyAt(genuine, impostor, t));
    const chosen = bestAccuracyThreshold(genuine, impostor);
    expect(chosen.accuracy).toBeCloseTo(best, 12);
    expect(accuracyAt(genuine, impostor, chosen.threshold)).toBeCloseTo(best, 12);
  });

  it('EER lies between the FAR before the crossing and min over thresholds of max(FAR, FRR)', () => {
    const { eer } = equalErrorRate(genuine, impostor);
    let upper = 1;
    let lower = 0;
    for (const t of [...genuine, ...impostor, Infinity]) {
      const far = count(impostor, (x) => x >= t) / impostor.length;
      const frr = count(genuine, (x) => x < t) / genuine.length;
      upper = Math.min(upper, Math.max(far, frr));
      if (far < frr) lower = Math.max(lower, far);
    }
    expect(eer).toBeGreaterThanOrEqual(lower - 1e-12);
    expect(eer).toBeLessThanOrEqual(upper + 1e-12);
    expect(eer).toBeGreaterThan(0);
  });

  it('ROC points match direct counting', () => {
    for (const p of rocCurve(genuine, impostor).slice(1)) {
      expect(p.far).toBeCloseTo(count(impostor, (x) => x >= p.threshold) / impostor.length, 12);
      expect(p.tar).toBeCloseTo(count(genuine, (x) => x >= p.threshold) / genuine.length, 12);
    }
  });

  it('handles 200k scores without exhausting the stack', () => {
    const g = Float64Array.from({ length: 50_000 }, () => rand() + 0.5);
    const i = Float64Array.from({ length: 150_000 }, () => rand());
    expect(bestAccuracyThreshold(g, i).accuracy).toBeGreaterThan(0.5);
    expect(equalErrorRate(g, i).eer).toBeGreaterThan(0);
  });
});

describe('rankOneRate', () => {
  it('counts a probe as a hit only when its own score beats every other identity', () => {
    const rate = rankOneRate([
      { genuine: 0.9, impostors: [0.1, 0.95] }, // miss
      { genuine: 0.5, impostors: [0.4] }, // hit
      { genuine: 0.5, impostors: [0.5] }, // tie: miss
      { genuine: 0.2, impostors: [] }, // only one identity: hit
    ]);
    expect(rate).toBe(2 / 4);
  });
});

describe('meanAndStd', () => {
  it('uses the population standard deviation', () => {
    const { mean, std } = meanAndStd([0.9, 1.0]);
    expect(mean).toBeCloseTo(0.95, 12);
    expect(std).toBeCloseTo(0.05, 12);
  });
});

describe('bad input gives INVALID_INPUT', () => {
  it.each([
    ['NaN score', () => rocCurve([0.1, Number.NaN], [0.2])],
    ['infinite score', () => tarAtFar([0.1], [Infinity], 0.01)],
    ['no impostors', () => equalErrorRate([0.1], [])],
    ['no genuines', () => tarAtFar([], [0.1], 0.01)],
    ['FAR target above 1', () => tarAtFar([0.1], [0.2], 2)],
    ['no scores for a threshold', () => bestAccuracyThreshold([], [])],
    ['no scores for accuracy', () => accuracyAt([], [], 0)],
    ['no trials', () => rankOneRate([])],
    ['no folds', () => meanAndStd([])],
  ])('%s', (_, fn) => {
    expect(codeOf(fn)).toBe('INVALID_INPUT');
  });
});
