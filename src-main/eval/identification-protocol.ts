/**
 * Open-set 1:N identification in NIST FRVT 1:N terms, over a folder per identity.
 *
 * Split: identities with more than K files can be enrolled (their first K files); every identity
 * with K files or fewer, plus a seeded fraction of the others, is never enrolled and supplies the
 * non-mated searches (strangers, all their files); the enrolled identities' remaining files are
 * the mated searches. Galleries of each size N are nested prefixes of one seeded order of the
 * enrolled identities, so a larger gallery contains the smaller one. Every file is embedded once.
 *
 * Per size, from the top-2 candidates each search returns (the kiosk's own gallery and search):
 *  - FPIR(T): non-mated searches whose best candidate scores ≥ T;
 *  - FNIR(T): mated searches whose mate is not returned at rank 1 with a score ≥ T (a search that
 *    failed to acquire counts as a miss; a non-mated one that failed is not a false positive);
 *  - misidentification(T): mated searches that return a wrong identity at rank 1 with a score ≥ T;
 *  - the threshold for a target FPIR is set on the non-mated scores (the largest accepted count
 *    that stays within the target), with the counts behind each figure;
 *  - the kiosk's decision rule (threshold + margin, core/match/decision.ts) as configured;
 *  - with a verify rule, the kiosk's claim-and-verify mode: every mated search claims its own
 *    identity (refused below the threshold for that identity's template count: FNMR), and every
 *    non-mated search claims a seeded random member of the gallery (accepted: FMR).
 */
import { KioskError } from '../core/errors.js';
import { decide, type DecisionPolicy } from '../core/match/decision.js';
import type { Similarity } from '../core/match/energy.js';
import { Gallery, type Candidate } from '../core/match/gallery.js';
import { describeFailure, embedAll, type EmbedFile, type EmbedProgress, type FailedItem } from './embed-all.js';
import type { GalleryIdentity } from './gallery-protocol.js';
import { mulberry32 } from './mulberry32.js';

export const FPIR_TARGETS = ['0.01', '0.003', '0.001'] as const;
export type FpirKey = (typeof FPIR_TARGETS)[number];

export interface Stranger {
  readonly id: string;
  readonly files: readonly string[];
}

export interface IdentificationSplit {
  readonly enrollable: readonly GalleryIdentity[];
  readonly strangers: readonly Stranger[];
}

export interface SplitOptions {
  /** Fraction of the enrollable identities held out as strangers, in [0, 1). */
  readonly nonMatedFraction: number;
  readonly seed: number;
}

/** `identities` as listGallery gives them (first K files to enroll, the rest as probes). */
export function splitForIdentification(identities: readonly GalleryIdentity[], options: SplitOptions): IdentificationSplit {
  const { nonMatedFraction } = options;
  if (!(nonMatedFraction >= 0 && nonMatedFraction < 1)) {
    throw new KioskError('INVALID_INPUT', `non-mated fraction must be in [0, 1), got ${nonMatedFraction}`);
  }
  const natural: Stranger[] = identities.filter((i) => i.probes.length === 0).map((i) => ({ id: i.id, files: i.enroll }));
  const candidates = shuffled(identities.filter((i) => i.probes.length > 0), options.seed);
  const heldOut = Math.round(candidates.length * nonMatedFraction);
  const strangers = [...natural, ...candidates.slice(0, heldOut).map((i) => ({ id: i.id, files: [...i.enroll, ...i.probes] }))];
  const enrollable = candidates.slice(heldOut).sort((a, b) => a.id.localeCompare(b.id));
  if (enrollable.length === 0) throw new KioskError('INVALID_INPUT', 'no identity has more files than the enroll count: nobody can be enrolled');
  if (strangers.length === 0) {
    throw new KioskError('INVALID_INPUT', 'no stranger to search with: give a non-mated fraction above 0 or identities with at most enroll-count files');
  }
  return { enrollable, strangers };
}

/** How an identity's enrollment embeddings become gallery rows: the kiosk's face and voice rules. */
export type EnrollmentRule =
  | { readonly kind: 'each' }
  | { readonly kind: 'mean'; readonly combine: (embeddings: readonly Float32Array[]) => Float32Array };

