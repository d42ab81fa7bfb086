/**
 * Two kiosks of one central PostgreSQL in a real browser: `kiosk serve --central` twice (the
 * front desk is an enrollment station), person A enrolled on the front desk from three frames of
 * their own clips, then A walks up to the second kiosk — Debian's Chromium with A's other clip on
 * the fake camera — and is clocked in there by face, the footer saying the server is online. The
 * punch is counted on the server under the second kiosk's id.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PIN } from '../../src-main/core/auth/admin-auth.js';
import { connectClient, createPool } from '../../src-main/core/central/connection.js';
import { newGalleryKey } from '../../src-main/core/central/gallery-key.js';
import { addKiosk, initServer } from '../../src-main/core/central/server-admin.js';
import type { ClockResult } from '../../src-shared/contract.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';
import { hasPostgres, startCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { fakeMedia, hasFfmpeg, type FakeMedia } from './fake-media.js';
import { buildRenderer, startKiosk, type KioskProcess } from './kiosk-process.js';
import { arrive, CHROMIUM, nextReply, type Person } from './person.js';

const clip = (...parts: string[]): string => data('av', ...parts);
const ENROLL = ['bbaf2n', 'bgbn9s', 'lbaq5s'].map((id) => clip('grid/s1', id));
const PROBE = [clip('grid/s1', 'lgif1s')];
const models = ['manifest.json', 'face-detector-ssd-mobilenet-v1.onnx', 'face-landmarks-68.onnx', 'face-encoder-dlib-resnet.onnx'];
const missing = [
  hasData && [...ENROLL, ...PROBE].every((c) => existsSync(`${c}.mp4`) && existsSync(`${c}.wav`)) ? null : `the talking-head clips in ${data('av')}`,
  existsSync(CHROMIUM) ? null : `Chromium at ${CHROMIUM}`,
  hasFfmpeg() ? null : 'ffmpeg',
  hasPostgres ? null : 'PostgreSQL (initdb, pg_ctl)',
  models.every((m) => existsSync(join(repoRoot, 'models', m))) ? null : 'the models',
].filter((m): m is string => m !== null);
if (missing.length > 0) console.warn(`[e2e] two-kiosk browser test skipped: missing ${missing.join(', ')}.`);

describe.skipIf(missing.length > 0)('two kiosks of one central server, in a real browser', { timeout: 240_000 }, () => {
  let work: string;
  let cluster: PgCluster;
  let serverUrl: string;
  const kiosks: Record<'front' | 'floor', KioskProcess | undefined> = { front: undefined, floor: undefined };
  let probe: FakeMedia;
  let person: Person | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kiosk-e2e-central-'));
    const staticDir = join(work, 'renderer');
    cluster = await startCluster();
    serverUrl = await cluster.createDatabase('e2e_central');
    const galleryKey = newGalleryKey();
    const owner = await connectClient(serverUrl);
    const urls: Record<string, string> = {};
    try {
      await initServer(owner, galleryKey);
      for (const [id, enroll] of [['front', true], ['floor', false]] as const) {
        const dir = join(work, id);
        mkdirSync(dir, { recursive: true });
        const kioskKey = Buffer.from(newGalleryKey());
        writeFileSync(join(dir, 'kiosk.key'), kioskKey, { mode: 0o600 });
        const added = await addKiosk(owner, { kioskId: id, kioskKey, galleryKey, enroll });
        const url = new URL(serverUrl);
        url.username = added.roleName;
        url.password = added.password;
        urls[id] = url.toString();
      }
    } finally {
      await owner.end();
    }
    [probe] = await Promise.all([fakeMedia(work, 'probe', PROBE), buildRenderer(staticDir)]);
    const [front, floor] = await Promise.all(
      (['front', 'floor'] as const).map((id) => startKiosk({ dbPath: join(work, id, 'kiosk.db'), staticDir, kioskId: id, timeZone: 'UTC', central: urls[id] as string })),
    );
    kiosks.front = front;
    kiosks.floor = floor;
  }, 240_000);

  afterAll(async () => {
    await person?.close().catch(() => undefined);
    await kiosks.front?.stop();
    await kiosks.floor?.stop();
    cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('enrolls A on the front desk and clocks A in by face at the other kiosk', async () => {
    const front = kiosks.front as KioskProcess;
    const floor = kiosks.floor as KioskProcess;
    const { token } = await front.api<{ token: string }>('admin.login', { pin: DEFAULT_ADMIN_PIN });
    const { employee } = await front.api<{ employee: { id: number } }>('admin.employees.create', { token, code: 'A1', name: '김민준' });
    await front.api('admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
    // One frame from each enrollment clip, as the wizard's three front shots.
    for (const [i, c] of ENROLL.entries()) {
      const jpeg = join(work, `shot-${i}.jpg`);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '1', '-i', `${c}.mp4`, '-frames:v', '1', '-q:v', '2', jpeg]);
      await front.api('admin.enroll.face', { token, employeeId: employee.id, image: readFileSync(jpeg).toString('base64'), pose: 'front' });
    }

    person = await arrive({ media: probe, lang: 'en', profilesDir: work });
    const page = person.page;
    let { body } = await nextReply<ClockResult>(page, 'clock.face', async () => {
      await page.goto(floor.url);
    });
    const card = page.getByTestId('result-card');
    for (let retry = 1; !(body.ok && body.value.outcome === 'recorded') && retry <= 3; retry++) {
      console.info(`[e2e] floor kiosk: ${JSON.stringify(body.ok ? body.value.outcome : body.error.code)}, trying again`);
      ({ body } = await nextReply<ClockResult>(page, 'clock.face', () => card.getByRole('button', { name: 'Try again' }).click()));
    }
    expect(body).toMatchObject({ ok: true, value: { outcome: 'recorded', event: { employee: { id: employee.id, name: '김민준' }, direction: 'in' } } });
    await card.waitFor();
    expect(await card.textContent()).toContain('김민준');
    await page.getByRole('contentinfo').getByText(/server online/).waitFor();
    mkdirSync(join(repoRoot, 'test-results/e2e'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results/e2e/central-floor-kiosk.png') });
    expect(person.problems).toEqual([]);

    // The punch reaches the server under the floor kiosk's id, once.
    const pool = createPool(serverUrl, { max: 1 });
    try {
      const deadline = Date.now() + 20_000;
      let rows: { kiosk_id: string; employee_id: string }[] = [];
      while (Date.now() < deadline) {
        rows = (await pool.query<{ kiosk_id: string; employee_id: string }>('SELECT kiosk_id, employee_id FROM attendance')).rows;
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(rows).toEqual([{ kiosk_id: 'floor', employee_id: String(employee.id) }]);
    } finally {
      await pool.end();
    }
  });
});
