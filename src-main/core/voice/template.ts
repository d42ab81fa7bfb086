/**
 * Enrollment template from several phrases of one speaker. Kept as a single function so
 * a better rule, once measured, replaces it in one place.
 */
import { unit } from '../match/energy.js';
import { meanOfUnitVectors } from '../match/vector-mean.js';

/** Mean of the L2-normalised embeddings, normalised again: each phrase weighs the same. */
export function enrollmentTemplate(embeddings: readonly Float32Array[]): Float32Array {
  return Float32Array.from(unit(meanOfUnitVectors(embeddings)));
}