export interface IdentificationOptions {
  readonly embed: EmbedFile;
  /** Embeds a search (e.g. cropped to a few seconds); defaults to `embed`. */
  readonly embedProbe?: EmbedFile;
  readonly rule: EnrollmentRule;
  readonly similarity: Similarity;
  /** Gallery sizes; 'all' is every enrolled identity. */
  readonly sizes: readonly (number | 'all')[];
  readonly seed: number;
  /** The kiosk's threshold and margin for this modality, fixed or as the kiosk derives it from the gallery's template count. */
  readonly kioskRule: DecisionPolicy | ((templates: number) => DecisionPolicy);
  /** The kiosk's threshold for one claim against an identity with this many templates; no verify figures without it. */
  readonly verifyRule?: (templates: number) => number;
  readonly concurrency?: number;
  readonly onProgress?: (progress: EmbedProgress) => void;
}

export interface AtFpir {
  /** Lowest score accepted; Infinity when the target allows no non-mated search to pass. */
  readonly threshold: number;
  readonly nonMatedAccepted: number;
  readonly matedMissed: number;
  readonly misidentified: number;
}

export interface KioskRuleFigures {
  readonly threshold: number;
  readonly margin: number;
  readonly fpir: number;
  readonly fnir: number;
  readonly misidentification: number;
  readonly nonMatedAccepted: number;
  readonly matedMissed: number;
  readonly misidentified: number;
}

export interface VerifyFigures {
  /** Mated searches claiming their own identity (failed acquisitions count as refused), and how many were refused. */
  readonly genuineClaims: number;
  readonly genuineRefused: number;
  readonly fnmr: number;
  /** Non-mated searches that acquired, each claiming a random member, and how many were accepted. */
  readonly impostorClaims: number;
  readonly impostorAccepted: number;
  readonly fmr: number;
  /** The thresholds used, over the members' template counts. */
  readonly threshold: { readonly min: number; readonly max: number };
}

export interface DetPoint {
  readonly fpir: number;
  readonly fnir: number;
}

export interface SizeFigures {
  readonly n: number;
  /** Mated searches (including those that failed to acquire) and non-mated searches. */
  readonly mated: number;
  readonly nonMated: number;
  /** Mate returned first, whatever its score. */
  readonly rank1: number;
  readonly fnirAtFpir: Record<FpirKey, number>;
  readonly misidentificationAtFpir: Record<FpirKey, number>;
  readonly atFpir: Record<FpirKey, AtFpir>;
  readonly kioskRule: KioskRuleFigures;
  readonly verify: VerifyFigures | null;
  readonly det: readonly DetPoint[];
}

export interface IdentificationEvaluation {
  readonly identities: number;
  readonly enrollable: number;
  readonly strangers: number;
  /** Enrollable identities none of whose enrollment files gave an embedding. */
  readonly failedToEnrol: number;
  /** Searches (mated and non-mated) whose file gave no embedding. */
  readonly failedToAcquire: number;
  readonly nonMated: number;
  readonly sizes: readonly SizeFigures[];
  readonly failed: readonly FailedItem[];
}

interface Enrolled {
  readonly identity: GalleryIdentity;
  readonly rows: readonly Float32Array[];
}

/** The two best distinct identities a search returned (index into the gallery order), or null when it failed to acquire. */
type SearchResult = readonly Candidate[] | null;

