/**
 * The desktop app's life cycle (electron-shell.ts), driven with a recording stand-in for
 * Electron (fake-electron.ts), which cannot run here: single instance, the kiosk and its
 * keychain-held key, the app:// protocol, the IPC channel, the window, quitting and start
 * failures. The hardening the shell applies is checked in test/security/electron-session.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { CSP_HEADER } from '../../src-main/transport/csp.js';
import { APP_ENTRY_URL, INVOKE_CHANNEL } from '../../src-main/transport/ipc/window-config.js';
import { FAKE_STATUS, settle, startShell, tempAppDirs } from './fake-electron.js';

describe('Electron shell', () => {
  let dirs: ReturnType<typeof tempAppDirs>;
  beforeEach(() => {
    dirs = tempAppDirs();
  });
  afterEach(() => dirs.remove());

  it('quits at once when another instance holds the lock, before ready, opening nothing', async () => {
    const { fake, opened } = await startShell(dirs, { singleInstance: false });
    expect(fake.calls.filter((call) => call.startsWith('app.') && !call.startsWith('app.on'))).toEqual(['app.enableSandbox', 'app.requestSingleInstanceLock', 'app.quit']);
    expect(opened).toEqual([]);
    expect(fake.windows).toEqual([]);
    expect(fake.ipc.size + fake.protocols.size + fake.exits.length + fake.errorBoxes.length).toBe(0);
  });

  it('opens the kiosk from the app and user-data folders, with the host name as kiosk id and the keychain key as template cipher', async () => {
    const hostname = `kiosk-${'x'.repeat(80)}`;
    const { fake, opened, deps } = await startShell(dirs, {}, { hostname, env: { KIOSK_ADMIN_PIN: '246810' } });
    expect(opened).toHaveLength(1);
    const options = opened[0]!;
    expect(options).toMatchObject({
      dbPath: join(dirs.userData, 'kiosk.db'),
      modelsDir: join(dirs.appPath, 'models'),
      migrationsDir: join(dirs.appPath, 'migrations'),
      kioskId: hostname.slice(0, 64),
      initialAdminPin: '246810',
    });
    expect(options.log).toBe(deps.log);
    // The key sealed in the keychain file is the one the kiosk's cipher seals templates with.
    const key = Buffer.from(fake.safeStorage.decryptString(readFileSync(join(dirs.userData, 'template-key.sealed'))), 'base64');
    const sealed = new Aes256GcmCipher(key).seal(Buffer.from('template'), 'employee:1');
    expect(Buffer.from(options.cipher.open(sealed, 'employee:1')).toString()).toBe('template');
  });

  it('sets no first-run admin PIN when KIOSK_ADMIN_PIN is not in the environment', async () => {
    const { opened } = await startShell(dirs);
    expect(opened[0]).not.toHaveProperty('initialAdminPin');
  });

  it('serves the built renderer on app:// from the app folder, with the CSP', async () => {
    const { fake } = await startShell(dirs);
    const serve = fake.protocols.get('app')!;
    const index = await serve(new Request(APP_ENTRY_URL));
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(readFileSync(join(dirs.appPath, 'dist-renderer', 'index.html'), 'utf8'));
    expect(index.headers.get('content-security-policy')).toBe(CSP_HEADER);
    expect((await serve(new Request('app://kiosk/missing.js'))).status).toBe(404);
  });

  it('answers the invoke channel: the app page reaches the handlers, any other sender gets FORBIDDEN_ORIGIN', async () => {
    const { fake, counts } = await startShell(dirs);
    expect([...fake.ipc.keys()]).toEqual([INVOKE_CHANNEL]);
    const invoke = fake.ipc.get(INVOKE_CHANNEL)!;
    expect(await invoke({ senderFrame: { url: APP_ENTRY_URL } }, 'kiosk.status', {})).toEqual({ ok: true, value: FAKE_STATUS });
    expect(counts.status).toBe(1);
    for (const url of ['https://evil.example/', 'file:///index.html', 'app://other/index.html']) {
      expect(await invoke({ senderFrame: { url } }, 'kiosk.status', {}), url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    }
    expect(counts.status).toBe(1);
    expect(await invoke({ senderFrame: { url: APP_ENTRY_URL } }, 'no.such.handler', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
  });

  it('shows the window only once it is ready to show, and quits when every window is closed', async () => {
    const { fake } = await startShell(dirs);
    const [window] = fake.windows;
    expect(window!.shown).toBe(0);
    window!.fireReadyToShow();
    expect(window!.shown).toBe(1);
    expect(fake.calls).not.toContain('app.quit');
    fake.closeAllWindows();
    expect(fake.calls.filter((call) => call === 'app.quit')).toHaveLength(1);
  });

  it('holds quitting until kiosk.close() has finished, then quits once for good', async () => {
    const { fake, counts, finishClose } = await startShell(dirs);
    expect(fake.willQuit()).toBe(true);
    expect(counts.close).toBe(1);
    await settle();
    expect(fake.calls).not.toContain('app.quit');
    finishClose();
    await settle();
    expect(fake.calls.filter((call) => call === 'app.quit')).toHaveLength(1);
    // The quit that follows goes through without closing again.
    expect(fake.willQuit()).toBe(false);
    expect(counts.close).toBe(1);
  });

  it('still quits when closing the kiosk fails, and logs why', async () => {
    const { fake, finishClose, log } = await startShell(dirs);
    expect(fake.willQuit()).toBe(true);
    const failure = new Error('disk gone');
    finishClose(failure);
    await settle();
    expect(fake.calls).toContain('app.quit');
    expect(log.errors).toEqual([{ message: 'closing the kiosk failed', error: failure }]);
  });

  it('on a start failure shows the error dialog and exits 1, with no window and no IPC', async () => {
    const cases = [
      { options: { keychainAvailable: false }, overrides: {}, content: /keychain is not available/, opens: 0 },
      { options: {}, overrides: { failure: new Error('face model missing: models/face.onnx') }, content: /^face model missing: models\/face\.onnx$/, opens: 1 },
    ];
    for (const { options, overrides, content, opens } of cases) {
      const { fake, log, opened } = await startShell(dirs, options, overrides);
      expect(opened).toHaveLength(opens);
      expect(fake.errorBoxes).toEqual([{ title: 'Attendance kiosk cannot start', content: expect.stringMatching(content) }]);
      expect(fake.exits).toEqual([1]);
      expect(log.errors.map((entry) => entry.message)).toEqual(['the kiosk cannot start']);
      expect(fake.windows).toEqual([]);
      expect(fake.ipc.size).toBe(0);
    }
  });
});
