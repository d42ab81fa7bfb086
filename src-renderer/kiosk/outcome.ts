import type { ClockModality } from '../../src-shared/vocabulary.js';
import type { Outputs } from '../lib/api.js';

export type ClockResult = Outputs['clock.face'];

/**
 * What the result card shows after an attempt: the service's decision, or the error that stopped
 * it (kept as it came, so its words follow a language switch while the card is up).
 */
export type Outcome =
  | { kind: 'clock'; result: ClockResult; modality: ClockModality }
  /** contexts: message contexts for the error, most specific first (see errorText). */
  | { kind: 'error'; error: unknown; modality: ClockModality; contexts?: readonly string[] }
  /** The person said "Not you?": the punch credited to `name` was cancelled. */
  | { kind: 'voided'; name: string; modality: ClockModality };

/** A punch was written, or was already on record; anything else leaves the person other ways to try. */
export function isSuccess(outcome: Outcome): boolean {
  return outcome.kind === 'clock' && outcome.result.outcome !== 'not_recognised';
}