export async function evaluateIdentification(split: IdentificationSplit, options: IdentificationOptions): Promise<IdentificationEvaluation> {
  const embedded = await embedAll(split.enrollable.flatMap((i) => i.enroll), options.embed, { stage: 'enroll', ...progress(options) });
  const searches = await embedAll([...split.enrollable.flatMap((i) => i.probes), ...split.strangers.flatMap((s) => s.files)], options.embedProbe ?? options.embed, {
    stage: 'search',
    ...progress(options),
  });
  const failed: FailedItem[] = [...embedded.failed, ...searches.failed];
  const enrolled: Enrolled[] = [];
  for (const identity of split.enrollable) {
    const embeddings = identity.enroll.flatMap((path) => embedded.embeddings.get(path) ?? []);
    if (embeddings.length === 0) continue;
    try {
      enrolled.push({ identity, rows: options.rule.kind === 'each' ? embeddings : [options.rule.combine(embeddings)] });
    } catch (error) {
      failed.push(describeFailure(identity.enroll[0] as string, error));
    }
  }
  if (enrolled.length === 0) throw new KioskError('INVALID_INPUT', 'no identity could be enrolled: every enrollment file failed', { failed: failed.slice(0, 20) });
  const sizes = resolveSizes(options.sizes, enrolled.length);
  // Another stream than the split's, so which identities are held out and which enter first are independent.
  const order = shuffled(enrolled, options.seed ^ 0x9e3779b9);
  const strangerFiles = split.strangers.flatMap((s) => s.files);

  const figures = sizes.map((n) => {
    const members = order.slice(0, n);
    const gallery = galleryOf(members, options.similarity);
    const search = (path: string): SearchResult => {
      const probe = searches.embeddings.get(path);
      return probe === undefined ? null : gallery.search(probe, 2);
    };
    const mated = members.flatMap((member, index) => member.identity.probes.map((path) => ({ mate: index + 1, result: search(path) })));
    const nonMated = strangerFiles.map(search);
    const policy = typeof options.kioskRule === 'function' ? options.kioskRule(gallery.size) : options.kioskRule;
    const verify = options.verifyRule === undefined ? null : verifyFigures(members, gallery, searches.embeddings, strangerFiles, options.verifyRule, options.seed ^ n);
    return { ...sizeFigures(n, mated, nonMated, policy), verify };
  });

  return {
    identities: split.enrollable.length + split.strangers.length,
    enrollable: split.enrollable.length,
    strangers: split.strangers.length,
    failedToEnrol: split.enrollable.length - enrolled.length,
    failedToAcquire: searches.failed.length,
    nonMated: strangerFiles.length,
    sizes: figures,
    failed,
  };
}

