/**
 * Averages of embeddings, one home for every template and probe built from several vectors:
 * a face burst's probe, a flipped chip's embedding, evaluation templates and the voice
 * enrollment template. Sums run in double precision.
 */
import { KioskError } from '../errors.js';
import { requireFinite, unit, type Vector } from './energy.js';

/** Mean of the raw vectors: for euclidean encoders, whose norm carries meaning. */
export function meanVector(vectors: readonly Vector[]): Float32Array {
  return Float32Array.from(sumOf(vectors, (v) => v), (x) => x / vectors.length);
}

/** Mean of the L2-normalised vectors: for cosine scoring, each sample weighing the same whatever its norm. */
export function meanOfUnitVectors(vectors: readonly Vector[]): Float32Array {
  return Float32Array.from(sumOf(vectors, unit), (x) => x / vectors.length);
}

function sumOf(vectors: readonly Vector[], prepare: (v: Vector) => Vector): Float64Array {
  const first = vectors[0];
  if (first === undefined) throw new KioskError('EMPTY_INPUT', 'An average needs at least one vector.');
  const sum = new Float64Array(first.length);
  vectors.forEach((vector, index) => {
    if (vector.length !== first.length) {
      throw new KioskError('INVALID_INPUT', `Vector ${index} has ${vector.length} values; expected ${first.length}.`);
    }
    requireFinite(vector);
    const v = prepare(vector);
    for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
  });
  return sum;
}
