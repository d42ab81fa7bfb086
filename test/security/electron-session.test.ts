/**
 * The Electron hardening as the shell applies it, exercised without Electron: the session policy
 * and the web-contents guards are applied to recording stand-ins of Session and WebContents, and
 * the handlers they registered are then fired the way Electron would fire them; then the shell
 * itself is started on a stand-in for Electron (test/transport/fake-electron.ts). Complements
 * test/transport/electron-hardening.test.ts (window options, CSP text, app:// protocol, paths).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startElectronShell } from '../../src-main/app/electron-shell.js';
import { CSP_HEADER } from '../../src-main/transport/csp.js';
import { REMOTE_URL_PATTERNS, applySessionPolicy, hardenWebContents, type SessionLike, type WebContentsLike } from '../../src-main/transport/ipc/hardening.js';
import { createInvokeListener } from '../../src-main/transport/ipc/invoke-listener.js';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, windowOptions } from '../../src-main/transport/ipc/window-config.js';
import type { Dispatch } from '../../src-main/handlers/table.js';
import { fakeElectron, fakeKiosk, settle, shellDeps, startShell, tempAppDirs } from '../transport/fake-electron.js';

type Listener<T> = T extends (listener: infer L) => void ? L : never;

/** A Session that records what the policy registers. */
function recordingSession() {
  const recorded: {
    beforeRequest?: { filter: { urls: string[] }; listener: Parameters<SessionLike['webRequest']['onBeforeRequest']>[1] };
    headers?: Listener<SessionLike['webRequest']['onHeadersReceived']>;
    request?: Listener<SessionLike['setPermissionRequestHandler']>;
    check?: Listener<SessionLike['setPermissionCheckHandler']>;
    device?: Listener<SessionLike['setDevicePermissionHandler']>;
  } = {};
  const session: SessionLike = {
    webRequest: {
      onBeforeRequest: (filter, listener) => (recorded.beforeRequest = { filter, listener }),
      onHeadersReceived: (listener) => (recorded.headers = listener),
    },
    setPermissionRequestHandler: (handler) => (recorded.request = handler),
    setPermissionCheckHandler: (handler) => (recorded.check = handler),
    setDevicePermissionHandler: (handler) => (recorded.device = handler),
  };
  applySessionPolicy(session);
  return recorded;
}

/** Whether Electron's URL pattern (scheme://host/path with '*' wildcards) matches `url`. */
function patternMatches(pattern: string, url: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return regex.test(url);
}

describe('session policy', () => {
  it('cancels every request to the network, so no remote content can load, while app:// is untouched', () => {
    const { beforeRequest } = recordingSession();
    const remote = ['https://cdn.example.com/lib.js', 'http://127.0.0.1:8787/api/kiosk.status', 'wss://evil.example/socket', 'ws://localhost:5173/'];
    for (const url of remote) {
      expect(beforeRequest!.filter.urls.some((p) => patternMatches(p, url)), url).toBe(true);
      let answer: { cancel?: boolean } | undefined;
      beforeRequest!.listener({ url }, (response) => (answer = response));
      expect(answer, url).toEqual({ cancel: true });
    }
    for (const url of [APP_ENTRY_URL, 'app://kiosk/assets/index.js', 'devtools://devtools/bundled/inspector.html']) {
      expect(REMOTE_URL_PATTERNS.some((p) => patternMatches(p, url)), url).toBe(false);
    }
  });

  it('puts the CSP on every response, replacing one the response brought in any spelling, keeping other headers', () => {
    const { headers } = recordingSession();
    let answer: { responseHeaders?: Record<string, string | string[]> } | undefined;
    headers!(
      { responseHeaders: { 'content-security-policy': ["default-src *"], 'CONTENT-SECURITY-POLICY': ['script-src *'], 'X-Other': ['1'] } },
      (response) => (answer = response),
    );
    expect(answer!.responseHeaders).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CSP_HEADER] });
    headers!({}, (response) => (answer = response));
    expect(answer!.responseHeaders).toEqual({ 'Content-Security-Policy': [CSP_HEADER] });
  });

  it('grants camera and microphone requests from app://kiosk only, and refuses every other permission', () => {
    const { request, check, device } = recordingSession();
    const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]): boolean => {
      let granted: boolean | undefined;
      request!({}, permission, (answer) => (granted = answer), { requestingUrl, ...(mediaTypes === undefined ? {} : { mediaTypes }) });
      return granted!;
    };
    expect(ask('media', APP_ENTRY_URL, ['video'])).toBe(true);
    expect(ask('media', APP_ENTRY_URL, ['audio', 'video'])).toBe(true);
    expect(ask('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(ask('media', 'app://other/index.html', ['audio'])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'display-capture', 'fullscreen', 'pointerLock', 'midi']) {
      expect(ask(permission, APP_ENTRY_URL), permission).toBe(false);
    }
    expect(check!({}, 'media', 'app://kiosk')).toBe(true);
    for (const permission of ['hid', 'serial', 'usb', 'geolocation']) expect(check!({}, permission, 'app://kiosk'), permission).toBe(false);
    expect(check!({}, 'media', 'https://evil.example')).toBe(false);
    expect(device!({ deviceType: 'hid', origin: 'app://kiosk' })).toBe(false);
  });
});

