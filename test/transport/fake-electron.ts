/**
 * A recording stand-in for the part of Electron the shell uses (ShellElectron), since Electron
 * cannot run here. It logs each call in order, keeps what the shell registered and fires
 * events the way Electron would, so a test sees what the real hardening, session policy, IPC
 * listener and protocol handler then do. 'ready' comes only when the test calls markReady().
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startElectronShell, type ShellDeps, type ShellElectron, type ShellWindow } from '../../src-main/app/electron-shell.js';
import type { OpenKioskOptions } from '../../src-main/app/open-kiosk.js';
import type { Logger } from '../../src-main/core/logger.js';
import type { Kiosk, KioskStatus } from '../../src-main/handlers/kiosk.js';
import type { SessionLike, WebContentsLike } from '../../src-main/transport/ipc/hardening.js';
import type { InvokeListener } from '../../src-main/transport/ipc/invoke-listener.js';
import type { SafeStorageLike } from '../../src-main/transport/ipc/keychain-key.js';

type WindowOptions = ConstructorParameters<ShellElectron['BrowserWindow']>[0];
type PermissionRequest = Parameters<SessionLike['setPermissionRequestHandler']>[0];

interface AppListeners {
  'web-contents-created': (event: unknown, contents: WebContentsLike) => void;
  'window-all-closed': () => void;
  'will-quit': (event: { preventDefault(): void }) => void;
}

export interface FakeWindow extends ShellWindow {
  readonly options: WindowOptions;
  readonly loaded: string[];
  shown: number;
  fireReadyToShow(): void;
}

export interface FakeElectronOptions {
  readonly appPath: string;
  readonly userData: string;
  /** false: another instance already holds the lock. */
  readonly singleInstance?: boolean;
  readonly keychainAvailable?: boolean;
}

export function fakeElectron({ appPath, userData, singleInstance = true, keychainAvailable = true }: FakeElectronOptions) {
  const calls: string[] = [];
  const appListeners = new Map<keyof AppListeners, AppListeners[keyof AppListeners][]>();
  /** Calls every listener on `event`, as Electron's emitter does. */
  const emit = <E extends keyof AppListeners>(event: E, ...args: Parameters<AppListeners[E]>): void => {
    const registered = appListeners.get(event) ?? [];
    if (registered.length === 0) throw new Error(`the shell registered no '${event}' listener`);
    for (const listener of registered) (listener as (...received: Parameters<AppListeners[E]>) => void)(...args);
  };
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const windows: FakeWindow[] = [];
  const ipc = new Map<string, InvokeListener>();
  const protocols = new Map<string, (request: Request) => Promise<Response>>();
  const errorBoxes: { title: string; content: string }[] = [];
  const exits: number[] = [];
  let permissionRequest: PermissionRequest | undefined;

  /** Stands in for the OS keychain that safeStorage wraps. */
  const safeStorage: SafeStorageLike = {
    isEncryptionAvailable: () => keychainAvailable,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text) => Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`),
    decryptString: (data) => Buffer.from(data.toString().replace(/^sealed:/, ''), 'hex').toString(),
  };

  const defaultSession: SessionLike = {
    webRequest: {
      onBeforeRequest: () => calls.push('session.webRequest.onBeforeRequest'),
      onHeadersReceived: () => calls.push('session.webRequest.onHeadersReceived'),
    },
    setPermissionRequestHandler: (handler) => {
      calls.push('session.setPermissionRequestHandler');
      permissionRequest = handler;
    },
    setPermissionCheckHandler: () => calls.push('session.setPermissionCheckHandler'),
    setDevicePermissionHandler: () => calls.push('session.setDevicePermissionHandler'),
  };

  class BrowserWindow implements FakeWindow {
    readonly loaded: string[] = [];
    shown = 0;
    private readyToShow: (() => void) | undefined;
    constructor(readonly options: WindowOptions) {
      calls.push('new BrowserWindow');
      windows.push(this);
    }
    once(event: 'ready-to-show', listener: () => void): this {
      if (event === 'ready-to-show') this.readyToShow = listener;
      return this;
    }
    show(): void {
      this.shown++;
    }
    async loadURL(url: string): Promise<void> {
      calls.push(`window.loadURL ${url}`);
      this.loaded.push(url);
    }
    fireReadyToShow(): void {
      this.readyToShow?.();
    }
  }

  const electron: ShellElectron = {
    app: {
      isPackaged: false,
      enableSandbox: () => calls.push('app.enableSandbox'),
      requestSingleInstanceLock: () => {
        calls.push('app.requestSingleInstanceLock');
        return singleInstance;
      },
      whenReady: () => {
        calls.push('app.whenReady');
        return ready;
      },
      getAppPath: () => appPath,
      getPath: () => userData,
      on: (event: keyof AppListeners, handler: AppListeners[keyof AppListeners]) => {
        calls.push(`app.on ${event}`);
        appListeners.set(event, [...(appListeners.get(event) ?? []), handler]);
      },
      quit: () => calls.push('app.quit'),
      exit: (code) => {
        calls.push(`app.exit ${code}`);
        exits.push(code);
      },
    },
    BrowserWindow,
    dialog: { showErrorBox: (title, content) => errorBoxes.push({ title, content }) },
    ipcMain: {
      handle: (channel, handler) => {
        calls.push(`ipcMain.handle ${channel}`);
        ipc.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => calls.push(`protocol.registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme, handler) => {
        calls.push(`protocol.handle ${scheme}`);
        protocols.set(scheme, handler);
      },
    },
    safeStorage,
    session: { defaultSession },
  };

  return {
    electron,
    calls,
    windows,
    ipc,
    protocols,
    errorBoxes,
    exits,
    safeStorage,
    markReady: () => markReady(),
    /** Electron creating a web contents (a window's page, a devtools page, a webview). */
    createWebContents: (contents: WebContentsLike) => emit('web-contents-created', {}, contents),
    closeAllWindows: () => emit('window-all-closed'),
    /** Fires 'will-quit'; true when the shell prevented it. */
    willQuit: (): boolean => {
      let prevented = false;
      emit('will-quit', { preventDefault: () => (prevented = true) });
      return prevented;
    },
    /** A permission request as the default session would pass it on; the granted answer. */
    requestPermission: (permission: string, requestingUrl: string, mediaTypes?: string[]): boolean => {
      if (permissionRequest === undefined) throw new Error('no permission request handler on the default session');
      let granted: boolean | undefined;
      permissionRequest({}, permission, (answer) => (granted = answer), { requestingUrl, ...(mediaTypes === undefined ? {} : { mediaTypes }) });
      if (granted === undefined) throw new Error('the permission request was never answered');
      return granted;
    },
  };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;

