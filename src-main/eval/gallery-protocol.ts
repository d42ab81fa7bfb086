/**
 * Closed-set gallery protocol over a folder with one sub-folder per identity: the first K files
 * of each identity form its enrollment template; every other file is probed against all templates.
 * Genuine score = probe vs. its own template; impostor scores = probe vs. every other template.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { KioskError } from '../core/errors.js';
import { describeFailure, embedAll, type EmbedFile, type EmbedProgress, type FailedItem } from './embed-all.js';
import { rankOneRate, type IdentificationTrial } from './metrics.js';
import type { Similarity } from '../core/match/energy.js';
import { summariseVerification, type VerificationSummary } from './verification-summary.js';

export interface GalleryIdentity {
  readonly id: string;
  readonly enroll: readonly string[];
  readonly probes: readonly string[];
}

export interface ListGalleryOptions {
  readonly enrollCount: number;
  /** Lower-case extensions with the dot, e.g. ['.wav']; other files (videos, READMEs) are ignored. */
  readonly extensions: readonly string[];
}

/** Names in natural order (s2 before s10, 2.pgm before 10.pgm), the order a person reads a folder in. */
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** Entries of the given kind, following symbolic links (galleries are often assembled from links). */
async function entriesOfKind(dir: string, kind: 'dir' | 'file'): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  const kept: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const target = e.isSymbolicLink() ? await stat(join(dir, e.name)).catch(() => undefined) : e;
    if (target && (kind === 'dir' ? target.isDirectory() : target.isFile())) kept.push(e.name);
  }
  return kept;
}

export async function listGallery(dir: string, options: ListGalleryOptions): Promise<GalleryIdentity[]> {
  if (!Number.isInteger(options.enrollCount) || options.enrollCount < 1) {
    throw new KioskError('INVALID_INPUT', `enroll count must be a positive integer, got ${options.enrollCount}`);
  }
  let folders: string[];
  try {
    folders = (await entriesOfKind(dir, 'dir')).sort(byName);
  } catch (cause) {
    throw new KioskError('NOT_FOUND', `gallery folder ${dir} cannot be read`, { path: dir, cause: String(cause) });
  }
  const identities: GalleryIdentity[] = [];
  for (const id of folders) {
    const files = (await entriesOfKind(join(dir, id), 'file'))
      .filter((name) => options.extensions.includes(extname(name).toLowerCase()))
      .sort(byName)
      .map((name) => join(dir, id, name));
    if (files.length > 0) {
      identities.push({ id, enroll: files.slice(0, options.enrollCount), probes: files.slice(options.enrollCount) });
    }
  }
  if (identities.length < 2) {
    throw new KioskError('INVALID_INPUT', `gallery ${dir} needs at least 2 identity sub-folders with ${options.extensions.join('/')} files, found ${identities.length}`);
  }
  return identities;
}

/** "NO_FACE ×27, CORRUPT_IMAGE ×1": what went wrong, most frequent first. */
function failureCounts(failed: readonly FailedItem[]): string {
  const counts = new Map<string, number>();
  for (const f of failed) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
}

export interface GalleryEvaluationOptions {
  /** Embeds an enrollment file. */
  readonly embed: EmbedFile;
  /** Embeds a probe file (e.g. cropped to a few seconds); defaults to `embed`. */
  readonly embedProbe?: EmbedFile;
  /** Builds one identity's template from its enrollment embeddings. */
  readonly template: (embeddings: Float32Array[]) => Float32Array;
  readonly similarity: Similarity;
  readonly concurrency?: number;
  readonly onProgress?: (progress: EmbedProgress) => void;
}

export interface GalleryEvaluation extends VerificationSummary {
  /** Rank-1 rate over all probes; failed probes count as misses. */
  readonly rank1: number;
  /** Number of genuine and impostor scores. */
  readonly genuine: number;
  readonly impostor: number;
  readonly identities: number;
  readonly enrolledIdentities: number;
  readonly probes: number;
  /** Probes not scored: the file failed, or its identity could not be enrolled. */
  readonly failedProbes: number;
  readonly failed: readonly FailedItem[];
}

export async function evaluateGallery(
  identities: readonly GalleryIdentity[],
  options: GalleryEvaluationOptions,
): Promise<GalleryEvaluation> {
  const enrolled = await embedAll(identities.flatMap((i) => i.enroll), options.embed, {
    stage: 'enroll',
    concurrency: options.concurrency,
    onProgress: options.onProgress,
  });
  const probed = await embedAll(identities.flatMap((i) => i.probes), options.embedProbe ?? options.embed, {
    stage: 'probe',
    concurrency: options.concurrency,
    onProgress: options.onProgress,
  });
  const failed: FailedItem[] = [...enrolled.failed, ...probed.failed];

  const templates = new Map<string, Float32Array>();
  for (const identity of identities) {
    const embeddings = identity.enroll.flatMap((p) => enrolled.embeddings.get(p) ?? []);
    if (embeddings.length === 0) continue;
    try {
      templates.set(identity.id, options.template(embeddings));
    } catch (error) {
      failed.push(describeFailure(identity.enroll[0] as string, error));
    }
  }

  const genuine: number[] = [];
  const impostor: number[] = [];
  const trials: IdentificationTrial[] = [];
  let probes = 0;
  for (const identity of identities) {
    probes += identity.probes.length;
    const own = templates.get(identity.id);
    if (own === undefined) continue;
    for (const path of identity.probes) {
      const probe = probed.embeddings.get(path);
      if (probe === undefined) continue;
      const others: number[] = [];
      for (const [id, template] of templates) {
        if (id !== identity.id) others.push(options.similarity.score(probe, template));
      }
      const score = options.similarity.score(probe, own);
      genuine.push(score);
      impostor.push(...others);
      trials.push({ genuine: score, impostors: others });
    }
  }
  if (trials.length === 0) {
    throw new KioskError('INVALID_INPUT', `no probe could be scored (${probes} probes, ${templates.size} identities enrolled; failures: ${failureCounts(failed)})`, {
      failed: failed.slice(0, 20),
    });
  }

  return {
    ...summariseVerification(genuine, impostor),
    rank1: rankOneRate(trials) * (trials.length / probes),
    genuine: genuine.length,
    impostor: impostor.length,
    identities: identities.length,
    enrolledIdentities: templates.size,
    probes,
    failedProbes: probes - trials.length,
    failed,
  };
}
