/**
 * Verification and identification metrics over similarity scores (higher = more alike).
 * Pure functions; every sweep sorts the scores once, so 100k+ scores cost O(n log n).
 *
 * Decision rule everywhere except TAR@FAR: a pair is accepted when score >= threshold.
 */
import { KioskError } from '../core/errors.js';

const invalid = (message: string): KioskError => new KioskError('INVALID_INPUT', message);

export interface RocPoint {
  /** Pairs with score >= threshold are accepted. */
  readonly threshold: number;
  /** False accept rate: accepted impostors / impostors. */
  readonly far: number;
  /** True accept rate: accepted genuines / genuines. */
  readonly tar: number;
}

export interface ThresholdChoice {
  readonly threshold: number;
  readonly accuracy: number;
}

export interface EerResult {
  /** Equal error rate, linearly interpolated where FRR and FAR cross. */
  readonly eer: number;
  /** Threshold interpolated the same way. */
  readonly threshold: number;
}

export interface TarAtFarResult {
  readonly tar: number;
  /** FAR actually reached (<= the target). */
  readonly far: number;
  /** Accept when score > threshold (strictly); the threshold is one of the impostor scores. */
  readonly threshold: number;
}

interface SortedScores {
  /** Distinct score values, descending. */
  readonly values: Float64Array;
  /** Genuine / impostor counts at each distinct value. */
  readonly genuineAt: Uint32Array;
  readonly impostorAt: Uint32Array;
  readonly genuineTotal: number;
  readonly impostorTotal: number;
}

function assertFinite(scores: ArrayLike<number>, label: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw invalid(`${label} score #${i} is not a finite number`);
  }
}

/**
 * Groups both score sets by distinct value, descending: the single sort every sweep uses. Each set is
 * sorted natively as a typed array (no comparator: fast for 100k+ scores), then the two are merged.
 */
function sortScores(genuine: ArrayLike<number>, impostor: ArrayLike<number>): SortedScores {
  assertFinite(genuine, 'genuine');
  assertFinite(impostor, 'impostor');
  const g = Float64Array.from(genuine).sort();
  const i = Float64Array.from(impostor).sort();
  const values: number[] = [];
  const genuineAt: number[] = [];
  const impostorAt: number[] = [];
  let gk = g.length - 1;
  let ik = i.length - 1;
  while (gk >= 0 || ik >= 0) {
    const v = Math.max(gk >= 0 ? (g[gk] as number) : -Infinity, ik >= 0 ? (i[ik] as number) : -Infinity);
    let gn = 0;
    let imp = 0;
    while (gk >= 0 && g[gk] === v) {
      gn++;
      gk--;
    }
    while (ik >= 0 && i[ik] === v) {
      imp++;
      ik--;
    }
    values.push(v);
    genuineAt.push(gn);
    impostorAt.push(imp);
  }
  return {
    values: Float64Array.from(values),
    genuineAt: Uint32Array.from(genuineAt),
    impostorAt: Uint32Array.from(impostorAt),
    genuineTotal: genuine.length,
    impostorTotal: impostor.length,
  };
}

function requireBoth(genuine: ArrayLike<number>, impostor: ArrayLike<number>): void {
  if (genuine.length === 0 || impostor.length === 0) {
    throw invalid(`need genuine and impostor scores (got ${genuine.length} genuine, ${impostor.length} impostor)`);
  }
}

/**
 * ROC curve from the strictest operating point (accept nothing: threshold +Infinity, FAR 0, TAR 0)
 * down to accepting everything (FAR 1, TAR 1); one point per distinct score value.
 */
export function rocCurve(genuine: ArrayLike<number>, impostor: ArrayLike<number>): RocPoint[] {
  requireBoth(genuine, impostor);
  return rocFromSorted(sortScores(genuine, impostor));
}

function rocFromSorted(s: SortedScores): RocPoint[] {
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, far: 0, tar: 0 }];
  let g = 0;
  let i = 0;
  for (let k = 0; k < s.values.length; k++) {
    g += s.genuineAt[k] as number;
    i += s.impostorAt[k] as number;
    points.push({ threshold: s.values[k] as number, far: i / s.impostorTotal, tar: g / s.genuineTotal });
  }
  return points;
}

/** Equal error rate from a ROC curve: FRR (1 - TAR) falls and FAR rises along it; interpolate at the crossing. */
export function equalErrorRate(genuine: ArrayLike<number>, impostor: ArrayLike<number>): EerResult {
  return eerFromRoc(rocCurve(genuine, impostor));
}

export function eerFromRoc(roc: readonly RocPoint[]): EerResult {
  for (let k = 1; k < roc.length; k++) {
    const a = roc[k - 1] as RocPoint;
    const b = roc[k] as RocPoint;
    const da = 1 - a.tar - a.far;
    const db = 1 - b.tar - b.far;
    if (da > 0 && db <= 0) {
      const t = da / (da - db);
      // The first point's threshold is +Infinity: the crossing then sits at b's threshold.
      const threshold = Number.isFinite(a.threshold) ? a.threshold + t * (b.threshold - a.threshold) : b.threshold;
      return { eer: a.far + t * (b.far - a.far), threshold };
    }
  }
  // Unreachable for a curve from rocCurve (it starts at FRR 1, FAR 0 and ends at FRR 0, FAR 1).
  throw invalid('ROC curve does not cross FRR = FAR');
}

