/**
 * Threshold derivation on synthetic impostor distributions whose tail is known in closed form.
 */
import { describe, expect, it } from 'vitest';
import { impostorTail, perComparisonFmr, thresholdForTarget } from '../../src-main/core/match/impostor-calibration.js';
import { codeOf } from '../helpers/errors.js';

/** M impostor scores spread evenly over (0, 1]: a fraction f of them is at least 1 − f. */
function uniformScores(m: number): Float64Array {
  return Float64Array.from({ length: m }, (_, i) => 1 - i / m);
}

describe('impostorTail', () => {
  it('reads the score a fraction FMR of the impostor comparisons reaches, down to 1 / count', () => {
    const tail = impostorTail(uniformScores(100_000), [1e-1, 1e-3, 1e-5, 1e-6]);
    expect(tail.map((p) => p.fmr)).toEqual([1e-1, 1e-3, 1e-5]);
    for (const p of tail) expect(p.score).toBeCloseTo(1 - p.fmr, 4);
  });
});

describe('perComparisonFmr', () => {
  it('keeps the chance of any false match over N·k comparisons at the target', () => {
    for (const [target, comparisons] of [[1e-3, 1500], [0.01, 1], [1e-4, 2_000_000]] as const) {
      const fmr = perComparisonFmr(target, comparisons);
      expect(Math.abs(1 - (1 - fmr) ** comparisons - target) / target).toBeLessThan(1e-5);
      // Close to target / (N·k), a little above it: the comparisons overlap in the events they cover.
      expect(fmr / (target / comparisons)).toBeGreaterThanOrEqual(1);
      expect(fmr / (target / comparisons)).toBeLessThan(1.01);
    }
  });

  it('refuses a target outside (0, 0.5) and a non-positive comparison count', () => {
    for (const target of [0, 0.5, -1, Number.NaN]) expect(codeOf(() => perComparisonFmr(target, 10))).toBe('INVALID_INPUT');
    expect(codeOf(() => perComparisonFmr(1e-3, 0))).toBe('INVALID_INPUT');
  });
});

describe('thresholdForTarget', () => {
  const calibration = { tail: impostorTail(uniformScores(1_000_000)) };

  it('gives the uniform distribution its known answer: the threshold is 1 − FMR', () => {
    // 20 people × 3 templates at a target of 1e-3 per search: FMR ≈ 1.7e-5.
    const small = thresholdForTarget(calibration, 1e-3, 20 * 3);
    expect(small.withinTable).toBe(true);
    expect(small.threshold).toBeCloseTo(1 - small.perComparisonFmr, 5);
    // A larger gallery needs a stricter threshold for the same target.
    const large = thresholdForTarget(calibration, 1e-3, 200 * 3);
    expect(large.threshold).toBeGreaterThan(small.threshold);
    expect(large.threshold).toBeCloseTo(1 - large.perComparisonFmr, 5);
  });

  it('says when the FMR needed lies beyond what the table measured, and uses its strictest score', () => {
    const beyond = thresholdForTarget(calibration, 1e-3, 500 * 3);
    expect(beyond.perComparisonFmr).toBeLessThan(1e-6);
    expect(beyond).toMatchObject({ withinTable: false, threshold: calibration.tail.at(-1)!.score });
  });
});
