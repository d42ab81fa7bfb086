/**
 * The desktop app. It opens the kiosk with its template key in the OS keychain, serves the
 * renderer from app://kiosk/, answers the renderer only through the single 'kiosk:invoke'
 * channel (invoke-listener.ts), and applies window-config.ts's and hardening.ts's policy:
 * sandboxed, context-isolated renderers without Node, a strict CSP, no network requests, no
 * navigation or new windows, and camera/microphone for the app's own origin only.
 *
 * Electron comes in as a parameter, never as an import: electron-main.ts passes the real
 * module, and a test passes a recording stand-in, because Electron cannot run under Node.
 */
import type { Logger } from '../core/logger.js';
import { Aes256GcmCipher } from '../core/store/template-cipher.js';
import type { Kiosk } from '../handlers/kiosk.js';
import { createDispatcher, createHandlers } from '../handlers/table.js';
import { appPaths } from '../transport/ipc/app-paths.js';
import { serveAppRequest } from '../transport/ipc/app-protocol.js';
import { applySessionPolicy, hardenWebContents, type SessionLike, type WebContentsLike } from '../transport/ipc/hardening.js';
import { createInvokeListener, type InvokeListener } from '../transport/ipc/invoke-listener.js';
import { loadOrCreateKeychainKey, type SafeStorageLike } from '../transport/ipc/keychain-key.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, INVOKE_CHANNEL, windowOptions } from '../transport/ipc/window-config.js';
import type { OpenKioskOptions } from './open-kiosk.js';
import type { attachCentral, centralCipher } from './central-kiosk.js';
import { loadCentralKioskKey } from '../transport/ipc/central-keychain.js';
import { dirname, join } from 'node:path';

/** The part of Electron the shell uses; electron-main.ts type-checks the real module against it. */
export interface ShellElectron {
  readonly app: {
    readonly isPackaged: boolean;
    enableSandbox(): void;
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    getAppPath(): string;
    getPath(name: 'userData'): string;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
    on(event: 'window-all-closed', listener: () => void): unknown;
    on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
    quit(): void;
    exit(code: number): void;
  };
  readonly BrowserWindow: new (options: ReturnType<typeof windowOptions>) => ShellWindow;
  readonly dialog: { showErrorBox(title: string, content: string): void };
  readonly ipcMain: { handle(channel: string, listener: InvokeListener): void };
  readonly protocol: {
    registerSchemesAsPrivileged(schemes: (typeof APP_SCHEME_PRIVILEGES)[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  readonly safeStorage: SafeStorageLike;
  readonly session: { readonly defaultSession: SessionLike };
}

export interface ShellWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export interface ShellDeps {
  readonly openKiosk: (options: OpenKioskOptions) => Promise<Kiosk>;
  readonly log: Logger;
  /** The machine's name, the kiosk id written on every attendance event. */
  readonly hostname: string;
  /**
   * KIOSK_CENTRAL_URL (the postgres:// URL "server add-kiosk" printed) makes the app a kiosk of that
   * central server, with its own cache database; KIOSK_CENTRAL_KEY_FILE hands it its kiosk key once.
   */
  readonly env: { readonly KIOSK_ADMIN_PIN?: string; readonly KIOSK_CENTRAL_URL?: string; readonly KIOSK_CENTRAL_KEY_FILE?: string };
  /** How a kiosk joins its central server (app/central-kiosk.ts); only used with KIOSK_CENTRAL_URL. */
  readonly central?: {
    readonly cipher: typeof centralCipher;
    readonly attach: typeof attachCentral;
  };
  readonly platform: NodeJS.Platform;
  /** process.resourcesPath, where a packaged app's models and migrations are. */
  readonly resourcesPath: string;
  /** The compiled sandboxed preload (preload.cjs). */
  readonly preloadPath: string;
}

/**
 * Resolves once the window has loaded, or once a start failure has been shown and the app
 * told to exit(1); it never rejects.
 */
export function startElectronShell(electron: ShellElectron, deps: ShellDeps): Promise<void> {
  const { app, dialog, protocol } = electron;
  // Must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());

  return start(electron, deps).catch((error: unknown) => {
    deps.log.error('the kiosk cannot start', error);
    dialog.showErrorBox('Attendance kiosk cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function start(electron: ShellElectron, deps: ShellDeps): Promise<void> {
  const { app, protocol } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const paths = appPaths({
    isPackaged: app.isPackaged,
    resourcesPath: deps.resourcesPath,
    appPath: app.getAppPath(),
    userData: app.getPath('userData'),
  });
  const key = loadOrCreateKeychainKey(electron.safeStorage, paths.sealedKeyPath, deps.platform);
  const adminPin = deps.env.KIOSK_ADMIN_PIN;
  const central = await joinCentral(electron, deps, paths.dbPath);
  let kiosk = await deps.openKiosk({
    dbPath: central?.config.dbPath ?? paths.dbPath,
    cipher: central?.gallery.cipher ?? new Aes256GcmCipher(key),
    modelsDir: paths.modelsDir,
    migrationsDir: paths.migrationsDir,
    kioskId: deps.hostname.slice(0, 64),
    log: deps.log,
    ...(adminPin === undefined ? {} : { initialAdminPin: adminPin }),
  });
  // The cipher holds its own copy of the key.
  key.fill(0);
  if (central !== undefined) kiosk = central.attach(kiosk, { ...central.config, ...central.gallery }).kiosk;
  closeOnQuit(electron, kiosk, deps.log);
  const dispatch = createDispatcher(createHandlers(kiosk), deps.log);

  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, paths.rendererDir));
  applySessionPolicy(electron.session.defaultSession);
  electron.ipcMain.handle(INVOKE_CHANNEL, createInvokeListener(dispatch));

  const window = new electron.BrowserWindow(windowOptions(deps.preloadPath));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}

/**
 * With KIOSK_CENTRAL_URL: the app's kiosk key from the keychain, the gallery key it unwraps, and
 * a cache database of its own beside the standalone one (which is left as it was).
 */
async function joinCentral(electron: ShellElectron, deps: ShellDeps, standaloneDb: string) {
  const url = deps.env.KIOSK_CENTRAL_URL;
  if (url === undefined || url === '' || deps.central === undefined) return undefined;
  const folder = dirname(standaloneDb);
  const kioskKey = loadCentralKioskKey(electron.safeStorage, join(folder, 'central-kiosk-key.sealed'), deps.platform, deps.env.KIOSK_CENTRAL_KEY_FILE);
  const config = { url, kioskId: deps.hostname.slice(0, 64), dbPath: join(folder, 'central-kiosk.db'), kioskKey, log: deps.log };
  const gallery = await deps.central.cipher(config);
  return { config, gallery, attach: deps.central.attach };
}

/** Quitting waits for the database to close, so the last clock-in is never cut off. */
function closeOnQuit({ app }: ShellElectron, kiosk: Kiosk, log: Logger): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    kiosk
      .close()
      .catch((error: unknown) => log.error('closing the kiosk failed', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
