/**
 * The Electron shell's security decisions, checked without Electron (which cannot run here):
 * window options, permission and navigation policy, the app:// protocol handler, the preload
 * (run with a stand-in for Electron), the CSP shared with the renderer's <meta>, and the
 * keychain-held template key.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER, RENDERER_CSP } from '../../src-main/transport/csp.js';
import { appPaths } from '../../src-main/transport/ipc/app-paths.js';
import { serveAppRequest } from '../../src-main/transport/ipc/app-protocol.js';
import { loadOrCreateKeychainKey, type SafeStorageLike } from '../../src-main/transport/ipc/keychain-key.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  INVOKE_CHANNEL,
  WINDOW_OPEN_RESPONSE,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  windowOptions,
} from '../../src-main/transport/ipc/window-config.js';
import { repoRoot } from '../helpers/paths.js';

const metaCsp = (html: string): string | undefined => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

describe('Content-Security-Policy', () => {
  it("is the renderer's own <meta> policy, plus frame-ancestors in the header", () => {
    expect(metaCsp(readFileSync(join(repoRoot, 'src-renderer/index.html'), 'utf8'))).toBe(RENDERER_CSP);
    const built = join(repoRoot, 'dist-renderer/index.html');
    if (existsSync(built)) expect(metaCsp(readFileSync(built, 'utf8'))).toBe(RENDERER_CSP);
    expect(CSP_HEADER).toBe(`${RENDERER_CSP}; frame-ancestors 'none'`);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]) expect(CSP_HEADER).toContain(directive);
    expect(CSP_HEADER).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('BrowserWindow and session policy', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, no webview', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('loads only its own app:// origin (no remote content), a secure standard scheme', () => {
    expect(APP_ENTRY_URL).toBe('app://kiosk/index.html');
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    for (const url of ['https://kiosk/index.html', 'app://evil/index.html', 'file:///index.html', 'app://user:pw@kiosk/', 'not a url']) expect(isAppUrl(url), url).toBe(false);
  });

  it('grants camera and microphone to the app origin only, and nothing else to anyone', () => {
    expect(isPermissionAllowed('media', 'app://kiosk/index.html', ['video', 'audio'])).toBe(true);
    expect(isPermissionAllowed('media', 'app://kiosk')).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(isPermissionAllowed('media', 'app://kiosk/', ['screen'])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'display-capture', 'midiSysex']) {
      expect(isPermissionAllowed(permission, 'app://kiosk/'), permission).toBe(false);
    }
  });

  it('blocks every navigation and every new window', () => {
    for (const url of ['https://evil.example/', 'app://kiosk/other.html', 'file:///etc/passwd']) expect(isNavigationAllowed(url)).toBe(false);
    expect(WINDOW_OPEN_RESPONSE).toEqual({ action: 'deny' });
  });

  it('the sandboxed preload exposes one function, which invokes the channel the main process handles', async () => {
    const { exposed, invoked, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(exposed.map(([key]) => key)).toEqual(['kiosk']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['invoke']);
    const invoke = api.invoke as (name: unknown, input: unknown) => Promise<unknown>;
    const input = { pin: '1234' };
    expect(await invoke('admin.login', input)).toEqual({ ok: true, value: 'reply 1' });
    // A non-string name goes over as a string: the channel carries names only.
    expect(await invoke(42, null)).toEqual({ ok: true, value: 'reply 2' });
    expect(invoked).toEqual([
      [INVOKE_CHANNEL, 'admin.login', input],
      [INVOKE_CHANNEL, '42', null],
    ]);
    expect(invoked[0]![2]).toBe(input);
  });
});

/**
 * Runs preload.cts the way a sandboxed renderer would (CommonJS, `require('electron')` only),
 * with a contextBridge and an ipcRenderer that record what it exposes and invokes.
 */
