/**
 * Embeddings of an evaluation set kept in a file between runs, so the 1:N evaluation and the
 * calibration of the same photos or clips embed each file once. Entries belong to one model
 * (id and sha256) and are keyed by a variant (e.g. "probe:crop=3") and the file's real path (a
 * gallery of links reuses the embeddings of the files they point to);
 * a file written for another model is ignored. Failures are kept too, so a file the pipeline
 * rejects is not tried again. Public evaluation data only: the kiosk never writes such a file.
 */
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KioskError } from '../core/errors.js';
import type { KioskErrorCode } from '../core/errors.js';
import type { ModelRef } from '../core/runtime/model-ref.js';
import type { EmbedFile } from './embed-all.js';

const FORMAT = 'attendance-kiosk/embedding-cache/v1';

type Entry = string | { readonly code: KioskErrorCode; readonly message: string };

interface CacheFile {
  readonly format: typeof FORMAT;
  readonly model: ModelRef;
  readonly entries: Record<string, Entry>;
}

export class EmbeddingCache {
  private constructor(
    private readonly path: string,
    private readonly model: ModelRef,
    private readonly entries: Record<string, Entry>,
  ) {}

  /** Opens `path` (a missing file, or one for another model, starts empty). */
  static async open(path: string, model: ModelRef): Promise<EmbeddingCache> {
    let entries: Record<string, Entry> = {};
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<CacheFile>;
      if (parsed.format === FORMAT && parsed.model?.id === model.id && parsed.model.sha256 === model.sha256 && parsed.entries) entries = parsed.entries;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    return new EmbeddingCache(path, model, entries);
  }

  get size(): number {
    return Object.keys(this.entries).length;
  }

  /** `embed`, answered from the cache where it can be; new results (and typed failures) are recorded. */
  wrap(embed: EmbedFile, variant: string): EmbedFile {
    return async (path) => {
      const key = `${variant}|${await realpath(path).catch(() => resolve(path))}`;
      const known = this.entries[key];
      if (typeof known === 'string') return new Float32Array(new Uint8Array(Buffer.from(known, 'base64')).buffer);
      if (known !== undefined) throw new KioskError(known.code, known.message, { path });
      try {
        const embedding = await embed(path);
        this.entries[key] = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength).toString('base64');
        return embedding;
      } catch (error) {
        if (error instanceof KioskError) this.entries[key] = { code: error.code, message: error.message };
        throw error;
      }
    };
  }

  async save(): Promise<void> {
    const file: CacheFile = { format: FORMAT, model: this.model, entries: this.entries };
    await writeFile(this.path, JSON.stringify(file));
  }
}
