/**
 * ONNX session host: creates one InferenceSession per model file and reuses it, honouring an
 * execution-provider preference list. onnxruntime-node throws (instead of falling back) when
 * a listed provider's library is missing — e.g. CUDA on a machine without the separately
 * downloaded provider — so each provider is tried in turn and the one that worked is reported.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';

export type ExecutionProvider = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

const KNOWN_PROVIDERS: readonly ExecutionProvider[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

/** Parses a preference list such as "cuda,cpu" (the KIOSK_PROVIDERS setting); empty means CPU only. */
export function parseProviders(text: string | undefined): ExecutionProvider[] {
  const names = (text ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  const unknown = names.filter((n) => !KNOWN_PROVIDERS.includes(n as ExecutionProvider));
  if (unknown.length > 0) {
    throw new KioskError('INVALID_INPUT', `Unknown execution provider(s): ${unknown.join(', ')}. Known: ${KNOWN_PROVIDERS.join(', ')}.`);
  }
  return names.length === 0 ? ['cpu'] : (names as ExecutionProvider[]);
}

export interface RuntimeOptions {
  /** Tried in order; 'cpu' is always appended as the last resort. */
  readonly providers?: readonly ExecutionProvider[];
  /** Threads inside one operator (0 = onnxruntime's default: one per physical core). */
  readonly intraOpThreads?: number;
}

export interface LoadedSession {
  readonly session: ort.InferenceSession;
  /** The provider the session was created with. */
  readonly provider: ExecutionProvider;
  /** Providers that were tried first and failed, with onnxruntime's reason. */
  readonly skipped: readonly { provider: ExecutionProvider; reason: string }[];
}

export class OnnxHost {
  private readonly sessions = new Map<string, Promise<LoadedSession>>();
  private readonly providers: readonly ExecutionProvider[];
  private readonly intraOpThreads: number;

  constructor(options: RuntimeOptions = {}) {
    const preferred = options.providers ?? ['cpu'];
    this.providers = preferred.includes('cpu') ? preferred : [...preferred, 'cpu'];
    this.intraOpThreads = options.intraOpThreads ?? 0;
  }

  /** Returns the session for `modelPath`, creating it on first use. */
  load(modelPath: string): Promise<LoadedSession> {
    let pending = this.sessions.get(modelPath);
    if (!pending) {
      pending = this.create(modelPath);
      // A failed load must not poison the cache: the next call retries.
      pending.catch(() => this.sessions.delete(modelPath));
      this.sessions.set(modelPath, pending);
    }
    return pending;
  }

  /** Which provider each loaded model runs on, keyed by model path. */
  async providersInUse(): Promise<Record<string, ExecutionProvider>> {
    const entries = await Promise.all(
      [...this.sessions.entries()].map(async ([path, s]) => [path, (await s).provider] as const),
    );
    return Object.fromEntries(entries);
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).session.release()));
  }

  private async create(modelPath: string): Promise<LoadedSession> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(modelPath);
    } catch (cause) {
      throw new KioskError('MODEL_MISSING', `Model file ${modelPath} cannot be read. Run "npm run build:models".`, {
        path: modelPath,
        cause: String(cause),
      });
    }
    const skipped: { provider: ExecutionProvider; reason: string }[] = [];
    for (const provider of this.providers) {
      try {
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [provider],
          intraOpNumThreads: this.intraOpThreads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        return { session, provider, skipped };
      } catch (cause) {
        skipped.push({ provider, reason: cause instanceof Error ? cause.message : String(cause) });
      }
    }
    throw new KioskError('RUNTIME_ERROR', `No execution provider could load ${modelPath}.`, { path: modelPath, skipped });
  }
}
