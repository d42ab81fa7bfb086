/**
 * Electron entry point (package.json "main" → dist-main/src-main/app/electron-main.js). Opens the kiosk
 * with its template key in the OS keychain, serves the renderer from app://kiosk/, answers the
 * renderer only through the single 'kiosk:invoke' channel (invoke-listener.ts), and applies
 * window-config.ts's and hardening.ts's policy: sandboxed, context-isolated renderers without
 * Node, a strict CSP, no network requests, no navigation or new windows, and camera/microphone
 * granted only to the app's own origin.
 */
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { consoleLogger } from '../core/logger.js';
import type { Kiosk } from '../handlers/kiosk.js';
import { openKiosk } from './open-kiosk.js';
import { Aes256GcmCipher } from '../core/store/template-cipher.js';
import { createDispatcher, createHandlers } from '../handlers/table.js';
import { appPaths } from '../transport/ipc/app-paths.js';
import { serveAppRequest } from '../transport/ipc/app-protocol.js';
import { applySessionPolicy, hardenWebContents } from '../transport/ipc/hardening.js';
import { createInvokeListener } from '../transport/ipc/invoke-listener.js';
import { loadOrCreateKeychainKey } from '../transport/ipc/keychain-key.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, INVOKE_CHANNEL, windowOptions } from '../transport/ipc/window-config.js';

const here = dirname(fileURLToPath(import.meta.url));

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('window-all-closed', () => app.quit());

start().catch((error: unknown) => {
  consoleLogger.error('the kiosk cannot start', error);
  dialog.showErrorBox('Attendance kiosk cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const paths = appPaths({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    userData: app.getPath('userData'),
  });
  const key = loadOrCreateKeychainKey(safeStorage, paths.sealedKeyPath, process.platform);
  const kiosk = await openKiosk({
    dbPath: paths.dbPath,
    cipher: new Aes256GcmCipher(key),
    modelsDir: paths.modelsDir,
    migrationsDir: paths.migrationsDir,
    kioskId: hostname().slice(0, 64),
    log: consoleLogger,
    ...(process.env.KIOSK_ADMIN_PIN === undefined ? {} : { initialAdminPin: process.env.KIOSK_ADMIN_PIN }),
  });
  key.fill(0);
  closeOnQuit(kiosk);
  const dispatch = createDispatcher(createHandlers(kiosk), consoleLogger);

  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, paths.rendererDir));
  applySessionPolicy(session.defaultSession);
  ipcMain.handle(INVOKE_CHANNEL, createInvokeListener(dispatch));

  const window = new BrowserWindow(windowOptions(join(here, '../transport/ipc/preload.cjs')));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}

/** Quitting waits for the database to close, so the last clock-in is never cut off. */
function closeOnQuit(kiosk: Kiosk): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    kiosk
      .close()
      .catch((error: unknown) => consoleLogger.error('closing the kiosk failed', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
