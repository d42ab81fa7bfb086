/**
 * The verification figures every protocol reports from its genuine and impostor scores.
 */
import { verificationFigures, type RocPoint, type TarAtFarResult } from './metrics.js';

/** FAR targets reported as `tarAtFar`, keyed as the JSON keys are written. */
export const FAR_TARGETS = { '0.01': 0.01, '0.001': 0.001 } as const;
export type FarKey = keyof typeof FAR_TARGETS;

export interface VerificationSummary {
  readonly eer: number;
  readonly eerThreshold: number;
  readonly tarAtFar: Record<FarKey, number>;
  /** Accept when score > this impostor score. */
  readonly tarAtFarThreshold: Record<FarKey, number>;
  /** Smallest non-zero FAR these impostors can measure: targets below it are measured at FAR 0. */
  readonly farResolution: number;
  readonly roc: readonly RocPoint[];
}

export function summariseVerification(genuine: ArrayLike<number>, impostor: ArrayLike<number>): VerificationSummary {
  const keys = Object.keys(FAR_TARGETS) as FarKey[];
  const figures = verificationFigures(genuine, impostor, keys.map((k) => FAR_TARGETS[k]));
  const tar = {} as Record<FarKey, number>;
  const thresholds = {} as Record<FarKey, number>;
  keys.forEach((key, k) => {
    const r = figures.tarAtFar[k] as TarAtFarResult;
    tar[key] = r.tar;
    thresholds[key] = r.threshold;
  });
  return {
    eer: figures.eer.eer,
    eerThreshold: figures.eer.threshold,
    tarAtFar: tar,
    tarAtFarThreshold: thresholds,
    farResolution: 1 / impostor.length,
    roc: figures.roc,
  };
}