function loadPreload() {
  const exposed: [string, unknown][] = [];
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
    ipcRenderer: { invoke: async (...args: unknown[]) => ({ ok: true, value: `reply ${invoked.push(args)}` }) },
  };
  const source = readFileSync(join(repoRoot, 'src-main/transport/ipc/preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const module = { exports: {} };
  const require = (id: string): unknown => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require '${id}'`);
    return electron;
  };
  runInNewContext(outputText, { module, exports: module.exports, require });
  return { exposed, invoked, required };
}

describe('app:// protocol handler', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kiosk-app-protocol-'));
    mkdirSync(join(root, 'dist-renderer', 'assets'), { recursive: true });
    writeFileSync(join(root, 'dist-renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'dist-renderer', 'assets', 'a.js'), '1');
    writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves renderer files with their MIME type and the CSP', async () => {
    const index = await serveAppRequest(new Request('app://kiosk/index.html'), join(root, 'dist-renderer'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CSP_HEADER);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await serveAppRequest(new Request('app://kiosk/assets/a.js'), join(root, 'dist-renderer'))).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses other hosts, other methods and paths out of the renderer folder', async () => {
    for (const url of ['app://kiosk/%2e%2e/secret.txt', 'app://kiosk/..%2fsecret.txt', 'app://other/index.html', 'app://kiosk/missing.js']) {
      const response = await serveAppRequest(new Request(url), join(root, 'dist-renderer'));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('TOP-SECRET');
    }
    expect((await serveAppRequest(new Request('app://kiosk/index.html', { method: 'POST', body: 'x' }), join(root, 'dist-renderer'))).status).toBe(404);
  });

  it('finds shipped resources beside the asar when packaged, in the repository otherwise', () => {
    const where = { resourcesPath: '/opt/kiosk/resources', appPath: '/opt/kiosk/resources/app.asar', userData: '/home/u/.config/kiosk' };
    expect(appPaths({ ...where, isPackaged: true })).toEqual({
      modelsDir: '/opt/kiosk/resources/models',
      migrationsDir: '/opt/kiosk/resources/migrations',
      rendererDir: '/opt/kiosk/resources/app.asar/dist-renderer',
      dbPath: '/home/u/.config/kiosk/kiosk.db',
      sealedKeyPath: '/home/u/.config/kiosk/template-key.sealed',
    });
    expect(appPaths({ ...where, isPackaged: false, appPath: '/src/kiosk' }).modelsDir).toBe('/src/kiosk/models');
  });
});

describe('template key in the OS keychain (safeStorage)', () => {
  /** Stands in for the OS keychain, the boundary Electron's safeStorage wraps. */
  const keychain = (backend = 'gnome_libsecret', available = true): SafeStorageLike & { sealed: string[] } => {
    const sealed: string[] = [];
    return {
      sealed,
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (text) => {
        sealed.push(text);
        return Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`);
      },
      decryptString: (data) => Buffer.from(data.toString().replace(/^sealed:/, ''), 'hex').toString(),
    };
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keychain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 32-byte key once, stores it only sealed (0600), and reads the same key back', () => {
    const path = join(dir, 'a', 'template-key.sealed');
    const storage = keychain();
    const key = loadOrCreateKeychainKey(storage, path, 'linux');
    expect(key.length).toBe(32);
    expect(readFileSync(path).includes(key)).toBe(false);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeychainKey(storage, path, 'linux').equals(key)).toBe(true);
  });

  it("refuses when the keychain cannot encrypt, or Linux fell back to 'basic_text'", () => {
    expect(() => loadOrCreateKeychainKey(keychain('gnome_libsecret', false), join(dir, 'b'), 'linux')).toThrow(expect.objectContaining({ code: 'KEY_INSECURE' }));
    expect(() => loadOrCreateKeychainKey(keychain('basic_text'), join(dir, 'c'), 'linux')).toThrow(expect.objectContaining({ code: 'KEY_INSECURE' }));
    expect(existsSync(join(dir, 'b')) || existsSync(join(dir, 'c'))).toBe(false);
  });

  it('refuses a sealed key of the wrong length', () => {
    const path = join(dir, 'short.sealed');
    writeFileSync(path, `sealed:${Buffer.from(Buffer.alloc(16).toString('base64')).toString('hex')}`);
    expect(() => loadOrCreateKeychainKey(keychain(), path, 'darwin')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
