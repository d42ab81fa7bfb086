/**
 * Where the template key lives, on both paths, as far as they can run here:
 *  - desktop app: sealed by the OS keychain through Electron's safeStorage. Electron cannot run
 *    here, so a safeStorage-shaped stand-in is the boundary (it seals with a real AES key of its
 *    own, like a keychain would); refused when encryption is unavailable or Linux fell back to
 *    'basic_text';
 *  - server mode: a 0600 key file beside the database, refused when others can read it.
 * Either way, templates sealed under the key open after a restart and under no other key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServe } from '../../src-main/app/serve-kiosk.js';
import { KIOSK_SETTINGS } from '../../src-main/core/context/settings.js';
import { openStore } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import type { ModelRef } from '../../src-main/core/runtime/model-ref.js';
import { loadOrCreateKeychainKey, type SafeStorageLike } from '../../src-main/transport/ipc/keychain-key.js';
import { modelsDir } from '../attendance/kiosk-fixture.js';
import { tempDir } from '../store/helpers.js';

const MODEL: ModelRef = { id: 'face-test', sha256: 'c'.repeat(64) };

/** A keychain that really encrypts (AES-256-CBC under its own secret), as the OS keychain does for safeStorage. */
function keychain(options: { backend?: string; available?: boolean } = {}): SafeStorageLike {
  const secret = randomBytes(32);
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (text) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', secret, iv);
      return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]);
    },
    decryptString: (sealed) => {
      const decipher = createDecipheriv('aes-256-cbc', secret, sealed.subarray(0, 16));
      return Buffer.concat([decipher.update(sealed.subarray(16)), decipher.final()]).toString('utf8');
    },
  };
}

function storeWith(dir: string, key: Buffer) {
  return openStore(join(dir, 'kiosk.db'), { cipher: new Aes256GcmCipher(key), settings: KIOSK_SETTINGS });
}

describe('template key sealed by the OS keychain (desktop app)', () => {
  it('keeps templates readable across restarts with the same keychain; the sealed file holds neither the key nor its base64', () => {
    const dir = tempDir();
    const sealedPath = join(dir, 'template-key.sealed');
    const os = keychain();
    const vector = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) / 3);

    const key = loadOrCreateKeychainKey(os, sealedPath, 'linux');
    const first = storeWith(dir, key);
    const { id } = first.employees.create({ code: 'K', name: 'Key' });
    first.templates.add({ employeeId: id, modality: 'face', model: MODEL, vector, capture: { detectionScore: 1 } });
    first.close();

    const sealed = readFileSync(sealedPath);
    expect(sealed.includes(key)).toBe(false);
    expect(sealed.includes(Buffer.from(key.toString('base64')))).toBe(false);

    const again = storeWith(dir, loadOrCreateKeychainKey(os, sealedPath, 'linux'));
    expect([...again.templates.listActive('face', MODEL)][0]?.vector).toEqual(vector);
    again.close();
  });

  it("refuses another user's keychain with KEY_INVALID and leaves the sealed key as it was", () => {
    const dir = tempDir();
    const sealedPath = join(dir, 'template-key.sealed');
    loadOrCreateKeychainKey(keychain(), sealedPath, 'linux');
    const before = readFileSync(sealedPath);
    expect(() => loadOrCreateKeychainKey(keychain(), sealedPath, 'linux')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(readFileSync(sealedPath).equals(before)).toBe(true);
  });

  it('refuses when encryption is unavailable on every platform, and the Linux plain-text backend', () => {
    const dir = tempDir();
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(() => loadOrCreateKeychainKey(keychain({ available: false }), join(dir, `${platform}.sealed`), platform), platform).toThrow(
        expect.objectContaining({ code: 'KEY_INSECURE' }),
      );
    }
    expect(() => loadOrCreateKeychainKey(keychain({ backend: 'basic_text' }), join(dir, 'basic.sealed'), 'linux')).toThrow(
      expect.objectContaining({ code: 'KEY_INSECURE', message: expect.stringContaining('plain text') }),
    );
    // KWallet and GNOME libsecret are real keychains.
    for (const backend of ['kwallet5', 'kwallet6', 'gnome_libsecret']) {
      expect(loadOrCreateKeychainKey(keychain({ backend }), join(dir, `${backend}.sealed`), 'linux')).toHaveLength(32);
    }
  });
});

describe('template key file (server mode)', () => {
  it.skipIf(process.platform === 'win32')('stops start-up with KEY_INSECURE, naming the file and the fix, when others can read the key file', async () => {
    const dir = tempDir();
    const keyPath = join(dir, 'kiosk.key');
    writeFileSync(keyPath, randomBytes(32), { mode: 0o600 });
    chmodSync(keyPath, 0o644);
    const started = startServe({ dbPath: join(dir, 'kiosk.db'), modelsDir, staticDir: dir, port: 0, kioskId: 't', log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    await expect(started).rejects.toMatchObject({ code: 'KEY_INSECURE', message: expect.stringContaining(`${keyPath} has permissions 644; run chmod 600`) });
  });
});
