/**
 * A kiosk of a central server (`serve --central <url>`): the same kiosk, with its SQLite as the
 * server's read cache and outbox. Its templates are sealed with the gallery key (unwrapped with
 * the kiosk's own key file; cached wrapped for offline starts), the outbox is turned on, a
 * CentralSync pulls the gallery and pushes punches, and kiosk.status carries the link's state for
 * the status line. Staff are the server's: the admin screens' enrollment writes to the server and
 * pulls back (core/central/central-enrollment.ts); a kiosk that is not an enrollment station
 * (`server add-kiosk --enroll`) is refused there with CENTRAL_REFUSED.
 */
import { CentralSync, type CentralStatus } from '../core/central/central-sync.js';
import { CentralEnrollment } from '../core/central/central-enrollment.js';
import { createPool, withClient } from '../core/central/connection.js';
import { kioskReports } from '../core/central/server-admin.js';
import { CentralGalleryWriter } from '../core/central/gallery-writer.js';
import { fetchWrappedGalleryKey, loadKioskGalleryKey, unwrapGalleryKey, writeWrappedKeyCache } from '../core/central/gallery-key.js';
import { GalleryCipher } from '../core/central/key-rotation.js';
import { refreshGalleries } from '../core/central/live-gallery.js';
import { KIOSK_SETTINGS } from '../core/context/settings.js';
import type { Logger } from '../core/logger.js';
import { CentralCache } from '../core/store/central-cache.js';
import type { Kiosk } from '../handlers/kiosk.js';
import type { ClockService } from '../core/attendance/clock-service.js';
import type { CentralLink, ClockResult } from '../../src-shared/contract.js';

/** The wrapped gallery key is cached beside the database: `kiosk.db.gallery-key`. */
export const GALLERY_KEY_CACHE_SUFFIX = '.gallery-key';

export interface CentralConfig {
  readonly url: string;
  readonly kioskId: string;
  readonly dbPath: string;
  /** The kiosk's own key (its key file): it unwraps the gallery key. */
  readonly kioskKey: Uint8Array;
  readonly log: Logger;
  readonly intervalMs?: number;
}

/** The template cipher of a kiosk of this server: the gallery key, and its version. */
export async function centralCipher(config: CentralConfig): Promise<{ cipher: GalleryCipher; keyVersion: number }> {
  const loaded = await loadKioskGalleryKey({
    url: config.url,
    kioskId: config.kioskId,
    kioskKey: config.kioskKey,
    cachePath: `${config.dbPath}${GALLERY_KEY_CACHE_SUFFIX}`,
  });
  if (loaded.source === 'cache') config.log.warn('central: the server cannot be reached; starting offline with the cached gallery key');
  const cipher = new GalleryCipher(loaded.key, loaded.version);
  loaded.key.fill(0);
  return { cipher, keyVersion: loaded.version };
}

/** Turns an opened kiosk into a kiosk of the central server and starts its sync. */
export function attachCentral(kiosk: Kiosk, config: CentralConfig & { readonly cipher: GalleryCipher; readonly keyVersion: number }): { kiosk: Kiosk; sync: CentralSync } {
  const { store } = kiosk.context;
  const cache = new CentralCache(store.db, store.templates, store.rawCaptures);
  cache.enable(config.kioskId);
  // Enrollment and the key refresh after a rotation share one small connection pool.
  const writerPool = createPool(config.url, { max: 1 });
  const cachePath = `${config.dbPath}${GALLERY_KEY_CACHE_SUFFIX}`;
  const sync = new CentralSync({
    url: config.url,
    kioskId: config.kioskId,
    cache,
    now: kiosk.context.now,
    log: config.log,
    settingKeys: new Set(Object.keys(KIOSK_SETTINGS)),
    onGallery: (applied) => refreshGalleries(kiosk.context, applied.employeeIds),
    keyVersion: config.cipher.version,
    // A rotation: this kiosk's new wrapped copy (KIOSK_KEY_REFUSED when it was revoked meanwhile).
    onKeyVersion: async () => {
      const wrapped = await withClient(writerPool, (client) => fetchWrappedGalleryKey(client, config.kioskId));
      const key = unwrapGalleryKey(config.kioskKey, wrapped);
      config.cipher.use(key, wrapped.version);
      key.fill(0);
      writeWrappedKeyCache(cachePath, wrapped);
      config.log.info(`central: gallery key version ${wrapped.version} taken up`);
    },
    ...(config.intervalMs === undefined ? {} : { intervalMs: config.intervalMs }),
  });
  sync.start();
  const enrollment = new CentralEnrollment(kiosk.context, new CentralGalleryWriter(writerPool, config.cipher, () => config.cipher.version), sync);
  const wrapped: Kiosk = {
    ...kiosk,
    clock: uploadingAfterPunches(kiosk.clock, () => sync.kick(), () => !cache.state().online),
    enrollment,
    central: {
      link: () => toLink(sync.status()),
      kiosks: async () => (await withClient(writerPool, (client) => kioskReports(client))).map(({ lastSeq: _lastSeq, ...row }) => ({ ...row, lost: [...row.lost] })),
    },
    status: async () => ({ ...(await kiosk.status()), central: toLink(sync.status()) }),
    close: async () => {
      await sync.stop();
      await writerPool.end().catch(() => {});
      await kiosk.close();
    },
  };
  return { kiosk: wrapped, sync };
}

/**
 * The clock service, each punch (and "Not you?") followed by a sync at once instead of at the next
 * tick; a punch recorded while the server is unreachable comes back marked offline for the screen.
 */
function uploadingAfterPunches(clock: ClockService, kick: () => void, offline: () => boolean): ClockService {
  const punching = new Set<PropertyKey>(['clockFace', 'clockVoice', 'clockPin', 'undo']);
  return new Proxy(clock, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (!punching.has(property)) return bound;
      // Synchronous methods stay synchronous (undo), asynchronous ones kick once they settle.
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = bound(...args);
        } catch (error) {
          kick();
          throw error;
        }
        if (result instanceof Promise) return result.then(markOffline).finally(kick);
        kick();
        return result;
      };
    },
  });

  function markOffline(result: unknown): unknown {
    const clocked = result as Partial<ClockResult> | null;
    if (clocked?.outcome !== 'recorded' || clocked.event === undefined || !offline()) return result;
    return { ...clocked, event: { ...clocked.event, offline: true } };
  }
}

function toLink(status: CentralStatus): CentralLink {
  return {
    state: status.state,
    offlineSince: status.offlineSince,
    punchesWaiting: status.punchesWaiting,
    lastSyncAt: status.lastSyncAt,
    clockOffsetMs: status.clockOffsetMs,
  };
}
