/**
 * Electron entry point (package.json "main" → dist-main/src-main/app/electron-main.js): hands
 * the real Electron and the real openKiosk to electron-shell.ts, which holds all the desktop
 * app does and is tested with a stand-in for Electron.
 */
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { consoleLogger } from '../core/logger.js';
import { startElectronShell } from './electron-shell.js';
import { openKiosk } from './open-kiosk.js';
import { attachCentral, centralCipher } from './central-kiosk.js';

const here = dirname(fileURLToPath(import.meta.url));

void startElectronShell(
  { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session },
  {
    openKiosk,
    central: { cipher: centralCipher, attach: attachCentral },
    log: consoleLogger,
    hostname: hostname(),
    env: process.env,
    platform: process.platform,
    resourcesPath: process.resourcesPath,
    // preload.cts compiles to dist-main/src-main/transport/ipc/preload.cjs, beside this file's folder.
    preloadPath: join(here, '../transport/ipc/preload.cjs'),
  },
);
