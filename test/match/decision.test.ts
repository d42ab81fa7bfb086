import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { decide } from '../../src-main/core/match/decision.js';
import type { Candidate } from '../../src-main/core/match/gallery.js';

const c = (employeeId: number, score: number): Candidate => ({ employeeId, score, templateId: employeeId * 10 });
const policy = { threshold: 0.5, margin: 0.25 };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('decide (open set, threshold + margin)', () => {
  it('accepts a best that reaches the threshold and leads by the margin', () => {
    expect(decide([c(1, 0.875), c(2, 0.5)], policy)).toEqual({ accepted: true, employeeId: 1, score: 0.875, templateId: 10, margin: 0.375 });
  });

  it('accepts exactly at the threshold and exactly at the margin (values exact in binary)', () => {
    expect(decide([c(1, 0.5), c(2, 0.25)], policy)).toMatchObject({ accepted: true, employeeId: 1, margin: 0.25 });
  });

  it('rejects below the threshold even without competition', () => {
    expect(decide([c(1, 0.4375)], policy)).toEqual({ accepted: false, reason: 'below_threshold', best: c(1, 0.4375), second: null });
  });

  it('rejects a near tie as ambiguous', () => {
    expect(decide([c(1, 0.875), c(2, 0.75)], policy)).toEqual({
      accepted: false,
      reason: 'ambiguous',
      best: c(1, 0.875),
      second: c(2, 0.75),
    });
  });

  it('accepts a single enrolled employee with an infinite margin', () => {
    expect(decide([c(3, 0.625)], policy)).toMatchObject({ accepted: true, employeeId: 3, margin: Infinity });
  });

  it('rejects an empty gallery as below_threshold with no best', () => {
    expect(decide([], policy)).toEqual({ accepted: false, reason: 'below_threshold', best: null, second: null });
  });

  it('does not depend on the order of the candidates', () => {
    expect(decide([c(2, 0.5), c(4, 0.125), c(1, 0.875)], policy)).toMatchObject({ accepted: true, employeeId: 1, margin: 0.375 });
  });

  it('works with negative euclidean scores (1 − distance)', () => {
    // distances 0.5 and 1.25 → scores 0.5 and −0.25; threshold 0.4 = distance 0.6
    expect(decide([c(1, 0.5), c(2, -0.25)], { threshold: 0.4, margin: 0.5 })).toMatchObject({ accepted: true, margin: 0.75 });
  });

  it('refuses a bad policy or bad candidates with INVALID_INPUT', () => {
    expect(codeOf(() => decide([c(1, 0.9)], { threshold: Number.NaN, margin: 0 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => decide([c(1, 0.9)], { threshold: 0.5, margin: -0.1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => decide([c(1, Number.NaN)], policy))).toBe('INVALID_INPUT');
    expect(codeOf(() => decide([c(1, 0.9), c(1, 0.8)], policy))).toBe('INVALID_INPUT');
  });
});