describe('web contents guards', () => {
  function hardened() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let windowOpen: ((details: { url: string }) => unknown) | undefined;
    const contents: WebContentsLike = {
      on: (event, listener) => listeners.set(event, listener),
      setWindowOpenHandler: (handler) => (windowOpen = handler),
    };
    hardenWebContents(contents);
    /** Fires `name` as Electron would; true when the listener prevented it. */
    const fire = (name: string, url: string): boolean => {
      let prevented = false;
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { listeners, fire, windowOpen: windowOpen! };
  }

  it('prevents every navigation and redirect, to other sites and within the app alike', () => {
    const { fire } = hardened();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://kiosk/index.html', 'javascript:alert(1)', 'data:text/html,<h1>x']) {
      expect(fire('will-navigate', url), url).toBe(true);
      expect(fire('will-redirect', url), url).toBe(true);
    }
  });

  it('refuses <webview> and every new window', () => {
    const { fire, windowOpen, listeners } = hardened();
    expect(fire('will-attach-webview', 'https://evil.example/')).toBe(true);
    for (const url of ['https://evil.example/', 'app://kiosk/index.html', 'about:blank']) expect(windowOpen({ url })).toEqual({ action: 'deny' });
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
  });
});

describe('the shell applies them', () => {
  let dirs: ReturnType<typeof tempAppDirs>;
  beforeEach(() => {
    dirs = tempAppDirs();
  });
  afterEach(() => dirs.remove());

  /** A web contents Electron might create, recording what the shell registered on it. */
  function createdContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let windowOpen: ((details: { url: string }) => unknown) | undefined;
    const contents: WebContentsLike = {
      on: (event, listener) => listeners.set(event, listener),
      setWindowOpenHandler: (handler) => (windowOpen = handler),
    };
    const prevented = (name: string, url: string): boolean => {
      let stopped = false;
      listeners.get(name)?.({ preventDefault: () => (stopped = true) }, url);
      return stopped;
    };
    return { contents, prevented, openWindow: (url: string) => windowOpen?.({ url }) };
  }

  it('enables the sandbox and registers app:// as privileged before ready, and guards web contents from the start', async () => {
    const fake = fakeElectron(dirs);
    const started = startElectronShell(fake.electron, shellDeps(fakeKiosk().kiosk).deps);
    await settle();
    // Not ready yet: the shell waits on whenReady() with only the pre-ready setup done.
    expect(fake.calls).toEqual([
      `protocol.registerSchemesAsPrivileged ${JSON.stringify([APP_SCHEME_PRIVILEGES])}`,
      'app.enableSandbox',
      'app.on web-contents-created',
      'app.on window-all-closed',
      'app.requestSingleInstanceLock',
      'app.whenReady',
    ]);
    const early = createdContents();
    fake.createWebContents(early.contents);
    expect(early.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    fake.markReady();
    await started;
    expect(fake.windows).toHaveLength(1);
  });

  it('hardens every web contents Electron creates: no navigation, redirect, <webview> or new window', async () => {
    const { fake } = await startShell(dirs);
    for (const created of [createdContents(), createdContents()]) {
      fake.createWebContents(created.contents);
      for (const url of ['https://evil.example/', 'app://kiosk/other.html', 'file:///etc/passwd']) {
        expect(created.prevented('will-navigate', url), url).toBe(true);
        expect(created.prevented('will-redirect', url), url).toBe(true);
      }
      expect(created.prevented('will-attach-webview', 'https://evil.example/')).toBe(true);
      expect(created.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    }
  });

  it('puts the policy on the default session before the window opens: camera and microphone for app://kiosk only', async () => {
    const { fake } = await startShell(dirs);
    expect(fake.calls.indexOf('session.setPermissionRequestHandler')).toBeLessThan(fake.calls.indexOf('new BrowserWindow'));
    expect(fake.calls.indexOf('session.webRequest.onBeforeRequest')).toBeLessThan(fake.calls.indexOf('new BrowserWindow'));
    expect(fake.requestPermission('media', APP_ENTRY_URL, ['video', 'audio'])).toBe(true);
    expect(fake.requestPermission('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(fake.requestPermission('geolocation', APP_ENTRY_URL)).toBe(false);
  });

  it('opens one window, with the hardened options, and loads only the app\'s entry URL into it', async () => {
    const { fake, deps } = await startShell(dirs);
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    expect(window!.options).toEqual(windowOptions(deps.preloadPath));
    expect(window!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(window!.loaded).toEqual([APP_ENTRY_URL]);
    expect(fake.calls.filter((call) => call.startsWith('window.load'))).toEqual([`window.loadURL ${APP_ENTRY_URL}`]);
  });
});

describe('IPC listener', () => {
  const echo: Dispatch = async (name, input) => ({ ok: true, value: { name, input } as never });

  it('hands calls from the app page to the dispatcher, and refuses any other sender with FORBIDDEN_ORIGIN', async () => {
    const listen = createInvokeListener(echo);
    expect(await listen({ senderFrame: { url: APP_ENTRY_URL } }, 'kiosk.status', {})).toEqual({ ok: true, value: { name: 'kiosk.status', input: {} } });
    const refusedFrom: unknown[] = [{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }, {}, { senderFrame: { url: 'file:///index.html' } }, null];
    for (const event of refusedFrom) {
      const reply = await listen(event as never, 'kiosk.status', {});
      expect(reply, JSON.stringify(event)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    }
    const throwing = { get senderFrame(): never {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    } };
    expect(await listen(throwing, 'kiosk.status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('never converts a non-string handler name (whose toString could throw) but names it by type', async () => {
    const listen = createInvokeListener(echo);
    const hostile = { toString: () => { throw new Error('boom'); } };
    expect(await listen({ senderFrame: { url: APP_ENTRY_URL } }, hostile, {})).toEqual({ ok: true, value: { name: '[object]', input: {} } });
    expect(await listen({ senderFrame: { url: APP_ENTRY_URL } }, 42, {})).toEqual({ ok: true, value: { name: '[number]', input: {} } });
  });
});
