/**
 * Gallery down and the merged log, with two kiosks and one real PostgreSQL: a person enrolled
 * on the server is recognised on both kiosks (LISTEN notice, within 2 s), an erasure reaches every
 * kiosk's gallery and cache, batches move the watermark atomically, a late commit is never
 * skipped, settings flow down, and the merged log gives one shift across two doors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CentralGalleryWriter } from '../../src-main/core/central/gallery-writer.js';
import { readMergedLog } from '../../src-main/core/central/merged-log.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { FACE_MODEL } from '../services/fake-engines.js';
import { openCentralKiosk, startServer, type CentralKiosk, type TestServer } from './central-fixture.js';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

const ALICE = [0.9, 0.1, 0.2, 0.3];
const BOB = [0.1, 0.9, 0.4, 0.1];
const face = (vector: readonly number[]) => ({ modality: 'face' as const, model: FACE_MODEL, vector: Float32Array.from(vector), capture: { detectionScore: 0.99 } });

d('gallery down, two kiosks', () => {
  let server: TestServer;
  let writer: CentralGalleryWriter;
  let door1: CentralKiosk;
  let door2: CentralKiosk;
  beforeAll(async () => {
    server = await startServer();
    writer = new CentralGalleryWriter(server.admin, new Aes256GcmCipher(server.galleryKey), 1);
    door1 = await openCentralKiosk(server, 'door-1', { start: true });
    door2 = await openCentralKiosk(server, 'door-2', { start: true });
  }, 120_000);
  afterAll(async () => {
    await door1?.close();
    await door2?.close();
    await server?.close();
  });

  const clockIn = (kiosk: CentralKiosk, vector: readonly number[]) => kiosk.clocking.clockFace([kiosk.face.face(vector)]);

  it('recognises a person enrolled on the server on both kiosks within 2 s (change notice), from ciphertext only', async () => {
    const started = Date.now();
    const alice = await writer.createEmployee({ code: 'A1', name: 'Alice' });
    await writer.addTemplates(alice, [face(ALICE)]);
    await until(() => door1.context.face.gallery.employeeCount === 1 && door2.context.face.gallery.employeeCount === 1, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    const result = await clockIn(door2, ALICE);
    expect(result).toMatchObject({ outcome: 'recorded', event: { employee: { id: alice, name: 'Alice' }, direction: 'in' } });
    // The server holds the sealed blob, never the vector.
    const row = (await server.admin.query('SELECT sealed FROM templates WHERE employee_id = $1', [alice])).rows[0] as { sealed: Buffer };
    expect(row.sealed.includes(Buffer.from(Float32Array.from(ALICE).buffer))).toBe(false);
    expect(row.sealed.length).toBe(1 + 12 + 16 + 16);
  });

  it('propagates an erasure: no kiosk recognises the person and no cache keeps a template', async () => {
    const bob = await writer.createEmployee({ code: 'B1', name: 'Bob' });
    await writer.addTemplates(bob, [face(BOB), face(BOB.map((x) => x + 0.01))]);
    await Promise.all([door1.sync.syncNow(), door2.sync.syncNow()]);
    expect(await clockIn(door1, BOB)).toMatchObject({ outcome: 'recorded' });
    expect(door1.cache.store.templates.count({ employeeId: bob })).toBe(2);

    expect(await writer.eraseBiometrics(bob)).toBe(2);
    await until(() => door1.cache.store.templates.count({ employeeId: bob }) === 0 && door2.cache.store.templates.count({ employeeId: bob }) === 0, 2_000);
    for (const kiosk of [door1, door2]) {
      expect(await clockIn(kiosk, BOB)).toMatchObject({ outcome: 'not_recognised' });
      expect(kiosk.context.face.gallery.employees().has(bob)).toBe(false);
    }
    // The server keeps tombstones without ciphertext; the employee row (history) stays.
    expect(await server.count('SELECT count(*) AS n FROM templates WHERE employee_id = $1 AND sealed IS NOT NULL', [bob])).toBe(0);
    expect(door2.cache.store.employees.get(bob).name).toBe('Bob');
  });

  it('pulls in batches, one SQLite transaction each, and moves the watermark only with them', async () => {
    const many = await writer.createEmployee({ code: 'M1', name: 'Many' });
    const vectors = Array.from({ length: 450 }, (_, i) => face([0.5, 0.5, (i % 10) / 10, 0.2]));
    await writer.addTemplates(many, vectors);
    const revBefore = door1.sync.status().galleryRev;
    await door1.sync.syncNow();
    expect(door1.cache.store.templates.count({ employeeId: many })).toBe(450);
    const serverRev = await server.count('SELECT max(rev) AS n FROM templates');
    expect(door1.sync.status().galleryRev).toBeGreaterThanOrEqual(serverRev);
    expect(door1.sync.status().galleryRev).toBeGreaterThan(revBefore);
    await writer.eraseBiometrics(many);
    await door1.sync.syncNow();
    expect(door1.cache.store.templates.count({ employeeId: many })).toBe(0);
  });

  it('never skips a late commit: gallery writers are serialised, so revisions appear in commit order', async () => {
    // Writer A takes its revision and holds its transaction open; writer B waits for the lock.
    const a = new pg.Client(server.url);
    await a.connect();
    try {
      await a.query('BEGIN');
      await a.query("INSERT INTO employees (code, name) VALUES ('LATE-A', 'Late A')");
      const b = writer.createEmployee({ code: 'LATE-B', name: 'Late B' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await door1.sync.syncNow();
      expect(door1.cache.store.employees.findByCode('LATE-A')).toBeUndefined();
      expect(door1.cache.store.employees.findByCode('LATE-B')).toBeUndefined();
      await a.query('COMMIT');
      await b;
      await door1.sync.syncNow();
      expect(door1.cache.store.employees.findByCode('LATE-A')?.name).toBe('Late A');
      expect(door1.cache.store.employees.findByCode('LATE-B')?.name).toBe('Late B');
    } finally {
      await a.end();
    }
  });

  it('still uploads punches when a gallery row cannot be applied, and keeps the watermark until it is fixed', async () => {
    const eve = await writer.createEmployee({ code: 'EV', name: 'Eve' });
    await door1.sync.syncNow();
    const watermark = door1.sync.status().galleryRev;
    // A row this kiosk refuses (a model id its AAD rules forbid), written past the writer's checks.
    await server.admin.query(
      "INSERT INTO templates (employee_id, modality, model_id, model_sha256, sealed, dim, detection_score, key_version) VALUES ($1, 'face', 'bad|model', $2, '\\x00', 4, 0.9, 1)",
      [eve, 'd'.repeat(64)],
    );
    const before = await server.count("SELECT count(*) AS n FROM attendance WHERE kiosk_id = 'door-1'");
    door1.cache.store.attendance.append({ employeeId: eve, direction: 'in', kioskId: 'door-1', occurredAt: new Date(), modality: 'pin' });
    await expect(door1.sync.syncNow()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await server.count("SELECT count(*) AS n FROM attendance WHERE kiosk_id = 'door-1'")).toBe(before + 1);
    expect(door1.sync.status()).toMatchObject({ state: 'online', galleryRev: watermark, punchesWaiting: 0, lastError: expect.stringContaining('model') });
    // The administrator tombstones the bad row: the kiosk moves on.
    await server.admin.query("UPDATE templates SET deleted_at = now(), sealed = NULL WHERE model_id = 'bad|model'");
    await door1.sync.syncNow();
    expect(door1.sync.status().galleryRev).toBeGreaterThan(watermark);
    expect(door1.sync.status().lastError).toBeNull();
  });

  it('takes company-wide settings from the server, and only the kiosk settings', async () => {
    await writer.setSetting('debounceMinutes', 3);
    await writer.setSetting('security.adminPinHash', 'not-for-kiosks');
    await door2.sync.syncNow();
    expect(door2.cache.store.settings.get('debounceMinutes')).toBe(3);
    expect(door2.cache.store.db.connection.prepare("SELECT count(*) AS n FROM settings WHERE key = 'security.adminPinHash'").get()).toEqual({ n: 0 });
  });

  it('lets each kiosk see the other doors: out at door 2 after in at door 1, a repeat across doors debounced', async () => {
    await writer.setSetting('debounceMinutes', 1);
    const ivan = await writer.createEmployee({ code: 'I1', name: 'Ivan' });
    await writer.addTemplates(ivan, [face([0.7, 0.1, 0.7, 0.1])]);
    await Promise.all([door1.sync.syncNow(), door2.sync.syncNow()]);
    const at = (kiosk: CentralKiosk) => kiosk.clocking.clockFace([kiosk.face.face([0.7, 0.1, 0.7, 0.1])]);
    expect(await at(door1)).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    await door1.sync.syncNow();
    await door2.sync.syncNow();
    // Within the debounce window at the other door: nothing written there.
    expect(await at(door2)).toMatchObject({ outcome: 'debounced', event: { direction: 'in' } });
    await writer.setSetting('debounceMinutes', 0);
    await door2.sync.syncNow();
    expect(await at(door2)).toMatchObject({ outcome: 'recorded', event: { direction: 'out' } });
    await door2.sync.syncNow();
    // Door 1's own punch is not pulled back into door 1, nor uploaded twice.
    expect(door1.cache.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01') }).filter((e) => e.employeeId === ivan).map((e) => e.kioskId)).toEqual(['door-1']);
    expect(await server.count('SELECT count(*) AS n FROM attendance WHERE employee_id = $1', [ivan])).toBe(2);
  });

  it('hears of a "Not you?" at the other door: the cancelled punch no longer makes the next one an out', async () => {
    await writer.setSetting('debounceMinutes', 0);
    const lee = await writer.createEmployee({ code: 'L1', name: 'Lee' });
    await writer.addTemplates(lee, [face([0.1, 0.3, 0.3, 0.9])]);
    await Promise.all([door1.sync.syncNow(), door2.sync.syncNow()]);
    const at = (kiosk: CentralKiosk) => kiosk.clocking.clockFace([kiosk.face.face([0.1, 0.3, 0.3, 0.9])]);
    const first = await at(door1);
    expect(first).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    door1.clocking.undo((first as { undo: { token: string } }).undo.token);
    await door1.sync.syncNow();
    await door2.sync.syncNow();
    expect(await at(door2)).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    expect(await server.count('SELECT count(*) AS n FROM attendance_voids v JOIN attendance a ON a.event_uuid = v.voided_uuid WHERE a.employee_id = $1', [lee])).toBe(1);
  });

  it('merges both doors into one log: in at door 1, out at door 2, a double punch across doors collapses', async () => {
    await writer.setSetting('debounceMinutes', 3);
    const carol = await writer.createEmployee({ code: 'C1', name: 'Carol' });
    await writer.addTemplates(carol, [face([0.2, 0.2, 0.9, 0.9])]);
    await Promise.all([door1.sync.syncNow(), door2.sync.syncNow()]);
    const t0 = Date.now();
    const at = (kiosk: CentralKiosk, vector: readonly number[]) => kiosk.clocking.clockFace([kiosk.face.face(vector)]);
    expect(await at(door1, [0.2, 0.2, 0.9, 0.9])).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    // Door 2 has not seen door 1's punch: it shows 'in' (provisional); the server counts one shift.
    expect(await at(door2, [0.2, 0.2, 0.9, 0.9])).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    await Promise.all([door1.sync.syncNow(), door2.sync.syncNow()]);
    const client = await server.admin.connect();
    try {
      // Within the debounce window (3 min, from the server's settings): the second collapses.
      let log = (await readMergedLog(client, { from: new Date(t0 - 60_000), to: new Date(t0 + 3_600_000) })).filter((p) => p.employeeId === carol);
      expect(log.map((p) => [p.kioskId, p.status, p.direction])).toEqual([
        ['door-1', 'counted', 'in'],
        ['door-2', 'collapsed', null],
      ]);
      await writer.setSetting('debounceMinutes', 0);
      log = (await readMergedLog(client, { from: new Date(t0 - 60_000), to: new Date(t0 + 3_600_000) })).filter((p) => p.employeeId === carol);
      expect(log.map((p) => [p.kioskId, p.kioskDirection, p.direction])).toEqual([
        ['door-1', 'in', 'in'],
        ['door-2', 'in', 'out'],
      ]);
    } finally {
      client.release();
    }
  });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
