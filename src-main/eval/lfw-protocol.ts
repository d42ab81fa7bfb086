/**
 * LFW View-2 pair protocol: parse pairs.txt, embed each image once, score the pairs, and report
 * cross-validated accuracy (threshold chosen on the other folds, accuracy on the held-out fold).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KioskError } from '../core/errors.js';
import { embedAll, type EmbedFile, type EmbedProgress, type FailedItem } from './embed-all.js';
import { accuracyAt, bestAccuracyThreshold, meanAndStd } from './metrics.js';
import type { Similarity } from '../core/match/energy.js';
import { summariseVerification, type VerificationSummary } from './verification-summary.js';

export interface LfwImageRef {
  readonly name: string;
  /** 1-based image number as written in pairs.txt. */
  readonly index: number;
}

export interface LfwPair {
  /** 1-based fold number. */
  readonly fold: number;
  readonly same: boolean;
  readonly a: LfwImageRef;
  readonly b: LfwImageRef;
  /** 1-based line in the source file, for error messages. */
  readonly line: number;
}

export interface LfwPairs {
  readonly folds: number;
  readonly pairsPerClass: number;
  readonly pairs: readonly LfwPair[];
}

export const DEFAULT_IMAGE_PATTERN = '{name}/{name}_{i4}.jpg';

function malformed(source: string, line: number, message: string): KioskError {
  return new KioskError('INVALID_INPUT', `${source}:${line}: ${message}`, { source, line });
}

function parseCount(token: string | undefined): number | undefined {
  return token !== undefined && /^\d+$/.test(token) && Number(token) > 0 ? Number(token) : undefined;
}

/**
 * Parses pairs.txt. Header `folds pairsPerClass` (or a single `pairsPerClass`: one fold, as View 1's
 * files); then per fold `pairsPerClass` lines `name i j` followed by as many `name1 i name2 j`.
 * Blank lines are ignored; any other deviation is an INVALID_INPUT error naming the line.
 */
export function parseLfwPairs(text: string, source = 'pairs.txt'): LfwPairs {
  const lines = text.split(/\r?\n/).map((raw, k) => ({ tokens: raw.trim().split(/\s+/), line: k + 1, blank: raw.trim() === '' }));
  const content = lines.filter((l) => !l.blank);
  const header = content[0];
  if (header === undefined) throw malformed(source, 1, 'file is empty');
  const headerCounts = header.tokens.map(parseCount);
  let folds: number;
  let pairsPerClass: number;
  if (headerCounts.length === 1 && headerCounts[0] !== undefined) {
    folds = 1;
    pairsPerClass = headerCounts[0];
  } else if (headerCounts.length === 2 && headerCounts[0] !== undefined && headerCounts[1] !== undefined) {
    folds = headerCounts[0];
    pairsPerClass = headerCounts[1];
  } else {
    throw malformed(source, header.line, `header must be "folds pairsPerClass" or "pairsPerClass", got "${header.tokens.join(' ')}"`);
  }

  const body = content.slice(1);
  const expected = folds * 2 * pairsPerClass;
  if (body.length > expected) {
    const extra = body[expected] as (typeof body)[number];
    throw malformed(source, extra.line, `the header announces ${expected} pairs; this line is one too many`);
  }
  if (body.length < expected) {
    const lastLine = (body[body.length - 1] ?? header).line;
    throw malformed(source, lastLine, `the header announces ${expected} pairs but the file holds ${body.length}`);
  }

  const pairs: LfwPair[] = body.map(({ tokens, line }, k) => {
    const fold = Math.floor(k / (2 * pairsPerClass)) + 1;
    const same = k % (2 * pairsPerClass) < pairsPerClass;
    const index = (token: string | undefined): number => {
      const n = parseCount(token);
      if (n === undefined) throw malformed(source, line, `"${token ?? ''}" is not a positive image number`);
      return n;
    };
    if (same) {
      if (tokens.length !== 3) throw malformed(source, line, `expected a same-person pair "name i j", got "${tokens.join(' ')}"`);
      const name = tokens[0] as string;
      return { fold, same, a: { name, index: index(tokens[1]) }, b: { name, index: index(tokens[2]) }, line };
    }
    if (tokens.length !== 4) throw malformed(source, line, `expected a different-person pair "name1 i name2 j", got "${tokens.join(' ')}"`);
    return {
      fold,
      same,
      a: { name: tokens[0] as string, index: index(tokens[1]) },
      b: { name: tokens[2] as string, index: index(tokens[3]) },
      line,
    };
  });
  return { folds, pairsPerClass, pairs };
}

export async function loadLfwPairs(path: string): Promise<LfwPairs> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new KioskError('NOT_FOUND', `pairs file ${path} cannot be read`, { path, cause: String(cause) });
  }
  return parseLfwPairs(text, path);
}

/**
 * Compiles an image path pattern relative to the images folder. Tokens: {name}; {i} (the image
 * number); {iN} (the number zero-padded to N digits, e.g. {i4} → 0007).
 */
