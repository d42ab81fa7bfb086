/**
 * Schema migrations: numbered SQL files (`0001_init.sql`, `0002_….sql`) applied in order, each
 * inside its own transaction, each recorded in `schema_migrations` with the time it was applied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { KioskError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the migration files of `dir`; versions must run 1, 2, 3, … without gaps or duplicates. */
export function readMigrations(dir: string): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.sql'));
  } catch (cause) {
    throw new KioskError('MIGRATION_FAILED', `cannot read the migrations folder ${dir}`, { cause: String(cause) });
  }
  const migrations = files
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) {
        throw new KioskError('MIGRATION_FAILED', `migration file name ${file} is not NNNN_name.sql`, { file });
      }
      return { version: Number(match[1]), name: file, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new KioskError('MIGRATION_FAILED', `migration ${migration.name} breaks the sequence: expected version ${index + 1}`, {
        file: migration.name,
      });
    }
  });
  return migrations;
}

/** Highest applied version; 0 for a database that has never been migrated. */
export function readSchemaVersion(db: Database.Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Applies every migration newer than the database. A failing migration is rolled back
 * completely (its earlier statements too) and reported as MIGRATION_FAILED; versions already
 * applied stay applied. Returns the resulting schema version.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[], now: () => Date): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (isApplied.get(migration.version) !== undefined) continue;
    // IMMEDIATE takes the write lock first, so a second process starting at the same moment
    // waits and then sees the version as applied instead of applying it twice.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (isApplied.get(migration.version) === undefined) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, now().toISOString());
      }
      db.exec('COMMIT');
    } catch (cause) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw new KioskError('MIGRATION_FAILED', `migration ${migration.name} failed and was rolled back: ${String(cause)}`, {
        version: migration.version,
        file: migration.name,
      });
    }
  }
  return readSchemaVersion(db);
}
