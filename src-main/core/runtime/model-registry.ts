/**
 * The models/ folder's manifest (written by models/build/build-models.ts): which file holds
 * each model, its sha256, tensor contract, preprocessing and provenance. A model file is
 * hashed before its first use, so a truncated or swapped file fails loudly instead of
 * producing wrong embeddings.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../errors.js';

export const MANIFEST_FILE = 'manifest.json';

const tensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.string().min(1),
  /** Numbers are fixed sizes; strings name dynamic dimensions (e.g. "N"). */
  shape: z.array(z.union([z.number().int(), z.string()])),
  description: z.string().optional(),
});

const processingSpec = z.object({
  text: z.string(),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number())])),
});

const modelEntry = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  inputs: z.array(tensorSpec),
  outputs: z.array(tensorSpec),
  preprocessing: processingSpec,
  postprocessing: processingSpec.optional(),
  source: z.object({
    text: z.string(),
    package: z.string().optional(),
    version: z.string().optional(),
    files: z.array(z.string()).optional(),
  }),
  licence: z.string().min(1),
  /** Fingerprint of the converter code that produced the file (converted models only). */
  builder: z.string().optional(),
  /** The encoder's impostor-score table (eval calibrate), committed beside it. */
  calibration: z.object({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  generatedBy: z.string(),
  models: z.record(z.string(), modelEntry),
});

export type TensorSpec = z.infer<typeof tensorSpec>;
export type ModelEntry = z.infer<typeof modelEntry>;
export type ModelManifest = z.infer<typeof manifestSchema>;

export function parseManifest(json: unknown): ModelManifest {
  return manifestSchema.parse(json);
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

export class ModelRegistry {
  private readonly verified = new Map<string, Promise<string>>();

  private constructor(
    readonly dir: string,
    private readonly manifest: ModelManifest,
  ) {}

  /** Reads and validates `<modelsDir>/manifest.json`. */
  static async open(modelsDir: string): Promise<ModelRegistry> {
    const path = join(modelsDir, MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new KioskError('MODEL_MISSING', `Model manifest ${path} cannot be read. Run "npm run build:models".`, {
        path,
        cause: String(cause),
      });
    }
    try {
      return new ModelRegistry(modelsDir, parseManifest(JSON.parse(text)));
    } catch (cause) {
      throw new KioskError('MODEL_CORRUPT', `Model manifest ${path} is not a valid manifest. Run "npm run build:models".`, {
        path,
        cause: cause instanceof Error ? cause.message : String(cause),
      });
    }
  }

  ids(): string[] {
    return Object.keys(this.manifest.models);
  }

  entry(id: string): ModelEntry {
    const found = this.manifest.models[id];
    if (!found) {
      throw new KioskError('MODEL_MISSING', `Model "${id}" is not listed in ${join(this.dir, MANIFEST_FILE)}. Run "npm run build:models".`, { id });
    }
    return found;
  }

  /**
   * Absolute path of the model's calibration table after checking it against the manifest's
   * sha256, or null when the manifest names none.
   */
  async calibrationPathOf(id: string): Promise<string | null> {
    const calibration = this.entry(id).calibration;
    if (calibration === undefined) return null;
    const path = join(this.dir, calibration.file);
    const actual = await sha256File(path).catch((cause: unknown) => {
      throw new KioskError('MODEL_MISSING', `Calibration ${path} (${id}) cannot be read. Run "npm run build:models".`, { id, cause: String(cause) });
    });
    if (actual !== calibration.sha256) {
      throw new KioskError('MODEL_CORRUPT', `Calibration ${path} (${id}) does not match its manifest entry. Run "npm run build:models".`, { id });
    }
    return path;
  }

  /**
   * Absolute path of the model's file after checking it exists and matches the manifest's
   * sha256 (hashed once per registry).
   */
  pathOf(id: string): Promise<string> {
    let pending = this.verified.get(id);
    if (!pending) {
      pending = this.verify(id);
      pending.catch(() => this.verified.delete(id));
      this.verified.set(id, pending);
    }
    return pending;
  }

  private async verify(id: string): Promise<string> {
    const { file, sha256 } = this.entry(id);
    const path = join(this.dir, file);
    let actual: string;
    try {
      actual = await sha256File(path);
    } catch (cause) {
      throw new KioskError('MODEL_MISSING', `Model file ${path} (${id}) cannot be read. Run "npm run build:models".`, {
        id,
        path,
        cause: String(cause),
      });
    }
    if (actual !== sha256) {
      throw new KioskError('MODEL_CORRUPT', `Model file ${path} (${id}) does not match its manifest sha256. Run "npm run build:models".`, {
        id,
        path,
        expected: sha256,
        actual,
      });
    }
    return path;
  }
}
