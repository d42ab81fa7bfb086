/**
 * Energy functions turned into similarities (higher = more alike), so every metric uses one
 * convention, and the enrollment templates that go with them.
 */
import { KioskError } from '../core/errors.js';

export type EnergyName = 'cosine' | 'euclidean';
export type Similarity = (a: Float32Array, b: Float32Array) => number;

function sameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) {
    throw new KioskError('INVALID_INPUT', `embedding lengths differ (${a.length} vs ${b.length})`);
  }
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  sameLength(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  const norm = Math.sqrt(na * nb);
  return norm === 0 ? 0 : dot / norm;
}

/** Negated euclidean distance: the siamese encoder's energy, ordered like a similarity. */
export function negativeEuclidean(a: Float32Array, b: Float32Array): number {
  sameLength(a, b);
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += ((a[k] as number) - (b[k] as number)) ** 2;
  return -Math.sqrt(sum);
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
