/**
 * What a kiosk subcommand is, and the output helpers evaluation commands share.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { OptionSpecs, ParsedOptions } from './args.js';
import type { EmbedProgress } from '../eval/embed-all.js';
import type { VerificationSummary } from '../eval/verification-summary.js';
import { installRoot } from '../core/runtime/install-root.js';

export interface CliIo {
  /** Results, one line at a time. */
  out(line: string): void;
  /** Progress and errors. */
  err(line: string): void;
}

export interface Command {
  /** Words that select it, e.g. "eval face". */
  readonly name: string;
  readonly summary: string;
  /** Synopsis lines shown in the usage text. */
  readonly synopsis: readonly string[];
  readonly options: OptionSpecs;
  run(options: ParsedOptions, io: CliIo): Promise<void>;
}

export const DEFAULT_MODELS_DIR = join(installRoot(), 'models');

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** The verification figures without the full ROC, which can hold one point per score (the SVG shows it). */
export function withoutRoc<T extends VerificationSummary>(summary: T): Omit<T, 'roc'> {
  const { roc: _roc, ...rest } = summary;
  return rest;
}

/** Progress on stderr, at most about once a second, plus each stage's last item. */
export function progressPrinter(io: CliIo): (p: EmbedProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done !== p.total && now - last < 1000) return;
    last = now;
    io.err(`[eval] ${p.stage}: ${p.done}/${p.total} files${p.failed ? `, ${p.failed} failed` : ''}`);
  };
}

export const percent = (v: number): string => `${(v * 100).toFixed(2)}%`;
