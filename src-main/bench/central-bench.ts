/**
 * Load figure for the central server (a benchmark, not a test): simulated kiosks (each a real
 * SQLite cache + outbox and a real CentralSync) against one real PostgreSQL, the staff enrolled on
 * the server, a morning rush of punches spread over the kiosks, and an outage for some kiosks
 * during it. Reports upload latency (server receive time minus kiosk capture time, p50/p99) of the
 * kiosks that stayed online, the catch-up time of the others once back, the initial gallery pull,
 * and the server's CPU (summed over its processes, when it runs on this machine). Time can be
 * compressed (--speed): a rush of 10 minutes at speed 10 lasts one minute.
 *
 *   node --import tsx src-main/bench/central-bench.ts --pg postgres://owner@host/empty_db
 *     [--kiosks 10] [--staff 500] [--punches 500] [--rush-minutes 10] [--outage-minutes 30]
 *     [--outage-kiosks 3] [--speed 10] [--out out/central-bench.json]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CentralSync } from '../core/central/central-sync.js';
import { connectClient, createPool } from '../core/central/connection.js';
import { newGalleryKey } from '../core/central/gallery-key.js';
import { CentralGalleryWriter } from '../core/central/gallery-writer.js';
import { addKiosk, initServer } from '../core/central/server-admin.js';
import { KIOSK_SETTINGS, type KioskSettings } from '../core/context/settings.js';
import { CentralCache } from '../core/store/central-cache.js';
import { openStore, type Store } from '../core/store/store.js';
import { Aes256GcmCipher } from '../core/store/template-cipher.js';
import { percentile } from './stats.js';

const { values } = parseArgs({
  options: {
    pg: { type: 'string' },
    kiosks: { type: 'string', default: '10' },
    staff: { type: 'string', default: '500' },
    punches: { type: 'string', default: '500' },
    'rush-minutes': { type: 'string', default: '10' },
    'outage-minutes': { type: 'string', default: '30' },
    'outage-kiosks': { type: 'string', default: '3' },
    speed: { type: 'string', default: '10' },
    out: { type: 'string', default: 'out/central-bench.json' },
  },
});
if (values.pg === undefined) throw new Error('--pg postgres://owner@host/db (an empty database) is required');
const pgUrl = values.pg;
const num = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!(n > 0)) throw new Error(`--${name} must be positive`);
  return n;
};
const KIOSKS = num('kiosks');
const STAFF = num('staff');
const PUNCHES = num('punches');
const SPEED = num('speed');
const RUSH_MS = (num('rush-minutes') * 60_000) / SPEED;
const OUTAGE_MS = (num('outage-minutes') * 60_000) / SPEED;
const OUTAGE_KIOSKS = Math.min(KIOSKS, Math.round(num('outage-kiosks')));
const log = (line: string): void => void process.stderr.write(`[central-bench] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const FACE_MODEL = { id: 'bench-face', sha256: 'c'.repeat(64) };

interface SimKiosk {
  readonly id: string;
  readonly url: string;
  readonly store: Store<KioskSettings>;
  readonly cache: CentralCache;
  sync: CentralSync;
}

/** CPU seconds used so far by every process named postgres on this machine (Linux /proc); null elsewhere. */
function postgresCpuSeconds(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (comm !== 'postgres') continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'central-bench-'));
  const galleryKey = newGalleryKey();
  const cipher = new Aes256GcmCipher(galleryKey);
  const owner = await connectClient(pgUrl, { statementTimeoutMs: 600_000 });
  const kiosks: SimKiosk[] = [];
  try {
    await initServer(owner, galleryKey);
    const ownerPool = createPool(pgUrl, { max: 4 });
    const writer = new CentralGalleryWriter(ownerPool, cipher, 1);
    let t = Date.now();
    const staff: number[] = [];
    for (let i = 0; i < STAFF; i++) {
      const id = await writer.createEmployee({ code: `E${i}`, name: `Employee ${i}` });
      const vector = Float32Array.from({ length: 128 }, () => Math.random() - 0.5);
      await writer.addTemplates(id, [{ modality: 'face', model: FACE_MODEL, vector, capture: { detectionScore: 0.99 } }]);
      staff.push(id);
    }
    const enrollMs = Date.now() - t;
    log(`${STAFF} staff enrolled on the server in ${enrollMs} ms`);

    for (let k = 0; k < KIOSKS; k++) {
      const id = `bench-${k}`;
      const added = await addKiosk(owner, { kioskId: id, kioskKey: randomBytes(32), galleryKey });
      const url = new URL(pgUrl);
      url.username = added.roleName;
      url.password = added.password;
      const store = openStore(join(dir, `${id}.db`), { cipher, settings: KIOSK_SETTINGS });
      const cache = new CentralCache(store.db, store.templates, store.rawCaptures);
      cache.enable(id);
      kiosks.push({ id, url: url.toString(), store, cache, sync: newSync(url.toString(), id, cache) });
    }
    t = Date.now();
    await Promise.all(kiosks.map((k) => k.sync.syncNow()));
    const galleryPullMs = Date.now() - t;
    log(`${KIOSKS} kiosks pulled ${STAFF} employees + templates in ${galleryPullMs} ms`);
    for (const k of kiosks) k.sync.start();

    // The rush: punches at uniformly random times over the (compressed) rush, on random kiosks.
    const outage = kiosks.slice(0, OUTAGE_KIOSKS);
    const online = kiosks.slice(OUTAGE_KIOSKS);
    const cpuBefore = postgresCpuSeconds();
    const start = Date.now();
    for (const k of outage) await k.sync.stop();
    const times = Array.from({ length: PUNCHES }, () => Math.random() * RUSH_MS).sort((a, b) => a - b);
    for (const at of times) {
      const wait = start + at - Date.now();
      if (wait > 0) await sleep(wait);
      const kiosk = kiosks[Math.floor(Math.random() * kiosks.length)] as SimKiosk;
      const employeeId = staff[Math.floor(Math.random() * staff.length)] as number;
      kiosk.store.attendance.append({ employeeId, direction: 'in', kioskId: kiosk.id, occurredAt: new Date(), modality: 'pin' });
      if (!outage.includes(kiosk)) kiosk.sync.kick();
    }
    const rushDone = Date.now();
    await sleep(Math.max(0, start + OUTAGE_MS - Date.now()));
    const waiting = outage.reduce((sum, k) => sum + k.cache.depth(), 0);
    const back = Date.now();
    for (const k of outage) {
      k.sync = newSync(k.url, k.id, k.cache);
      k.sync.start();
    }
    while (outage.some((k) => k.cache.depth() > 0)) await sleep(20);
    const catchUpMs = Date.now() - back;
    while (online.some((k) => k.cache.depth() > 0)) await sleep(20);
    const end = Date.now();
    const cpuAfter = postgresCpuSeconds();

    const delivered = await owner.query<{ n: string; kiosks: string }>('SELECT count(*) AS n, count(DISTINCT (kiosk_id, kiosk_seq)) AS kiosks FROM attendance');
    const latencies = await owner.query<{ ms: number }>(
      'SELECT extract(epoch FROM received_at - captured_at) * 1000 AS ms FROM attendance WHERE NOT (kiosk_id = ANY($1)) ORDER BY 1',
      [outage.map((k) => k.id)],
    );
    const ms = latencies.rows.map((r) => Number(r.ms));
    const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
      setup: { kiosks: KIOSKS, staff: STAFF, punches: PUNCHES, rushMinutes: num('rush-minutes'), outageMinutes: num('outage-minutes'), outageKiosks: OUTAGE_KIOSKS, speed: SPEED },
      enrollOnServerMs: enrollMs,
      initialGalleryPullMs: galleryPullMs,
      delivered: { rows: Number(delivered.rows[0]?.n), distinctSequenceNumbers: Number(delivered.rows[0]?.kiosks) },
      uploadLatencyMs: { online: ms.length, p50: ms.length === 0 ? null : percentile(ms, 50), p99: ms.length === 0 ? null : percentile(ms, 99), max: ms.at(-1) ?? null },
      outage: { punchesWaiting: waiting, catchUpMs },
      wallMs: { rush: rushDone - start, total: end - start },
      serverCpu: cpuSeconds === null ? null : { seconds: cpuSeconds, averageCoreShare: cpuSeconds / ((end - start) / 1000) },
    };
    mkdirSync(dirname(values.out as string), { recursive: true });
    writeFileSync(values.out as string, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    await ownerPool.end();
  } finally {
    for (const k of kiosks) {
      await k.sync.stop().catch(() => {});
      k.store.close();
    }
    await owner.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

function newSync(url: string, kioskId: string, cache: CentralCache): CentralSync {
  return new CentralSync({ url, kioskId, cache, intervalMs: 2_000 });
}

await main();