export function compileImagePattern(pattern: string): (ref: LfwImageRef) => string {
  const tokens = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] as string);
  const unknown = tokens.filter((t) => t !== 'name' && !/^i\d?$/.test(t));
  if (unknown.length > 0) {
    throw new KioskError('INVALID_INPUT', `image pattern "${pattern}" has unknown token {${unknown[0]}}; use {name}, {i} or {i4}`);
  }
  if (!tokens.includes('name') || !tokens.some((t) => t.startsWith('i'))) {
    throw new KioskError('INVALID_INPUT', `image pattern "${pattern}" needs both {name} and an image number ({i} or {i4})`);
  }
  return (ref) =>
    pattern.replace(/\{([^}]*)\}/g, (_, token: string) => {
      if (token === 'name') return ref.name;
      const width = token.length > 1 ? Number(token.slice(1)) : 0;
      return String(ref.index).padStart(width, '0');
    });
}

export interface ScoredPair {
  readonly fold: number;
  readonly same: boolean;
  /** Null when one of the pair's images failed to process. */
  readonly score: number | null;
}

export interface FoldResult {
  readonly fold: number;
  readonly pairs: number;
  readonly failedPairs: number;
  /** Accuracy on this fold; failed pairs count as wrong. */
  readonly accuracy: number;
  readonly threshold: number;
  readonly thresholdFrom: 'other-folds' | 'same-fold';
}

export interface CrossValidation {
  readonly accuracy: number;
  readonly accuracyStd: number;
  readonly folds: readonly FoldResult[];
}

/**
 * Per fold: best-accuracy threshold on the scored pairs of the other folds, accuracy on this one.
 * A single fold has no "other" folds: its own threshold is used and flagged `same-fold` (optimistic).
 */
export function crossValidate(scored: readonly ScoredPair[], folds: number): CrossValidation {
  const results: FoldResult[] = [];
  for (let fold = 1; fold <= folds; fold++) {
    const held = scored.filter((p) => p.fold === fold);
    const thresholdFrom = folds === 1 ? 'same-fold' : 'other-folds';
    const training = scored.filter((p) => (folds === 1 ? true : p.fold !== fold) && p.score !== null);
    const genuine = training.filter((p) => p.same).map((p) => p.score as number);
    const impostor = training.filter((p) => !p.same).map((p) => p.score as number);
    if (genuine.length + impostor.length === 0) {
      throw new KioskError('INVALID_INPUT', `no scored pairs to choose fold ${fold}'s threshold from`);
    }
    const { threshold } = bestAccuracyThreshold(genuine, impostor);
    const ok = held.filter((p) => p.score !== null);
    const heldGenuine = ok.filter((p) => p.same).map((p) => p.score as number);
    const heldImpostor = ok.filter((p) => !p.same).map((p) => p.score as number);
    // Failed pairs stay in the denominator: they count as wrong decisions.
    const accuracy = ok.length === 0 ? 0 : accuracyAt(heldGenuine, heldImpostor, threshold) * (ok.length / held.length);
    results.push({
      fold,
      pairs: held.length,
      failedPairs: held.length - ok.length,
      accuracy,
      threshold,
      thresholdFrom,
    });
  }
  const { mean, std } = meanAndStd(results.map((r) => r.accuracy));
  return { accuracy: mean, accuracyStd: std, folds: results };
}

export interface LfwEvaluationOptions {
  readonly imagesDir: string;
  readonly pattern?: string;
  readonly embed: EmbedFile;
  readonly similarity: Similarity;
  readonly concurrency?: number;
  readonly onProgress?: (progress: EmbedProgress) => void;
}

export interface LfwEvaluation extends CrossValidation, VerificationSummary {
  readonly pairs: number;
  readonly failedPairs: number;
  readonly genuinePairs: number;
  readonly impostorPairs: number;
  /** Images the pipeline could not process, with the error code. */
  readonly failed: readonly FailedItem[];
}

/** Runs the protocol. EER and TAR@FAR use the scored pairs only; `failedPairs` says how many were left out. */
export async function evaluateLfw(pairs: LfwPairs, options: LfwEvaluationOptions): Promise<LfwEvaluation> {
  const pathOf = compileImagePattern(options.pattern ?? DEFAULT_IMAGE_PATTERN);
  const resolve = (ref: LfwImageRef): string => join(options.imagesDir, pathOf(ref));
  const { embeddings, failed } = await embedAll(
    pairs.pairs.flatMap((p) => [resolve(p.a), resolve(p.b)]),
    options.embed,
    { stage: 'pairs', concurrency: options.concurrency, onProgress: options.onProgress },
  );

  const scored: ScoredPair[] = pairs.pairs.map((p) => {
    const a = embeddings.get(resolve(p.a));
    const b = embeddings.get(resolve(p.b));
    return { fold: p.fold, same: p.same, score: a && b ? options.similarity.score(a, b) : null };
  });
  const genuine = scored.filter((p) => p.same && p.score !== null).map((p) => p.score as number);
  const impostor = scored.filter((p) => !p.same && p.score !== null).map((p) => p.score as number);

  return {
    ...crossValidate(scored, pairs.folds),
    ...summariseVerification(genuine, impostor),
    pairs: scored.length,
    failedPairs: scored.filter((p) => p.score === null).length,
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    failed,
  };
}
