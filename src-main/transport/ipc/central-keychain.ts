/**
 * The desktop app's own key as a kiosk of a central server, held by the OS keychain: it unwraps
 * the gallery key the server keeps for this kiosk. `server add-kiosk` writes it as a file; the app
 * takes that file once (KIOSK_CENTRAL_KEY_FILE), keeps it only as safeStorage ciphertext (0600)
 * and from then on reads the keychain copy — the file can then be deleted.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../../core/errors.js';
import { TEMPLATE_KEY_BYTES } from '../../core/store/template-cipher.js';
import { loadOrCreateKeychainKey, type SafeStorageLike } from './keychain-key.js';

export function loadCentralKioskKey(storage: SafeStorageLike, sealedPath: string, platform: NodeJS.Platform, importFrom: string | undefined): Buffer {
  if (!existsSync(sealedPath)) {
    if (importFrom === undefined) {
      throw new KioskError('KIOSK_KEY_REFUSED', 'This app has no key for its central server yet: start it once with KIOSK_CENTRAL_KEY_FILE set to the key file "server add-kiosk" wrote for it.');
    }
    const key = readFileSync(importFrom);
    if (key.length !== TEMPLATE_KEY_BYTES) throw new KioskError('KEY_INVALID', `the kiosk key file ${importFrom} holds ${key.length} bytes, expected ${TEMPLATE_KEY_BYTES}`, { path: importFrom });
    // The same keychain checks as the template key (refused without a real keychain).
    if (!storage.isEncryptionAvailable() || (platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text')) {
      throw new KioskError('KEY_INSECURE', 'The operating system keychain is not available, so the kiosk key cannot be protected.');
    }
    mkdirSync(dirname(sealedPath), { recursive: true, mode: 0o700 });
    const fd = openSync(sealedPath, 'wx', 0o600);
    try {
      writeSync(fd, storage.encryptString(key.toString('base64')));
    } finally {
      closeSync(fd);
    }
    key.fill(0);
  }
  return loadOrCreateKeychainKey(storage, sealedPath, platform);
}
