/**
 * Opens the kiosk's SQLite file: refuses a schema newer than this code without touching the
 * file, applies pending migrations, and sets the connection up for a kiosk's durability needs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { KioskError } from '../errors.js';
import { applyMigrations, readMigrations, readSchemaVersion } from './migrations.js';
import { installRoot } from '../runtime/install-root.js';

export interface OpenDatabaseOptions {
  /** Folder of NNNN_name.sql files; defaults to the repository's migrations/. */
  readonly migrationsDir?: string;
  /**
   * FULL (default) fsyncs the WAL on every commit, so an acknowledged clock-in survives a power
   * cut, not only a killed process (NORMAL already survives SIGKILL in WAL mode). A kiosk
   * commits a handful of rows a minute and bulk loads run in one transaction, so the extra
   * fsync per commit costs nothing noticeable.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Clock used for created_at / applied_at columns (tests pin it). */
  readonly now?: () => Date;
}

export interface IntegrityReport {
  readonly ok: boolean;
  /** SQLite's `PRAGMA integrity_check` lines; `['ok']` when healthy. */
  readonly messages: readonly string[];
}

export interface KioskDatabase {
  readonly path: string;
  /** Raw better-sqlite3 handle, for the repositories of this folder. */
  readonly connection: Database.Database;
  readonly schemaVersion: number;
  now(): Date;
  /** Runs `fn` in a BEGIN IMMEDIATE transaction (a savepoint when nested); rolls back on throw. */
  transaction<T>(fn: () => T): T;
  checkIntegrity(): IntegrityReport;
  close(): void;
}

const BUSY_TIMEOUT_MS = 5_000;

/** The installation's migrations/ folder (the repository's in development). */
export function defaultMigrationsDir(): string {
  return join(installRoot(), 'migrations');
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): KioskDatabase {
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const now = options.now ?? (() => new Date());
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });

  const connection = guard(path, () => new Database(path));
  try {
    connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Checked before anything that writes (journal mode, migrations): a too-new file is closed
    // exactly as it was found.
    refuseIfNewer(path, guard(path, () => readSchemaVersion(connection)), migrations.length);
    guard(path, () => {
      if (!inMemory) {
        const mode = connection.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal') throw new Error(`journal_mode stayed ${String(mode)}`);
      }
      connection.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      connection.pragma('foreign_keys = ON');
      // Erased biometric rows are overwritten with zeros instead of lingering in free pages.
      connection.pragma('secure_delete = ON');
    });
    const schemaVersion = applyMigrations(connection, migrations, now);
    return wrap(path, connection, schemaVersion, now);
  } catch (error) {
    connection.close();
    throw error;
  }
}

function refuseIfNewer(path: string, version: number, known: number): void {
  if (version > known) {
    throw new KioskError(
      'DB_TOO_NEW',
      `database ${path} has schema version ${version} but this program knows only up to ${known}; use a newer version of the program`,
      { path, version, known },
    );
  }
}

/** Turns "this file is not a database" into a typed error; everything else passes through. */
function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new KioskError('DB_CORRUPT', `${path} is not a readable kiosk database (${String(code)})`, { path });
    }
    throw error;
  }
}

function wrap(path: string, connection: Database.Database, schemaVersion: number, now: () => Date): KioskDatabase {
  return {
    path,
    connection,
    schemaVersion,
    now,
    transaction: <T>(fn: () => T): T => connection.transaction(fn).immediate(),
    checkIntegrity(): IntegrityReport {
      const messages = connection.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
      const lines = messages.map((row) => row.integrity_check);
      return { ok: lines.length === 1 && lines[0] === 'ok', messages: lines };
    },
    close: () => connection.close(),
  };
}
