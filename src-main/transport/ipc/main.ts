/**
 * Electron entry point (package.json "main" → dist-main/transport/ipc/main.js). Opens the kiosk
 * with its template key in the OS keychain, serves the renderer from app://kiosk/, answers the
 * renderer only through the single 'kiosk:invoke' channel, and applies window-config.ts's
 * hardening: sandboxed, context-isolated renderers without Node, a strict CSP, no navigation or
 * new windows, and camera/microphone granted only to the app's own origin.
 */
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { consoleLogger } from '../../app/logger.js';
import { openKiosk, type Kiosk } from '../../app/open-kiosk.js';
import { Aes256GcmCipher } from '../../core/store/template-cipher.js';
import { createDispatcher, createHandlers } from '../../handlers/table.js';
import { CSP_HEADER } from '../csp.js';
import { appPaths } from './app-paths.js';
import { serveAppRequest } from './app-protocol.js';
import { loadOrCreateKeychainKey } from './keychain-key.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  INVOKE_CHANNEL,
  WINDOW_OPEN_RESPONSE,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  windowOptions,
} from './window-config.js';

const here = dirname(fileURLToPath(import.meta.url));

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => harden(contents));
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

  const ses = session.defaultSession;
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, paths.rendererDir));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP_HEADER] } });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, details.requestingUrl, mediaTypes));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));

  ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, input: unknown) => {
    // Only the app's own page may call the handlers (not an iframe or a page navigated elsewhere).
    if (!isAppUrl(event.senderFrame?.url ?? '')) {
      return { ok: false, error: { code: 'FORBIDDEN_ORIGIN', message: 'Calls are accepted from the kiosk page only.' } };
    }
    return dispatch(String(name), input);
  });

  const window = new BrowserWindow(windowOptions(join(here, 'preload.cjs')));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => WINDOW_OPEN_RESPONSE);
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
