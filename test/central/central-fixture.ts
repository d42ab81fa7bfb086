/**
 * A central server for the tests: a throw-away PostgreSQL cluster (test/helpers/pg-cluster.ts),
 * one database per test file with the central schema and a gallery key, kiosks added with their
 * own roles and keys, and kiosk cache databases (SQLite) with the outbox turned on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { connectClient, createPool } from '../../src-main/core/central/connection.js';
import { addKiosk, initServer } from '../../src-main/core/central/server-admin.js';
import { newGalleryKey } from '../../src-main/core/central/gallery-key.js';
import { KIOSK_SETTINGS, type KioskSettings } from '../../src-main/core/context/settings.js';
import { CentralCache } from '../../src-main/core/store/central-cache.js';
import { openStore, type Store } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher, type TemplateCipher } from '../../src-main/core/store/template-cipher.js';
import { GalleryCipher } from '../../src-main/core/central/key-rotation.js';
import { fetchWrappedGalleryKey, unwrapGalleryKey } from '../../src-main/core/central/gallery-key.js';
import { startCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { CentralSync } from '../../src-main/core/central/central-sync.js';
import { refreshGalleries } from '../../src-main/core/central/live-gallery.js';
import type { ServiceContext } from '../../src-main/core/context/service-context.js';
import { ModalityGallery } from '../../src-main/core/match/modality-gallery.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { ClockService } from '../../src-main/core/attendance/clock-service.js';
import { PhraseIssuer } from '../../src-main/core/attendance/phrases.js';
import { FACE_MODEL, FakeFaceEngine } from '../services/fake-engines.js';
import { CentralEnrollment } from '../../src-main/core/central/central-enrollment.js';
import { CentralGalleryWriter } from '../../src-main/core/central/gallery-writer.js';

export interface TestServer {
  readonly cluster: PgCluster;
  readonly db: string;
  /** The owner's (superuser's) URL. */
  readonly url: string;
  readonly galleryKey: Buffer;
  readonly admin: pg.Pool;
  readonly dir: string;
  /** Adds a kiosk; returns its id, key and the URL of its own role. */
  addKiosk(kioskId: string, enroll?: boolean): Promise<{ kioskId: string; kioskKey: Buffer; url: string; roleName: string }>;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

export async function startServer(cluster?: PgCluster): Promise<TestServer> {
  const own = cluster ?? (await startCluster());
  const db = `central_${process.pid}_${++counter}`;
  const url = await own.createDatabase(db);
  const galleryKey = newGalleryKey();
  const client = await connectClient(url);
  try {
    await initServer(client, galleryKey);
  } finally {
    await client.end();
  }
  const admin = createPool(url, { max: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-central-'));
  return {
    cluster: own,
    db,
    url,
    galleryKey,
    admin,
    dir,
    async addKiosk(kioskId, enroll = false) {
      const kioskKey = randomBytes(32);
      const c = await admin.connect();
      try {
        const added = await addKiosk(c, { kioskId, kioskKey, galleryKey, enroll });
        return { kioskId, kioskKey, roleName: added.roleName, url: own.url(db, added.roleName) };
      } finally {
        c.release();
      }
    },
    async count(sql, params = []) {
      const row = await admin.query<{ n: string }>(sql, params);
      return Number(row.rows[0]?.n);
    },
    async close() {
      await admin.end().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      if (cluster === undefined) own.stop();
    },
  };
}

export interface TestCache {
  readonly store: Store<KioskSettings>;
  readonly cache: CentralCache;
  readonly path: string;
  close(): void;
}

/** A kiosk's cache database, its templates sealed with the gallery key, the outbox on for `kioskId`. */
export function openCache(dir: string, name: string, kioskId: string, galleryKey: Buffer, now?: () => Date, cipher?: TemplateCipher): TestCache {
  const path = join(dir, `${name}.db`);
  const store = openStore(path, { cipher: cipher ?? new Aes256GcmCipher(galleryKey), settings: KIOSK_SETTINGS, ...(now === undefined ? {} : { now }) });
  const cache = new CentralCache(store.db, store.templates, store.rawCaptures);
  cache.enable(kioskId);
  return { store, cache, path, close: () => store.close() };
}

/** Appends a PIN punch as the clock service would (the outbox trigger adds its row). */
export function punch(store: Store<KioskSettings>, kioskId: string, employeeId: number, at: Date, direction: 'in' | 'out' = 'in'): number {
  return store.attendance.append({ employeeId, direction, kioskId, occurredAt: at, modality: 'pin' }).id;
}

/** A kiosk of the central server at service level: its cache, fake engines, the clock service, its sync. */
export interface CentralKiosk {
  readonly kioskId: string;
  /** Its own key (the key file a real kiosk keeps beside its database). */
  readonly kioskKey: Buffer;
  readonly cipher: GalleryCipher;
  readonly cache: TestCache;
  readonly context: ServiceContext;
  readonly face: FakeFaceEngine;
  readonly clocking: ClockService;
  readonly sync: CentralSync;
  /** Enrollment through the server (refused unless the kiosk was added as an enrollment station). */
  readonly enrollment: CentralEnrollment;
  close(): Promise<void>;
}

export async function openCentralKiosk(
  server: TestServer,
  kioskId: string,
  options: { now?: () => Date; intervalMs?: number; start?: boolean; enroll?: boolean } = {},
): Promise<CentralKiosk> {
  const added = await server.addKiosk(kioskId, options.enroll === true);
  const now = options.now ?? (() => new Date());
  const cipher = new GalleryCipher(server.galleryKey, 1);
  const cache = openCache(server.dir, kioskId, kioskId, server.galleryKey, now, cipher);
  const writerPool = createPool(added.url, { max: 1, connectTimeoutMs: 1_000 });
  const face = new FakeFaceEngine();
  const context: ServiceContext = {
    store: cache.store,
    face: { engine: face, model: FACE_MODEL, gallery: new ModalityGallery('face', FACE_MODEL, createSimilarity({ energy: 'euclidean' }), { kind: 'each' }), calibration: null },
    voice: null,
    kioskId,
    timeZone: 'Asia/Seoul',
    now,
  };
  context.face.gallery.load(cache.store.templates);
  const sync = new CentralSync({
    url: added.url,
    kioskId,
    cache: cache.cache,
    now,
    intervalMs: options.intervalMs ?? 60_000,
    settingKeys: new Set(Object.keys(KIOSK_SETTINGS)),
    onGallery: (applied) => refreshGalleries(context, applied.employeeIds),
    keyVersion: 1,
    onKeyVersion: async () => {
      const client = await writerPool.connect();
      try {
        const wrapped = await fetchWrappedGalleryKey(client, kioskId);
        cipher.use(unwrapGalleryKey(added.kioskKey, wrapped), wrapped.version);
      } finally {
        client.release();
      }
    },
  });
  if (options.start === true) sync.start();
  const clocking = new ClockService(context, new PhraseIssuer({ now }), { log2N: 10, r: 8, p: 1 });
  const enrollment = new CentralEnrollment(context, new CentralGalleryWriter(writerPool, cipher, () => cipher.version), sync, { log2N: 10, r: 8, p: 1 });
  return {
    kioskId,
    kioskKey: added.kioskKey,
    cipher,
    cache,
    context,
    face,
    clocking,
    sync,
    enrollment,
    async close() {
      await sync.stop();
      await writerPool.end().catch(() => {});
      cache.close();
    },
  };
}
