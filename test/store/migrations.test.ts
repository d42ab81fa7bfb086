import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, openDatabase } from '../../src-main/core/store/database.js';
import { codeOf, migrationsFolder, steppingClock, tempDir } from './helpers.js';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function appliedRows(path: string): { version: number; name: string; applied_at: string }[] {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
      applied_at: string;
    }[];
  } finally {
    raw.close();
  }
}

const STEP_1 = 'CREATE TABLE t (a INTEGER NOT NULL);';
// Each step only works after the previous one, so a wrong order fails loudly.
const STEP_2 = 'ALTER TABLE t ADD COLUMN b TEXT; INSERT INTO t (a, b) VALUES (1, \'two\');';
const STEP_3 = "UPDATE t SET b = b || '-three' WHERE a = 1;";

describe('openDatabase: the real migrations', () => {
  it('creates every table at the version of the last migration file, in WAL mode with foreign keys on', () => {
    const path = join(tempDir(), 'kiosk.db');
    const db = openDatabase(path);
    const files = readdirSync(defaultMigrationsDir()).filter((f) => f.endsWith('.sql'));
    expect(db.schemaVersion).toBe(files.length);
    const tables = (db.connection.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map(
      (row) => row.name,
    );
    for (const table of ['employees', 'consents', 'biometric_templates', 'attendance_events', 'audit_log', 'settings']) {
      expect(tables).toContain(table);
    }
    expect(db.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.connection.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.connection.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.connection.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.checkIntegrity()).toEqual({ ok: true, messages: ['ok'] });
    db.close();
  });

  it('creates the parent folder of a new database file', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'kiosk.db');
    openDatabase(path).close();
    expect(existsSync(path)).toBe(true);
  });

  it('enforces foreign keys: a template for a missing employee is refused by SQLite itself', () => {
    const db = openDatabase(join(tempDir(), 'kiosk.db'));
    const insert = (): unknown =>
      db.connection
        .prepare(
          `INSERT INTO biometric_templates (employee_id, modality, model_id, model_sha256, vector, dim, detection_score, created_at)
           VALUES (999, 'face', 'm', ?, x'00', 1, 1, '2024-01-01T00:00:00.000Z')`,
        )
        .run('a'.repeat(64));
    expect(insert).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it("0003 moves each template's old quality into the column named for it: detector score for faces, seconds of speech for voices", () => {
    const real = defaultMigrationsDir();
    const upTo2 = migrationsFolder(Object.fromEntries(['0001_init.sql', '0002_raw_captures.sql'].map((name) => [name, readFileSync(join(real, name), 'utf8')])));
    const path = join(tempDir(), 'kiosk.db');
    const old = openDatabase(path, { migrationsDir: upTo2 });
    old.connection.prepare("INSERT INTO employees (code, name, created_at) VALUES ('E1', '김민준', '2024-01-01T00:00:00.000Z')").run();
    const insert = old.connection.prepare(
      "INSERT INTO biometric_templates (employee_id, modality, model_id, model_sha256, vector, dim, quality, created_at) VALUES (1, ?, 'm', ?, x'00', 1, ?, '2024-01-01T00:00:00.000Z')",
    );
    insert.run('face', 'a'.repeat(64), 0.97);
    insert.run('voice', 'b'.repeat(64), 2.75);
    old.close();
    const db = openDatabase(path);
    const rows = db.connection.prepare('SELECT modality, detection_score, speech_seconds FROM biometric_templates ORDER BY id').all();
    expect(rows).toEqual([
      { modality: 'face', detection_score: 0.97, speech_seconds: null },
      { modality: 'voice', detection_score: null, speech_seconds: 2.75 },
    ]);
    const columns = (db.connection.prepare('PRAGMA table_info(biometric_templates)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('quality');
    db.close();
  });
});

describe('openDatabase: migration mechanics', () => {
  it('applies the files in numeric order and records each version with its time', () => {
    // Written in reverse so directory order cannot be what makes it pass.
    const dir = migrationsFolder({ '0003_three.sql': STEP_3, '0002_two.sql': STEP_2, '0001_one.sql': STEP_1 });
    const path = join(tempDir(), 'kiosk.db');
    const db = openDatabase(path, { migrationsDir: dir, now: steppingClock('2024-03-01T09:00:00.000Z') });
    expect(db.schemaVersion).toBe(3);
    expect(db.connection.prepare('SELECT a, b FROM t').all()).toEqual([{ a: 1, b: 'two-three' }]);
    db.close();
    expect(appliedRows(path)).toEqual([
      { version: 1, name: '0001_one.sql', applied_at: '2024-03-01T09:00:00.000Z' },
      { version: 2, name: '0002_two.sql', applied_at: '2024-03-01T09:00:01.000Z' },
      { version: 3, name: '0003_three.sql', applied_at: '2024-03-01T09:00:02.000Z' },
    ]);
  });

  it('applies only the migrations the database has not seen', () => {
    const path = join(tempDir(), 'kiosk.db');
    const old = migrationsFolder({ '0001_one.sql': STEP_1, '0002_two.sql': STEP_2 });
    openDatabase(path, { migrationsDir: old, now: steppingClock('2024-01-01T00:00:00.000Z') }).close();
    const newer = migrationsFolder({ '0001_one.sql': STEP_1, '0002_two.sql': STEP_2, '0003_three.sql': STEP_3 });
    const db = openDatabase(path, { migrationsDir: newer, now: steppingClock('2025-06-01T00:00:00.000Z') });
    expect(db.schemaVersion).toBe(3);
    // Step 2 ran once: a second run would have failed on the duplicate column.
    expect(db.connection.prepare('SELECT a, b FROM t').all()).toEqual([{ a: 1, b: 'two-three' }]);
    db.close();
    expect(appliedRows(path).map((row) => row.applied_at)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T00:00:01.000Z',
      '2025-06-01T00:00:00.000Z',
    ]);
  });

  it('refuses a database newer than the code with DB_TOO_NEW and leaves the file untouched', () => {
    const path = join(tempDir(), 'kiosk.db');
    const all = migrationsFolder({ '0001_one.sql': STEP_1, '0002_two.sql': STEP_2, '0003_three.sql': STEP_3 });
    openDatabase(path, { migrationsDir: all }).close();
    const before = sha256(path);
    const older = migrationsFolder({ '0001_one.sql': STEP_1, '0002_two.sql': STEP_2 });
    expect(codeOf(() => openDatabase(path, { migrationsDir: older }))).toBe('DB_TOO_NEW');
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    // Still perfectly usable by the code that wrote it.
    const db = openDatabase(path, { migrationsDir: all });
    expect(db.schemaVersion).toBe(3);
    db.close();
  });

  it('rolls a failing migration back completely with MIGRATION_FAILED, keeping earlier versions', () => {
    const path = join(tempDir(), 'kiosk.db');
    const broken = migrationsFolder({
      '0001_one.sql': STEP_1,
      // The first statement succeeds, the second fails: the table must not survive.
      '0002_broken.sql': 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);',
    });
    expect(codeOf(() => openDatabase(path, { migrationsDir: broken }))).toBe('MIGRATION_FAILED');
    const raw = new Database(path, { readonly: true });
    const tables = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    raw.close();
    expect(tables).toContain('t');
    expect(tables).not.toContain('half_done');
    expect(appliedRows(path).map((row) => row.version)).toEqual([1]);

    const fixed = migrationsFolder({ '0001_one.sql': STEP_1, '0002_fixed.sql': 'CREATE TABLE half_done (x INTEGER);' });
    const db = openDatabase(path, { migrationsDir: fixed });
    expect(db.schemaVersion).toBe(2);
    db.close();
  });

  it('refuses badly named, gapped or missing migration folders with MIGRATION_FAILED', () => {
    const path = join(tempDir(), 'kiosk.db');
    expect(codeOf(() => openDatabase(path, { migrationsDir: migrationsFolder({ '1_init.sql': STEP_1 }) }))).toBe('MIGRATION_FAILED');
    expect(
      codeOf(() => openDatabase(path, { migrationsDir: migrationsFolder({ '0001_one.sql': STEP_1, '0003_three.sql': STEP_3 }) })),
    ).toBe('MIGRATION_FAILED');
    expect(codeOf(() => openDatabase(path, { migrationsDir: join(tempDir(), 'nowhere') }))).toBe('MIGRATION_FAILED');
    expect(existsSync(path)).toBe(false);
  });

  it('reports a file that is not a database as DB_CORRUPT', () => {
    const path = join(tempDir(), 'kiosk.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    expect(codeOf(() => openDatabase(path))).toBe('DB_CORRUPT');
  });
});
