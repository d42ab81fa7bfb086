/**
 * The desktop app as a kiosk of a central server (KIOSK_CENTRAL_URL), driven with the stand-in
 * for Electron (test/transport/fake-electron.ts): the kiosk key "server add-kiosk" wrote is taken
 * into the keychain once (KIOSK_CENTRAL_KEY_FILE) and read from it afterwards, the kiosk opens its
 * own cache database with the gallery cipher, and joins the server; without the variable the app
 * is the standalone kiosk it always was. The join itself (a real server) is serve-central.test.ts's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralConfig } from '../../src-main/app/central-kiosk.js';
import { GalleryCipher } from '../../src-main/core/central/key-rotation.js';
import type { Kiosk } from '../../src-main/handlers/kiosk.js';
import { startShell, tempAppDirs } from '../transport/fake-electron.js';

describe('Electron app on a central server', () => {
  let dirs: ReturnType<typeof tempAppDirs>;
  beforeEach(() => {
    dirs = tempAppDirs();
  });
  afterEach(() => dirs.remove());

  function central() {
    const gallery = new GalleryCipher(randomBytes(32), 1);
    const joined: { config: CentralConfig; kiosk: Kiosk }[] = [];
    return {
      gallery,
      joined,
      deps: {
        cipher: async (config: CentralConfig) => {
          joined.push({ config, kiosk: undefined as unknown as Kiosk });
          return { cipher: gallery, keyVersion: 1 };
        },
        attach: (kiosk: Kiosk, config: CentralConfig) => {
          joined[joined.length - 1]!.kiosk = kiosk;
          expect(config.url).toBe('postgres://kiosk_front@server/kiosks');
          return { kiosk, sync: undefined as never };
        },
      },
    };
  }

  it('takes the kiosk key into the keychain once, opens its own cache database with the gallery cipher, and joins', async () => {
    const keyFile = join(dirs.appPath, 'front.key');
    const kioskKey = randomBytes(32);
    writeFileSync(keyFile, kioskKey, { mode: 0o600 });
    const c = central();
    const env = { KIOSK_CENTRAL_URL: 'postgres://kiosk_front@server/kiosks', KIOSK_CENTRAL_KEY_FILE: keyFile };
    const { fake, opened } = await startShell(dirs, {}, { env, central: c.deps });
    expect(fake.errorBoxes).toEqual([]);
    expect(opened[0]).toMatchObject({ dbPath: join(dirs.userData, 'central-kiosk.db') });
    expect(opened[0]!.cipher).toBe(c.gallery);
    expect(c.joined[0]!.config).toMatchObject({ kioskId: 'front-desk', dbPath: join(dirs.userData, 'central-kiosk.db') });
    expect(Buffer.from(c.joined[0]!.config.kioskKey).equals(kioskKey)).toBe(true);
    // Kept as keychain ciphertext only.
    const sealed = readFileSync(join(dirs.userData, 'central-kiosk-key.sealed'));
    expect(sealed.includes(kioskKey)).toBe(false);
    expect(Buffer.from(fake.safeStorage.decryptString(sealed), 'base64').equals(kioskKey)).toBe(true);

    // Next start: the keychain copy, no file needed.
    const again = central();
    const second = await startShell(dirs, {}, { env: { KIOSK_CENTRAL_URL: env.KIOSK_CENTRAL_URL }, central: again.deps });
    expect(second.fake.errorBoxes).toEqual([]);
    expect(Buffer.from(again.joined[0]!.config.kioskKey).equals(kioskKey)).toBe(true);
  });

  it('refuses to start on a server without a kiosk key, saying how to give it one', async () => {
    const { fake, opened } = await startShell(dirs, {}, { env: { KIOSK_CENTRAL_URL: 'postgres://kiosk_front@server/kiosks' }, central: central().deps });
    expect(opened).toEqual([]);
    expect(fake.errorBoxes[0]?.content).toMatch(/KIOSK_CENTRAL_KEY_FILE/);
    expect(fake.exits).toEqual([1]);
  });

  it('stays the standalone kiosk without KIOSK_CENTRAL_URL', async () => {
    const c = central();
    const { opened } = await startShell(dirs, {}, { central: c.deps });
    expect(opened[0]).toMatchObject({ dbPath: join(dirs.userData, 'kiosk.db') });
    expect(c.joined).toEqual([]);
    expect(existsSync(join(dirs.userData, 'central-kiosk-key.sealed'))).toBe(false);
  });
});
