/** Temp folders, migration fixtures and a pinned clock for the store tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { KioskError, type KioskErrorCode } from '../../src-main/core/errors.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-store-'));
  created.push(dir);
  return dir;
}

/** Writes `files` (name → SQL) into a new migrations folder and returns its path. */
export function migrationsFolder(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

/** A clock that returns `start` and then advances one second per call. */
export function steppingClock(start: string): () => Date {
  let t = Date.parse(start);
  return () => {
    const now = new Date(t);
    t += 1000;
    return now;
  };
}

/** Runs `fn` and returns the KioskError code it threw (fails the test if it did not throw one). */
export function codeOf(fn: () => unknown): KioskErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw new Error(`expected a KioskError, got ${String(error)}`);
  }
  throw new Error('expected a KioskError, nothing was thrown');
}

/** A clock that stays where it is set. */
export interface ManualClock {
  readonly now: () => Date;
  set(iso: string): void;
}

export function manualClock(iso: string): ManualClock {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (next) => {
      t = Date.parse(next);
    },
  };
}