function progress(options: IdentificationOptions): { concurrency?: number; onProgress?: (p: EmbedProgress) => void } {
  return {
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
}

function resolveSizes(sizes: readonly (number | 'all')[], available: number): number[] {
  if (sizes.length === 0) throw new KioskError('INVALID_INPUT', 'give at least one gallery size');
  return sizes.map((size) => {
    if (size === 'all') return available;
    if (!Number.isInteger(size) || size < 1) throw new KioskError('INVALID_INPUT', `gallery size must be a positive integer or 'all', got ${size}`);
    if (size > available) {
      throw new KioskError('INVALID_INPUT', `gallery size ${size} is larger than the ${available} identities that could be enrolled`, { size, available });
    }
    return size;
  });
}

/** Identity k of the order is employee k + 1; each row is one template. */
function galleryOf(members: readonly Enrolled[], similarity: Similarity): Gallery {
  const dim = members[0]!.rows[0]!.length;
  const gallery = new Gallery(dim, similarity, members.length);
  let templateId = 0;
  members.forEach((member, index) => {
    for (const vector of member.rows) gallery.add({ id: ++templateId, employeeId: index + 1, vector });
  });
  return gallery;
}

/** Claim and verify at the kiosk's per-identity threshold: genuine claims by the mated searches, impostor claims by the strangers. */
function verifyFigures(
  members: readonly Enrolled[],
  gallery: Gallery,
  embeddings: ReadonlyMap<string, Float32Array>,
  strangerFiles: readonly string[],
  thresholdFor: (templates: number) => number,
  seed: number,
): VerifyFigures {
  const thresholds = members.map((member) => thresholdFor(member.rows.length));
  const accepted = (probe: Float32Array | undefined, index: number): boolean => {
    if (probe === undefined) return false;
    const match = gallery.scoreOf(probe, index + 1);
    return match !== null && match.score >= (thresholds[index] as number);
  };
  let genuineClaims = 0;
  let genuineRefused = 0;
  members.forEach((member, index) => {
    for (const path of member.identity.probes) {
      genuineClaims++;
      if (!accepted(embeddings.get(path), index)) genuineRefused++;
    }
  });
  const random = mulberry32(seed);
  let impostorClaims = 0;
  let impostorAccepted = 0;
  for (const path of strangerFiles) {
    const probe = embeddings.get(path);
    if (probe === undefined) continue;
    impostorClaims++;
    if (accepted(probe, Math.floor(random() * members.length))) impostorAccepted++;
  }
  const rate = (count: number, of: number): number => (of === 0 ? 0 : count / of);
  return {
    genuineClaims,
    genuineRefused,
    fnmr: rate(genuineRefused, genuineClaims),
    impostorClaims,
    impostorAccepted,
    fmr: rate(impostorAccepted, impostorClaims),
    threshold: { min: Math.min(...thresholds), max: Math.max(...thresholds) },
  };
}

function sizeFigures(
  n: number,
  mated: readonly { readonly mate: number; readonly result: SearchResult }[],
  nonMated: readonly SearchResult[],
  kiosk: DecisionPolicy,
): Omit<SizeFigures, 'verify'> {
  // Best scores of the non-mated searches that acquired, highest first.
  const strangerScores = nonMated.flatMap((r) => (r === null || r.length === 0 ? [] : [r[0]!.score])).sort((a, b) => b - a);
  const atThreshold = (threshold: number): AtFpir => {
    let matedMissed = 0;
    let misidentified = 0;
    for (const { mate, result } of mated) {
      const best = result?.[0];
      const accepted = best !== undefined && best.score >= threshold;
      if (!accepted || best.employeeId !== mate) matedMissed++;
      if (accepted && best.employeeId !== mate) misidentified++;
    }
    return { threshold, nonMatedAccepted: strangerScores.filter((s) => s >= threshold).length, matedMissed, misidentified };
  };
  const atFpir = Object.fromEntries(
    FPIR_TARGETS.map((key) => [key, atThreshold(thresholdForFpir(strangerScores, nonMated.length, Number(key)))]),
  ) as Record<FpirKey, AtFpir>;
  const rate = (count: number, of: number): number => (of === 0 ? 0 : count / of);
  return {
    n,
    mated: mated.length,
    nonMated: nonMated.length,
    rank1: rate(mated.filter(({ mate, result }) => result?.[0]?.employeeId === mate).length, mated.length),
    fnirAtFpir: mapKeys(atFpir, (a) => rate(a.matedMissed, mated.length)),
    misidentificationAtFpir: mapKeys(atFpir, (a) => rate(a.misidentified, mated.length)),
    atFpir,
    kioskRule: kioskRuleFigures(mated, nonMated, kiosk),
    det: detCurve(strangerScores, nonMated.length, atThreshold, mated.length),
  };
}

/**
 * The lowest threshold at which at most floor(target · searches) non-mated searches pass: just
 * above the score of the first one that must be refused.
 */
export function thresholdForFpir(scoresDescending: readonly number[], searches: number, target: number): number {
  const allowed = Math.floor(target * searches + 1e-9);
  const firstRefused = scoresDescending[allowed];
  if (firstRefused === undefined) return -Infinity;
  return firstRefused + Math.max(Math.abs(firstRefused), 1) * 1e-12;
}

function kioskRuleFigures(
  mated: readonly { readonly mate: number; readonly result: SearchResult }[],
  nonMated: readonly SearchResult[],
  policy: DecisionPolicy,
): KioskRuleFigures {
  const accept = (result: SearchResult): number | null => {
    if (result === null) return null;
    const decision = decide(result, policy);
    return decision.accepted ? decision.employeeId : null;
  };
  const nonMatedAccepted = nonMated.filter((r) => accept(r) !== null).length;
  let matedMissed = 0;
  let misidentified = 0;
  for (const { mate, result } of mated) {
    const who = accept(result);
    if (who !== mate) matedMissed++;
    if (who !== null && who !== mate) misidentified++;
  }
  const rate = (count: number, of: number): number => (of === 0 ? 0 : count / of);
  return {
    threshold: policy.threshold,
    margin: policy.margin,
    fpir: rate(nonMatedAccepted, nonMated.length),
    fnir: rate(matedMissed, mated.length),
    misidentification: rate(misidentified, mated.length),
    nonMatedAccepted,
    matedMissed,
    misidentified,
  };
}

/** One point per distinct non-mated score (each a threshold), from the strictest to the loosest. */
function detCurve(strangerScores: readonly number[], searches: number, at: (threshold: number) => AtFpir, mated: number): DetPoint[] {
  const thresholds = [Infinity, ...new Set(strangerScores)];
  return thresholds.map((threshold) => {
    const figures = at(threshold);
    return { fpir: searches === 0 ? 0 : figures.nonMatedAccepted / searches, fnir: mated === 0 ? 0 : figures.matedMissed / mated };
  });
}

function mapKeys<T, U>(record: Record<FpirKey, T>, f: (value: T) => U): Record<FpirKey, U> {
  return Object.fromEntries(FPIR_TARGETS.map((key) => [key, f(record[key])])) as Record<FpirKey, U>;
}

/** Fisher-Yates with a seeded generator: the same seed gives the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
