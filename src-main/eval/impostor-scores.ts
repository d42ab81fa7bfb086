/**
 * Every impostor comparison of an evaluation set: each pair of files of two different identities,
 * scored with the kiosk's similarity. The sorted scores give the calibration table's tail.
 */
import type { Similarity } from '../core/match/energy.js';

export interface EmbeddedIdentity {
  readonly id: string;
  readonly embeddings: readonly Float32Array[];
}

/** Impostor scores, highest first. */
export function impostorScores(identities: readonly EmbeddedIdentity[], similarity: Similarity): Float64Array {
  const owner: number[] = [];
  const vectors: Float32Array[] = [];
  identities.forEach((identity, index) => {
    for (const e of identity.embeddings) {
      owner.push(index);
      vectors.push(e);
    }
  });
  // Every pair, less the pairs within one identity.
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  const count = pairs(vectors.length) - identities.reduce((sum, identity) => sum + pairs(identity.embeddings.length), 0);
  const scores = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      if (owner[i] !== owner[j]) scores[k++] = similarity.score(vectors[i]!, vectors[j]!);
    }
  }
  return scores.sort().reverse();
}
