/**
 * Energy functions of the siamese design: E(a, b) is small for two embeddings of the same
 * person and large otherwise. `Similarity` turns either energy into one score convention,
 *   score = 1 − E   (higher = more alike; 1 for identical vectors),
 * so thresholds and margins are configured the same way whichever energy is chosen, and a
 * score difference equals the energy difference (margins keep the energy's units).
 * For cosine, score = cos θ; for euclidean, a dlib distance threshold of 0.6 is score 0.4.
 */
import { KioskError } from '../errors.js';

export type Vector = Float32Array | Float64Array;
export type EnergyKind = 'euclidean' | 'cosine';

/** ‖a − b‖₂. */
export function euclideanEnergy(a: Vector, b: Vector): number {
  requireSameDim(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** 1 − cos θ, in [0, 2]; INVALID_INPUT for a zero vector (it has no direction). */
export function cosineEnergy(a: Vector, b: Vector): number {
  requireSameDim(a, b);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) throw new KioskError('INVALID_INPUT', 'cosine energy of a zero vector is undefined');
  return 1 - dot / Math.sqrt(aa * bb);
}

export interface SimilarityConfig {
  readonly energy: EnergyKind;
  /**
   * Euclidean only: scale both vectors to unit length first (cosine is scale-free anyway).
   * Off for encoders whose distance threshold was set on raw outputs, like dlib's 0.6.
   */
  readonly normalize?: boolean;
}

export interface Similarity {
  readonly energy: EnergyKind;
  readonly normalize: boolean;
  /** E(a, b) under this configuration. */
  energyOf(a: Vector, b: Vector): number;
  /** Higher = more alike: 1 − E(a, b). */
  score(a: Vector, b: Vector): number;
  scoreFromEnergy(energy: number): number;
  /** For thresholds published as distances (e.g. dlib's 0.6). */
  energyFromScore(score: number): number;
}

export function createSimilarity(config: SimilarityConfig): Similarity {
  if (config.energy !== 'euclidean' && config.energy !== 'cosine') {
    throw new KioskError('INVALID_INPUT', `energy must be 'euclidean' or 'cosine', not ${String(config.energy)}`);
  }
  const energy = config.energy;
  const normalize = energy === 'euclidean' && config.normalize === true;
  const energyOf = (a: Vector, b: Vector): number => {
    requireFinite(a);
    requireFinite(b);
    if (energy === 'cosine') return cosineEnergy(a, b);
    return normalize ? euclideanEnergy(unit(a), unit(b)) : euclideanEnergy(a, b);
  };
  return {
    energy,
    normalize,
    energyOf,
    score: (a, b) => 1 - energyOf(a, b),
    scoreFromEnergy: (e) => 1 - e,
    energyFromScore: (s) => 1 - s,
  };
}

/** a / ‖a‖ in double precision; INVALID_INPUT for a zero vector. */
export function unit(a: Vector): Float64Array {
  let norm = 0;
  for (let i = 0; i < a.length; i++) norm += (a[i] as number) * (a[i] as number);
  if (norm === 0) throw new KioskError('INVALID_INPUT', 'a zero vector cannot be normalised');
  const scale = 1 / Math.sqrt(norm);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) * scale;
  return out;
}

export function requireFinite(a: Vector): void {
  if (a.length === 0) throw new KioskError('INVALID_INPUT', 'vector is empty');
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new KioskError('INVALID_INPUT', `vector holds a non-finite value at index ${i}`);
  }
}

function requireSameDim(a: Vector, b: Vector): void {
  if (a.length !== b.length) {
    throw new KioskError('INVALID_INPUT', `vectors differ in length: ${a.length} vs ${b.length}`);
  }
}
