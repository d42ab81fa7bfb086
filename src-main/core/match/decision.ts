/**
 * Open-set decision: the probe may belong to nobody in the gallery. Accept only when the best
 * employee's score reaches the threshold AND beats the runner-up by at least the margin; a
 * near tie between two employees is refused rather than guessed.
 */
import { KioskError } from '../errors.js';
import type { Candidate } from './gallery.js';

export interface DecisionPolicy {
  /** Minimum score (higher = more alike, see energy.ts) of the best employee. */
  readonly threshold: number;
  /** Minimum best − second score gap; 0 disables the ambiguity check. */
  readonly margin: number;
}

export type RejectReason = 'below_threshold' | 'ambiguous';

export type MatchDecision =
  | {
      readonly accepted: true;
      readonly employeeId: number;
      readonly score: number;
      readonly templateId: number;
      /** best − second; Infinity when only one employee is enrolled. */
      readonly margin: number;
    }
  | {
      readonly accepted: false;
      readonly reason: RejectReason;
      /** null for an empty gallery. */
      readonly best: Candidate | null;
      readonly second: Candidate | null;
    };

export function validatePolicy(policy: DecisionPolicy): DecisionPolicy {
  if (!Number.isFinite(policy?.threshold)) throw new KioskError('INVALID_INPUT', 'threshold must be a finite number');
  if (!Number.isFinite(policy.margin) || policy.margin < 0) throw new KioskError('INVALID_INPUT', 'margin must be a finite number ≥ 0');
  return policy;
}

/**
 * `candidates` come from Gallery.search (distinct employees); their order does not matter here.
 * INVALID_INPUT for a bad policy, a non-finite score, or an employee listed twice.
 */
export function decide(candidates: readonly Candidate[], policy: DecisionPolicy): MatchDecision {
  validatePolicy(policy);
  let best: Candidate | null = null;
  let second: Candidate | null = null;
  const seen = new Set<number>();
  for (const candidate of candidates) {
    if (!Number.isFinite(candidate.score)) throw new KioskError('INVALID_INPUT', `candidate ${candidate.employeeId} has a non-finite score`);
    if (seen.has(candidate.employeeId)) throw new KioskError('INVALID_INPUT', `employee ${candidate.employeeId} is listed twice`);
    seen.add(candidate.employeeId);
    if (best === null || candidate.score > best.score) {
      second = best;
      best = candidate;
    } else if (second === null || candidate.score > second.score) {
      second = candidate;
    }
  }
  if (best === null || best.score < policy.threshold) return { accepted: false, reason: 'below_threshold', best, second };
  const margin = second === null ? Infinity : best.score - second.score;
  if (margin < policy.margin) return { accepted: false, reason: 'ambiguous', best, second };
  return { accepted: true, employeeId: best.employeeId, score: best.score, templateId: best.templateId, margin };
}