export const FAKE_STATUS: KioskStatus = { ready: true, kioskId: 'front-desk', models: [], enrolled: 3, livenessMode: 'passive', recognition: { face: 'identify', voice: 'verify' } };

/** A Kiosk with only status() and close(), the two the shell and 'kiosk.status' reach; close() ends when the test says. */
export function fakeKiosk() {
  const counts = { status: 0, close: 0 };
  let finishClose: ((error?: Error) => void) | undefined;
  const kiosk: Pick<Kiosk, 'status' | 'close'> = {
    status: async () => {
      counts.status++;
      return FAKE_STATUS;
    },
    close: () => {
      counts.close++;
      return new Promise<void>((resolve, reject) => (finishClose = (error) => (error === undefined ? resolve() : reject(error))));
    },
  };
  return {
    kiosk: kiosk as Kiosk,
    counts,
    /** Ends the pending close(), failing with `error` when given. */
    finishClose: (error?: Error) => {
      if (finishClose === undefined) throw new Error('close() was never called');
      finishClose(error);
    },
  };
}

export function recordingLogger(): Logger & { readonly errors: { message: string; error: unknown }[] } {
  const errors: { message: string; error: unknown }[] = [];
  return { errors, info: () => undefined, warn: () => undefined, error: (message, error) => errors.push({ message, error }) };
}

/** Deps whose openKiosk records its options and opens `kiosk` (or fails with `failure`), logging to `log`. */
export function shellDeps(kiosk: Kiosk, overrides: Partial<Omit<ShellDeps, 'openKiosk' | 'log'>> & { failure?: Error } = {}) {
  const opened: OpenKioskOptions[] = [];
  const log = recordingLogger();
  const { failure, ...rest } = overrides;
  const deps: ShellDeps = {
    openKiosk: async (options) => {
      opened.push(options);
      if (failure !== undefined) throw failure;
      return kiosk;
    },
    log,
    hostname: 'front-desk',
    env: {},
    platform: 'linux',
    resourcesPath: '/nonexistent/resources',
    preloadPath: '/opt/kiosk/dist-main/src-main/transport/ipc/preload.cjs',
    ...rest,
  };
  return { deps, opened, log };
}

/** A fresh app folder (with a built renderer's index.html) and user-data folder. */
export function tempAppDirs() {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-shell-'));
  const appPath = join(root, 'app');
  mkdirSync(join(appPath, 'dist-renderer'), { recursive: true });
  writeFileSync(join(appPath, 'dist-renderer', 'index.html'), '<!doctype html><title>kiosk</title>');
  return { appPath, userData: join(root, 'user-data'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Starts the shell on a fake Electron that is ready at once, and waits until it has started (or failed). */
export async function startShell(dirs: { appPath: string; userData: string }, options: Partial<FakeElectronOptions> = {}, overrides: Parameters<typeof shellDeps>[1] = {}) {
  const fake = fakeElectron({ ...dirs, ...options });
  const double = fakeKiosk();
  const shell = shellDeps(double.kiosk, overrides);
  const started = startElectronShell(fake.electron, shell.deps);
  fake.markReady();
  await started;
  return { fake, ...double, ...shell };
}

/** Lets queued promise callbacks (close().finally(...), the start chain) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
