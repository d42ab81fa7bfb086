/**
 * Energy functions turned into similarities (higher = more alike), so every metric uses one
 * convention, and the enrollment templates that go with them.
 */
import { KioskError } from '../core/errors.js';
import { cosineEnergy, euclideanEnergy } from '../core/match/energy.js';

export type EnergyName = 'cosine' | 'euclidean';
export type Similarity = (a: Float32Array, b: Float32Array) => number;

function sameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) {
    throw new KioskError('INVALID_INPUT', `embedding lengths differ (${a.length} vs ${b.length})`);
  }
}

/** Cosine of the angle: the match room's cosine energy, as a similarity. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  return 1 - cosineEnergy(a, b);
}

/** Negated euclidean distance: the siamese encoder's energy, ordered like a similarity. */
export function negativeEuclidean(a: Float32Array, b: Float32Array): number {
  return -euclideanEnergy(a, b);
}

export function similarityFor(energy: EnergyName): Similarity {
  return energy === 'cosine' ? cosineSimilarity : negativeEuclidean;
}

/** Mean of the raw vectors: the template for euclidean encoders, whose norm carries meaning. */
export function meanEmbedding(embeddings: readonly Float32Array[]): Float32Array {
  const first = embeddings[0];
  if (first === undefined) throw new KioskError('INVALID_INPUT', 'no embeddings to build a template from');
  const out = new Float32Array(first.length);
  for (const e of embeddings) {
    sameLength(first, e);
    for (let k = 0; k < e.length; k++) out[k] = (out[k] as number) + (e[k] as number) / embeddings.length;
  }
  return out;
}

/** Mean of the L2-normalised vectors: the template for cosine scoring, each sample weighing the same. */
export function meanOfNormalised(embeddings: readonly Float32Array[]): Float32Array {
  const first = embeddings[0];
  if (first === undefined) throw new KioskError('INVALID_INPUT', 'no embeddings to build a template from');
  const out = new Float32Array(first.length);
  for (const e of embeddings) {
    sameLength(first, e);
    let n = 0;
    for (let k = 0; k < e.length; k++) n += (e[k] as number) ** 2;
    const inv = n === 0 ? 0 : 1 / Math.sqrt(n);
    for (let k = 0; k < e.length; k++) out[k] = (out[k] as number) + (e[k] as number) * inv;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / embeddings.length;
  return out;
}
