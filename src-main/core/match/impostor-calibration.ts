/**
 * Thresholds from a false-accept target instead of a magic number. A calibration table holds the
 * upper tail of an encoder's impostor scores (comparisons of two different people) measured on
 * public data: for each per-comparison false match rate FMR, the score that fraction of impostor
 * comparisons reaches. In 1:N a stranger is accepted when ANY of the gallery's N·k templates
 * reaches the threshold, so for an accepted risk per search (target) the per-comparison rate is
 *   FMR = 1 − (1 − target)^(1 / (N·k))   (≈ target / (N·k)),
 * and the threshold is the table's score at that FMR, interpolated in log FMR. The rule assumes
 * independent comparisons, which makes it conservative when one person's templates agree.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { KioskError } from '../errors.js';
import type { ModelRef } from '../runtime/model-ref.js';

export const CALIBRATION_FORMAT = 'attendance-kiosk/impostor-calibration/v1';

const point = z.object({ fmr: z.number().gt(0).lt(1), score: z.number().finite() });

export const calibrationSchema = z.object({
  format: z.literal(CALIBRATION_FORMAT),
  model: z.object({ id: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  energy: z.enum(['euclidean', 'cosine']),
  /** Where the impostor scores came from: data, command, counts. */
  source: z.object({ data: z.string(), command: z.string(), identities: z.number().int(), files: z.number().int(), impostorComparisons: z.number().int() }),
  /** Decreasing FMR, increasing score. */
  tail: z.array(point).min(2),
});

export type ImpostorCalibration = z.infer<typeof calibrationSchema>;
export type TailPoint = z.infer<typeof point>;

/** MODEL_CORRUPT unless the file is a valid table measured on exactly `model`. */
export async function readCalibration(path: string, model: ModelRef): Promise<ImpostorCalibration> {
  let parsed: ImpostorCalibration;
  try {
    parsed = calibrationSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (cause) {
    throw new KioskError('MODEL_CORRUPT', `Calibration ${path} is not a valid calibration table.`, { path, cause: String(cause) });
  }
  if (parsed.model.id !== model.id || parsed.model.sha256 !== model.sha256) {
    throw new KioskError('MODEL_CORRUPT', `Calibration ${path} was measured on another model than ${model.id}.`, { path });
  }
  return parsed;
}

/** Log-spaced FMR levels from 1e-1 down to 1e-6, ten per decade. */
export const CALIBRATION_FMRS: readonly number[] = Array.from({ length: 51 }, (_, k) => 10 ** (-1 - k / 10));

/**
 * The score reached by a fraction `fmr` of the impostor scores (higher = more alike). `sortedDescending`
 * must be sorted from the highest score; levels below 1 / count cannot be measured and are left out.
 */
export function impostorTail(sortedDescending: ArrayLike<number>, fmrs: readonly number[] = CALIBRATION_FMRS): TailPoint[] {
  const count = sortedDescending.length;
  const points: TailPoint[] = [];
  for (const fmr of fmrs) {
    const rank = Math.floor(fmr * count);
    if (rank < 1) continue;
    // The rank-th highest score: exactly `rank` impostor comparisons score at least this much.
    points.push({ fmr, score: sortedDescending[rank - 1] as number });
  }
  return points;
}

/** Per-comparison FMR that keeps the chance of any false match over `comparisons` at `target`. */
export function perComparisonFmr(target: number, comparisons: number): number {
  if (!(target > 0 && target < 0.5)) throw new KioskError('INVALID_INPUT', `the false-accept target must be in (0, 0.5), got ${target}`);
  if (!Number.isSafeInteger(comparisons) || comparisons < 1) throw new KioskError('INVALID_INPUT', `comparisons must be a positive integer, got ${comparisons}`);
  // -expm1(log1p(-t) / n) = 1 − (1 − t)^(1/n), without the cancellation of the naive form at large n.
  return -Math.expm1(Math.log1p(-target) / comparisons);
}

export interface DerivedThreshold {
  readonly threshold: number;
  readonly perComparisonFmr: number;
  /** False when the FMR needed lies beyond the table: the table's strictest score is used (risk underestimated). */
  readonly withinTable: boolean;
}

/** The score threshold for `target` with `comparisons` templates searched (N people × k templates). */
export function thresholdForTarget(calibration: Pick<ImpostorCalibration, 'tail'>, target: number, comparisons: number): DerivedThreshold {
  const fmr = perComparisonFmr(target, comparisons);
  const tail = calibration.tail;
  const first = tail[0]!;
  const last = tail[tail.length - 1]!;
  if (fmr >= first.fmr) return { threshold: first.score, perComparisonFmr: fmr, withinTable: true };
  if (fmr < last.fmr) return { threshold: last.score, perComparisonFmr: fmr, withinTable: false };
  for (let i = 1; i < tail.length; i++) {
    const hi = tail[i - 1]!;
    const lo = tail[i]!;
    if (fmr >= lo.fmr) {
      const t = (Math.log(hi.fmr) - Math.log(fmr)) / (Math.log(hi.fmr) - Math.log(lo.fmr));
      return { threshold: hi.score + t * (lo.score - hi.score), perComparisonFmr: fmr, withinTable: true };
    }
  }
  return { threshold: last.score, perComparisonFmr: fmr, withinTable: true };
}

/** The per-comparison FMR the table gives a threshold (the inverse of the lookup above), for reporting its risk. */
export function fmrAtScore(calibration: Pick<ImpostorCalibration, 'tail'>, score: number): number {
  const tail = calibration.tail;
  if (score <= tail[0]!.score) return tail[0]!.fmr;
  for (let i = 1; i < tail.length; i++) {
    const hi = tail[i - 1]!;
    const lo = tail[i]!;
    if (score <= lo.score) {
      const t = lo.score === hi.score ? 1 : (score - hi.score) / (lo.score - hi.score);
      return Math.exp(Math.log(hi.fmr) + t * (Math.log(lo.fmr) - Math.log(hi.fmr)));
    }
  }
  return tail[tail.length - 1]!.fmr;
}
