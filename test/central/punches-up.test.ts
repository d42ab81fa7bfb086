/**
 * Punches up: each punch gets a UUID and a per-kiosk sequence number in its own SQLite
 * transaction; the sender uploads oldest first with ON CONFLICT DO NOTHING and marks rows sent
 * only after the server's COMMIT. Every test counts rows on the real server: nothing lost,
 * nothing doubled — across a stopped server, a re-sent batch, two kiosks at once and a kiosk
 * killed with SIGKILL in the middle of its uploads.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralSync } from '../../src-main/core/central/central-sync.js';
import { CentralGalleryWriter } from '../../src-main/core/central/gallery-writer.js';
import { kioskReports } from '../../src-main/core/central/server-admin.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { repoRoot } from '../helpers/paths.js';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { openCache, punch, startServer, type TestServer } from './central-fixture.js';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

d('punches up', () => {
  let server: TestServer;
  let employeeId: number;
  let writer: CentralGalleryWriter;
  beforeAll(async () => {
    server = await startServer();
    writer = new CentralGalleryWriter(server.admin, new Aes256GcmCipher(server.galleryKey), 1);
    employeeId = await writer.createEmployee({ code: 'E1', name: '김민준' });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const serverPunches = (kioskId: string) => server.count('SELECT count(*) AS n FROM attendance WHERE kiosk_id = $1', [kioskId]);
  const distinctSeqs = (kioskId: string) => server.count('SELECT count(DISTINCT kiosk_seq) AS n FROM attendance WHERE kiosk_id = $1', [kioskId]);

  it('uploads every punch once, in order, and a re-sent batch changes nothing', async () => {
    const k = await server.addKiosk('front');
    const c = openCache(server.dir, 'front', 'front', server.galleryKey);
    const sync = new CentralSync({ url: k.url, kioskId: 'front', cache: c.cache, batchSize: 2 });
    try {
      // The roster comes down first: the employee exists on the kiosk under the server's id.
      await sync.syncNow();
      expect(c.store.employees.get(employeeId).name).toBe('김민준');
      expect(sync.status().state).toBe('online');
      const t0 = Date.parse('2026-12-01T08:00:00Z');
      for (let i = 0; i < 5; i++) punch(c.store, 'front', employeeId, new Date(t0 + i * 3_600_000), i % 2 === 0 ? 'in' : 'out');
      expect(c.cache.punchesWaiting()).toBe(5);
      const report = await sync.syncNow();
      expect(report).toMatchObject({ inserted: 5, duplicates: 0 });
      expect(Math.abs(report.clockOffsetMs ?? Infinity)).toBeLessThan(1_000);
      expect(c.cache.depth()).toBe(0);
      const rows = await server.admin.query<{ kiosk_seq: string; captured_at: Date; offline: boolean; kiosk_direction: string }>(
        "SELECT kiosk_seq, captured_at, offline, kiosk_direction FROM attendance WHERE kiosk_id = 'front' ORDER BY id",
      );
      expect(rows.rows.map((r) => Number(r.kiosk_seq))).toEqual([1, 2, 3, 4, 5]);
      expect(rows.rows.map((r) => r.captured_at.getTime())).toEqual([0, 1, 2, 3, 4].map((i) => t0 + i * 3_600_000));
      expect(rows.rows.map((r) => r.kiosk_direction)).toEqual(['in', 'out', 'in', 'out', 'in']);
      // Killed after the server's commit, before marking: the next sync sends the same rows again.
      c.store.db.connection.prepare('UPDATE outbox SET sent_at = NULL').run();
      expect(await sync.syncNow()).toMatchObject({ inserted: 0, duplicates: 5 });
      expect(await serverPunches('front')).toBe(5);
      const [report2] = await withAdmin((client) => kioskReports(client));
      expect(report2).toMatchObject({ kioskId: 'front', punches: 5, outboxDepth: 0, lost: [], clockFlagged: false });
      expect(report2?.lastSeen).not.toBeNull();
    } finally {
      await sync.stop();
      c.close();
    }
  });

  it('keeps clocking in while the server is down (offline flag), then delivers each punch exactly once', async () => {
    const k = await server.addKiosk('lobby');
    const c = openCache(server.dir, 'lobby', 'lobby', server.galleryKey);
    const sync = new CentralSync({ url: k.url, kioskId: 'lobby', cache: c.cache, batchSize: 10, connectTimeoutMs: 1_000 });
    try {
      await sync.syncNow();
      for (let i = 0; i < 3; i++) punch(c.store, 'lobby', employeeId, new Date(Date.now() + i));
      await sync.syncNow();
      server.cluster.stopServer();
      await expect(sync.syncNow()).rejects.toMatchObject({ code: 'CENTRAL_UNREACHABLE' });
      const status = sync.status();
      expect(status.state).toBe('offline');
      expect(status.offlineSince).not.toBeNull();
      for (let i = 0; i < 40; i++) punch(c.store, 'lobby', employeeId, new Date(Date.now() + 10 + i));
      expect(sync.status().punchesWaiting).toBe(40);
      server.cluster.startServer();
      // A pool may hand out a connection that died with the old server: one more try at most.
      await sync.syncNow().catch(() => sync.syncNow());
      expect(sync.status()).toMatchObject({ state: 'online', offlineSince: null, punchesWaiting: 0 });
      expect(await serverPunches('lobby')).toBe(43);
      expect(await distinctSeqs('lobby')).toBe(43);
      expect(await server.count("SELECT count(*) AS n FROM attendance WHERE kiosk_id = 'lobby' AND offline")).toBe(40);
    } finally {
      if (!(await isUp())) server.cluster.startServer();
      await sync.stop();
      c.close();
    }
  }, 60_000);

  it('loses nothing when the server stops in the middle of an upload', async () => {
    const k = await server.addKiosk('dock');
    const c = openCache(server.dir, 'dock', 'dock', server.galleryKey);
    // One row per transaction: 400 commits take long enough for the stop to land among them.
    const sync = new CentralSync({ url: k.url, kioskId: 'dock', cache: c.cache, batchSize: 1, connectTimeoutMs: 1_000 });
    try {
      await sync.syncNow();
      for (let i = 0; i < 400; i++) punch(c.store, 'dock', employeeId, new Date(Date.now() + i));
      const running = sync.syncNow();
      await waitFor(async () => (await serverPunches('dock')) >= 20);
      server.cluster.stopServer();
      await expect(running).rejects.toMatchObject({ code: 'CENTRAL_UNREACHABLE' });
      const delivered = 400 - c.cache.punchesWaiting();
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThan(400);
      server.cluster.startServer();
      await sync.syncNow().catch(() => sync.syncNow());
      expect(await serverPunches('dock')).toBe(400);
      expect(await distinctSeqs('dock')).toBe(400);
      expect(c.cache.depth()).toBe(0);
    } finally {
      if (!(await isUp())) server.cluster.startServer();
      await sync.stop();
      c.close();
    }
  }, 60_000);

  it('takes two kiosks uploading at the same time, each sequence whole', async () => {
    const kiosks = await Promise.all(['gate-1', 'gate-2'].map((id) => server.addKiosk(id)));
    const caches = kiosks.map((k) => openCache(server.dir, k.kioskId, k.kioskId, server.galleryKey));
    const syncs = kiosks.map((k, i) => new CentralSync({ url: k.url, kioskId: k.kioskId, cache: caches[i]!.cache, batchSize: 7 }));
    try {
      await Promise.all(syncs.map((s) => s.syncNow()));
      caches.forEach((c, i) => {
        for (let n = 0; n < 150; n++) punch(c.store, kiosks[i]!.kioskId, employeeId, new Date(Date.now() + n));
      });
      // Each kiosk syncs twice at once as well: the second call waits for the first.
      await Promise.all(syncs.flatMap((s) => [s.syncNow(), s.syncNow()]));
      for (const k of kiosks) {
        expect(await serverPunches(k.kioskId)).toBe(150);
        expect(await distinctSeqs(k.kioskId)).toBe(150);
      }
      expect(await server.count("SELECT count(*) AS n FROM lost_sequences WHERE kiosk_id LIKE 'gate-%'")).toBe(0);
    } finally {
      await Promise.all(syncs.map((s) => s.stop()));
      caches.forEach((c) => c.close());
    }
  }, 60_000);

  it('reports a gap in a kiosk\'s sequence as lost events, and flags a kiosk whose clock is 10 minutes off', async () => {
    const k = await server.addKiosk('skewed');
    const skew = 10 * 60_000;
    const now = () => new Date(Date.now() - skew);
    const c = openCache(server.dir, 'skewed', 'skewed', server.galleryKey, now);
    const sync = new CentralSync({ url: k.url, kioskId: 'skewed', cache: c.cache, now });
    try {
      await sync.syncNow();
      for (let i = 0; i < 6; i++) punch(c.store, 'skewed', employeeId, now());
      // Seq 3 and 4 vanish from the kiosk before they were sent (e.g. an old backup restored).
      c.store.db.connection.prepare("UPDATE outbox SET sent_at = 'lost' WHERE kiosk_seq IN (SELECT kiosk_seq FROM outbox WHERE kind = 'punch' ORDER BY kiosk_seq LIMIT 2 OFFSET 2)").run();
      const report = await sync.syncNow();
      expect(report.inserted).toBe(4);
      expect(report.clockOffsetMs).toBeGreaterThan(skew - 5_000);
      const reports = await withAdmin((client) => kioskReports(client));
      const skewed = reports.find((r) => r.kioskId === 'skewed');
      const first = Number((await server.admin.query("SELECT min(kiosk_seq) AS s FROM attendance WHERE kiosk_id = 'skewed'")).rows[0].s);
      expect(skewed).toMatchObject({ punches: 4, flaggedPunches: 4, clockFlagged: true, lost: [{ from: first + 2, to: first + 3 }] });
      // Capture time stays the kiosk's (time of record); offset and receive time sit beside it.
      const row = (await server.admin.query("SELECT captured_at, received_at, clock_offset_ms FROM attendance WHERE kiosk_id = 'skewed' LIMIT 1")).rows[0];
      expect(row.received_at.getTime() - row.captured_at.getTime()).toBeGreaterThan(skew - 5_000);
    } finally {
      await sync.stop();
      c.close();
    }
  });

  it('delivers everything exactly once after a kiosk is killed (SIGKILL) in the middle of its uploads', async () => {
    const k = await server.addKiosk('killed');
    const c = openCache(server.dir, 'killed', 'killed', server.galleryKey);
    const first = new CentralSync({ url: k.url, kioskId: 'killed', cache: c.cache });
    await first.syncNow();
    await first.stop();
    for (let i = 0; i < 300; i++) punch(c.store, 'killed', employeeId, new Date(Date.now() + i));
    c.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/central/fixtures/sender-process.ts'), c.path, 'killed', k.url, server.galleryKey.toString('hex')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await waitFor(async () => (await serverPunches('killed')) >= 30, 60_000);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const before = await serverPunches('killed');
      expect(before).toBeLessThan(300);
      const reopened = openCache(server.dir, 'killed', 'killed', server.galleryKey);
      const sync = new CentralSync({ url: k.url, kioskId: 'killed', cache: reopened.cache });
      try {
        await sync.syncNow();
        expect(await serverPunches('killed')).toBe(300);
        expect(await distinctSeqs('killed')).toBe(300);
        expect(reopened.cache.depth()).toBe(0);
      } finally {
        await sync.stop();
        reopened.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  async function withAdmin<T>(fn: (client: import('pg').PoolClient) => Promise<T>): Promise<T> {
    const client = await server.admin.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  async function isUp(): Promise<boolean> {
    try {
      await server.admin.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out waiting');
}
