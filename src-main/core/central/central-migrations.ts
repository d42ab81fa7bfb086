/**
 * The central server's schema: numbered SQL files in migrations-central/ (NNNN_name.sql, the same
 * rules as the kiosk's SQLite migrations), each applied in its own transaction and recorded in
 * `schema_migrations`. A session-level advisory lock makes two `server init` runs at once apply
 * each migration once. A server schema newer than this program is refused (DB_TOO_NEW).
 */
import { join } from 'node:path';
import { KioskError } from '../errors.js';
import { installRoot } from '../runtime/install-root.js';
import { readMigrations } from '../store/migrations.js';
import type { CentralClient } from './connection.js';

const MIGRATION_LOCK = 727271300001;

export function defaultCentralMigrationsDir(): string {
  return join(installRoot(), 'migrations-central');
}

export async function centralSchemaVersion(client: CentralClient): Promise<number> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return 0;
  const row = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return row.rows[0]?.v ?? 0;
}

/** Applies every pending migration; returns the schema version and which files were applied now. */
export async function migrateCentral(client: CentralClient, dir = defaultCentralMigrationsDir()): Promise<{ version: number; applied: string[] }> {
  const migrations = readMigrations(dir);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const current = await centralSchemaVersion(client);
    if (current > migrations.length) {
      throw new KioskError('DB_TOO_NEW', `the central server has schema version ${current} but this program knows only up to ${migrations.length}; use a newer version of the program`, {
        version: current,
        known: migrations.length,
      });
    }
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (cause) {
        await client.query('ROLLBACK').catch(() => {});
        throw new KioskError('MIGRATION_FAILED', `central migration ${migration.name} failed and was rolled back: ${String(cause)}`, {
          version: migration.version,
          file: migration.name,
        });
      }
    }
    return { version: await centralSchemaVersion(client), applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}

/** DB_TOO_NEW or MIGRATION_FAILED unless the server's schema is exactly the one this program knows. */
export async function requireCentralSchema(client: CentralClient, dir = defaultCentralMigrationsDir()): Promise<number> {
  const known = readMigrations(dir).length;
  const version = await centralSchemaVersion(client);
  if (version > known) {
    throw new KioskError('DB_TOO_NEW', `the central server has schema version ${version}; this kiosk knows only up to ${known}: update the kiosk`, { version, known });
  }
  if (version < known) {
    throw new KioskError('MIGRATION_FAILED', `the central server has schema version ${version}, this kiosk needs ${known}: run "npm run kiosk -- server init --pg <url>" on it`, { version, known });
  }
  return version;
}
