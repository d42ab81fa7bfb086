/**
 * Embeds every distinct file once, a few at a time, and records failures instead of stopping:
 * an evaluation over thousands of images must report what the pipeline rejected, not die on it.
 */
import { isKioskError } from '../core/errors.js';

/** Turns one file into an embedding; throws (ideally a KioskError) when the pipeline rejects it. */
export type EmbedFile = (path: string) => Promise<Float32Array>;

export interface FailedItem {
  readonly path: string;
  /** KioskError code, or UNEXPECTED for any other exception (a bug worth reading). */
  readonly code: string;
  readonly message: string;
}

export interface EmbedProgress {
  /** Which pass of the protocol is embedding (e.g. "enroll", "probe", "pairs"). */
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

export interface EmbedAllOptions {
  /** Files in flight at once; onnxruntime runs each on its own threads, so a few overlap decoding well. */
  readonly concurrency?: number;
  readonly stage?: string;
  readonly onProgress?: (progress: EmbedProgress) => void;
}

export interface EmbedAllResult {
  readonly embeddings: ReadonlyMap<string, Float32Array>;
  readonly failed: readonly FailedItem[];
}

export function describeFailure(path: string, error: unknown): FailedItem {
  if (isKioskError(error)) return { path, code: error.code, message: error.message };
  return { path, code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

export async function embedAll(paths: Iterable<string>, embed: EmbedFile, options: EmbedAllOptions = {}): Promise<EmbedAllResult> {
  const unique = [...new Set(paths)];
  const embeddings = new Map<string, Float32Array>();
  const failed: FailedItem[] = [];
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const path = unique[next++] as string;
      try {
        embeddings.set(path, await embed(path));
      } catch (error) {
        failed.push(describeFailure(path, error));
      }
      done++;
      options.onProgress?.({ stage: options.stage ?? 'embed', done, total: unique.length, failed: failed.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  // Completion order depends on timing; sort so reports are reproducible.
  failed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { embeddings, failed };
}
