/**
 * Enrollment template from several phrases of one speaker. Kept as a single function so
 * a better rule, once measured, replaces it in one place.
 */
import { KioskError } from '../errors.js';

/** Mean of the L2-normalised embeddings, normalised again: each phrase weighs the same. */
export function enrollmentTemplate(embeddings: readonly Float32Array[]): Float32Array {
  const first = embeddings[0];
  if (first === undefined) throw new KioskError('EMPTY_INPUT', 'An enrollment template needs at least one voice sample.');
  const dim = first.length;
  const sum = new Float64Array(dim);
  embeddings.forEach((e, index) => {
    if (e.length !== dim) {
      throw new KioskError('INVALID_INPUT', `Voice sample ${index} has ${e.length} dimensions; expected ${dim}.`);
    }
    const norm = l2(e);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new KioskError('INVALID_INPUT', `Voice sample ${index} is a zero or non-finite vector.`);
    }
    for (let i = 0; i < dim; i++) sum[i]! += e[i]! / norm;
  });
  const norm = l2(sum);
  if (!(norm > 0)) {
    throw new KioskError('INVALID_INPUT', 'The voice samples cancel out; they cannot form a template.');
  }
  return Float32Array.from(sum, (v) => v / norm);
}

function l2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
