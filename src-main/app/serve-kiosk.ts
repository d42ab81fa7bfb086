/**
 * Server mode: the kiosk's services behind the 127.0.0.1 HTTP transport. Templates are sealed
 * with a key file beside the database (created with mode 0600, refused if others can read it).
 */
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_ADMIN_PIN } from '../core/auth/admin-auth.js';
import { KioskError } from '../core/errors.js';
import { loadOrCreateKeyFile } from '../core/store/key-file.js';
import { Aes256GcmCipher } from '../core/store/template-cipher.js';
import { createDispatcher, createHandlers } from '../handlers/table.js';
import { startHttpServer, type KioskHttpServer } from '../transport/http/server.js';
import { consoleLogger, type Logger } from '../core/logger.js';
import type { Kiosk } from '../handlers/kiosk.js';
import { openKiosk } from './open-kiosk.js';
import { attachCentral, centralCipher } from './central-kiosk.js';
import { redactUrl } from '../core/central/connection.js';

export const KEY_FILE_NAME = 'kiosk.key';

export interface ServeConfig {
  readonly dbPath: string;
  readonly modelsDir: string;
  readonly staticDir: string;
  readonly port: number;
  readonly kioskId: string;
  readonly timeZone?: string;
  readonly extraOrigins?: readonly string[];
  /** First-run admin PIN; the documented default when absent. */
  readonly initialAdminPin?: string;
  readonly log?: Logger;
  /**
   * A central PostgreSQL server (postgres://…): the kiosk becomes one of its kiosks, its SQLite
   * the server's cache and outbox (app/central-kiosk.ts). Absent: a standalone kiosk, as always.
   */
  readonly central?: string;
}

export interface RunningKiosk {
  readonly kiosk: Kiosk;
  readonly http: KioskHttpServer;
  stop(): Promise<void>;
}

export async function startServe(config: ServeConfig): Promise<RunningKiosk> {
  const log = config.log ?? consoleLogger;
  const keyPath = join(dirname(resolve(config.dbPath)), KEY_FILE_NAME);
  const ownKey = loadOrCreateKeyFile(keyPath);
  const centralConfig =
    // A copy: the kiosk's key keeps unwrapping the gallery key after a rotation.
    config.central === undefined ? undefined : { url: config.central, kioskId: config.kioskId, dbPath: config.dbPath, kioskKey: Buffer.from(ownKey), log };
  // Standalone, the key file seals the templates; on a central server it unwraps the gallery key that does.
  const gallery = centralConfig === undefined ? undefined : await centralCipher(centralConfig);
  const cipher = gallery?.cipher ?? new Aes256GcmCipher(ownKey);
  ownKey.fill(0);
  let kiosk = await openKiosk({
    dbPath: config.dbPath,
    cipher,
    modelsDir: config.modelsDir,
    kioskId: config.kioskId,
    log,
    ...(config.timeZone === undefined ? {} : { timeZone: config.timeZone }),
    ...(config.initialAdminPin === undefined ? {} : { initialAdminPin: config.initialAdminPin }),
  });
  if (centralConfig !== undefined && gallery !== undefined) {
    try {
      kiosk = attachCentral(kiosk, { ...centralConfig, ...gallery }).kiosk;
    } catch (error) {
      await kiosk.close();
      throw error;
    }
    log.info(`central server ${redactUrl(centralConfig.url)}: this kiosk's database is its cache and outbox`);
  }
  let http: KioskHttpServer;
  try {
    http = await startHttpServer({
      dispatch: createDispatcher(createHandlers(kiosk), log),
      staticDir: config.staticDir,
      port: config.port,
      log,
      ...(config.extraOrigins === undefined ? {} : { extraOrigins: config.extraOrigins }),
    });
  } catch (error) {
    await kiosk.close();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new KioskError('CONFLICT', `Port ${config.port} is already in use; choose another with --port.`, { port: config.port });
    }
    throw error;
  }
  if (kiosk.auth.pinIsDefault) {
    log.warn(`the admin PIN is still the first-run default ${DEFAULT_ADMIN_PIN}: sign in to the admin area and change it (or start with KIOSK_ADMIN_PIN set on a new database)`);
  }
  return {
    kiosk,
    http,
    stop: async () => {
      await http.close();
      await kiosk.close();
    },
  };
}

