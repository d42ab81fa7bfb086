/**
 * `server init`: the central schema from migrations-central/, the gallery key, kiosks with roles
 * that can read the gallery views and only INSERT their own punches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectClient } from '../../src-main/core/central/connection.js';
import { centralSchemaVersion, migrateCentral } from '../../src-main/core/central/central-migrations.js';
import { initServer, revokeKiosk } from '../../src-main/core/central/server-admin.js';
import { fetchWrappedGalleryKey, newGalleryKey, unwrapGalleryKey } from '../../src-main/core/central/gallery-key.js';
import { readMigrations } from '../../src-main/core/store/migrations.js';
import { repoRoot } from '../helpers/paths.js';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { startServer, type TestServer } from './central-fixture.js';
import { join } from 'node:path';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

d('central server init', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('applies every central migration once; a second init changes nothing and keeps the key', async () => {
    const client = await connectClient(server.url);
    try {
      const known = readMigrations(join(repoRoot, 'migrations-central')).length;
      expect(await centralSchemaVersion(client)).toBe(known);
      const again = await initServer(client, server.galleryKey);
      expect(again).toEqual({ schemaVersion: known, applied: [], keyVersion: 1 });
      // Another gallery key is refused: it would wrap a key the templates are not sealed with.
      await expect(initServer(client, newGalleryKey())).rejects.toMatchObject({ code: 'KEY_INVALID' });
      expect((await migrateCentral(client)).applied).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('gives each kiosk a role that reads the gallery and inserts only its own punches, and its key unwraps', async () => {
    const a = await server.addKiosk('door-a');
    const b = await server.addKiosk('door-b');
    await server.admin.query("INSERT INTO employees (code, name) VALUES ('E1', 'Kim')");
    const client = new pg.Client(a.url);
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM gallery_employees')).rows[0].n).toBe(1);
      await expect(client.query('SELECT * FROM employees')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('SELECT * FROM attendance')).rejects.toMatchObject({ code: '42501' });
      const insert = (kiosk: string, seq: number) =>
        client.query(
          `INSERT INTO attendance (event_uuid, kiosk_id, kiosk_seq, employee_id, kiosk_direction, modality, captured_at, clock_offset_ms, offline)
           VALUES (gen_random_uuid(), $1, $2, 1, 'in', 'pin', now(), 0, false) ON CONFLICT DO NOTHING`,
          [kiosk, seq],
        );
      expect((await insert('door-a', 1)).rowCount).toBe(1);
      expect((await insert('door-a', 1)).rowCount).toBe(0);
      // Not for another kiosk (row security), and never an UPDATE or DELETE.
      await expect(insert('door-b', 1)).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('DELETE FROM attendance')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query("UPDATE employees SET name = 'x'")).rejects.toMatchObject({ code: '42501' });
      // Its own key unwraps the gallery key; the other kiosk's key does not.
      const wrapped = await fetchWrappedGalleryKey(client, 'door-a');
      expect(unwrapGalleryKey(a.kioskKey, wrapped).equals(server.galleryKey)).toBe(true);
      expect(() => unwrapGalleryKey(b.kioskKey, wrapped)).toThrow(expect.objectContaining({ code: 'KIOSK_KEY_REFUSED' }));
      // It cannot fetch door-b's copy.
      await expect(fetchWrappedGalleryKey(client, 'door-b')).rejects.toMatchObject({ code: 'KIOSK_KEY_REFUSED' });
    } finally {
      await client.end();
    }
    // The owner cannot rewrite history either: attendance is append-only.
    await expect(server.admin.query('DELETE FROM attendance')).rejects.toThrow(/append-only/);
  });

  it('refuses a revoked kiosk: no key, no login', async () => {
    const c = await server.addKiosk('door-c');
    const admin = await server.admin.connect();
    try {
      await revokeKiosk(admin, 'door-c');
    } finally {
      admin.release();
    }
    const client = new pg.Client(c.url);
    await expect(client.connect()).rejects.toMatchObject({ code: '28000' });
    const owner = await connectClient(server.url);
    try {
      await expect(fetchWrappedGalleryKey(owner, 'door-c')).rejects.toMatchObject({ code: 'KIOSK_KEY_REFUSED' });
    } finally {
      await owner.end();
    }
  });
});