/**
 * Largest TAR whose FAR does not exceed `farTarget`. Thresholds are taken on the impostor scores with a
 * strict decision (accept score > threshold), so the FAR counted is exactly the impostors above it.
 * With fewer than 1/farTarget impostors only FAR 0 is reachable: the threshold is then the top impostor.
 */
export function tarAtFar(genuine: ArrayLike<number>, impostor: ArrayLike<number>, farTarget: number): TarAtFarResult {
  requireBoth(genuine, impostor);
  return tarAtFarFromSorted(sortScores(genuine, impostor), farTarget);
}

function tarAtFarFromSorted(s: SortedScores, farTarget: number): TarAtFarResult {
  if (!(farTarget >= 0 && farTarget <= 1)) throw invalid(`FAR target ${farTarget} is outside [0, 1]`);
  // Walking down the distinct values: genuines strictly above value k are those in groups < k.
  let genuineAbove = 0;
  let impostorAbove = 0;
  let best: TarAtFarResult | undefined;
  for (let k = 0; k < s.values.length; k++) {
    if ((s.impostorAt[k] as number) > 0) {
      const far = impostorAbove / s.impostorTotal;
      if (far > farTarget) break;
      best = { threshold: s.values[k] as number, far, tar: genuineAbove / s.genuineTotal };
    }
    genuineAbove += s.genuineAt[k] as number;
    impostorAbove += s.impostorAt[k] as number;
  }
  // The top impostor always gives FAR 0 <= target, so `best` is set whenever impostors exist.
  return best as TarAtFarResult;
}

export interface VerificationFigures {
  readonly roc: RocPoint[];
  readonly eer: EerResult;
  /** One result per requested FAR target, in the same order. */
  readonly tarAtFar: TarAtFarResult[];
}

/** ROC, EER and TAR at each FAR target from a single sort of the scores. */
export function verificationFigures(
  genuine: ArrayLike<number>,
  impostor: ArrayLike<number>,
  farTargets: readonly number[],
): VerificationFigures {
  requireBoth(genuine, impostor);
  const sorted = sortScores(genuine, impostor);
  const roc = rocFromSorted(sorted);
  return { roc, eer: eerFromRoc(roc), tarAtFar: farTargets.map((t) => tarAtFarFromSorted(sorted, t)) };
}

/** Fraction of correct decisions with the rule: accept when score >= threshold. */
export function accuracyAt(genuine: ArrayLike<number>, impostor: ArrayLike<number>, threshold: number): number {
  const total = genuine.length + impostor.length;
  if (total === 0) throw invalid('no scores');
  let correct = 0;
  for (let k = 0; k < genuine.length; k++) if ((genuine[k] as number) >= threshold) correct++;
  for (let k = 0; k < impostor.length; k++) if ((impostor[k] as number) < threshold) correct++;
  return correct / total;
}

/**
 * Threshold with the highest accuracy on this set. Candidates sit midway between adjacent distinct
 * scores (so they generalise to unseen scores instead of sitting on a training score), plus one below
 * and one above every score. Ties: the middle one of the best candidates, away from both extremes.
 */
export function bestAccuracyThreshold(genuine: ArrayLike<number>, impostor: ArrayLike<number>): ThresholdChoice {
  const total = genuine.length + impostor.length;
  if (total === 0) throw invalid('no scores');
  const s = sortScores(genuine, impostor);
  const n = s.values.length;
  // Candidate c (0..n): accept the first c distinct values (descending).
  const thresholds: number[] = [];
  const correct: number[] = [];
  let acceptedGenuine = 0;
  let acceptedImpostor = 0;
  for (let c = 0; c <= n; c++) {
    if (c > 0) {
      acceptedGenuine += s.genuineAt[c - 1] as number;
      acceptedImpostor += s.impostorAt[c - 1] as number;
    }
    const hi = c > 0 ? (s.values[c - 1] as number) : undefined;
    const lo = c < n ? (s.values[c] as number) : undefined;
    const threshold =
      hi === undefined ? (lo as number) + 1 : lo === undefined ? hi : lo + (hi - lo) / 2;
    thresholds.push(threshold);
    correct.push(acceptedGenuine + (s.impostorTotal - acceptedImpostor));
  }
  let top = 0;
  for (const v of correct) top = Math.max(top, v);
  const tied = correct.flatMap((v, c) => (v === top ? [c] : []));
  const pick = tied[Math.floor((tied.length - 1) / 2)] as number;
  return { threshold: thresholds[pick] as number, accuracy: top / total };
}

export interface IdentificationTrial {
  /** Score of the probe against its own identity's template. */
  readonly genuine: number;
  /** Scores against every other enrolled identity. */
  readonly impostors: ArrayLike<number>;
}

/** Rank-1 identification rate; a tie with an impostor counts as a miss (conservative). */
export function rankOneRate(trials: readonly IdentificationTrial[]): number {
  if (trials.length === 0) throw invalid('no identification trials');
  let hits = 0;
  for (const t of trials) {
    let best = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < t.impostors.length; k++) best = Math.max(best, t.impostors[k] as number);
    if (t.genuine > best) hits++;
  }
  return hits / trials.length;
}

/** Mean and population standard deviation (as numpy's std, the usual LFW report). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) throw invalid('no values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}
