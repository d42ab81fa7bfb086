/**
 * The template key of the desktop app, held by the OS keychain through Electron's safeStorage:
 * 32 random bytes, stored on disk only as safeStorage ciphertext (file mode 0600). Refused when
 * safeStorage cannot encrypt, or on Linux when it fell back to 'basic_text' (a hard-coded
 * password: the "encrypted" key would be readable by anyone with the file).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KioskError } from '../../core/errors.js';
import { TEMPLATE_KEY_BYTES } from '../../core/store/template-cipher.js';

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function loadOrCreateKeychainKey(storage: SafeStorageLike, path: string, platform: NodeJS.Platform): Buffer {
  if (!storage.isEncryptionAvailable()) {
    throw new KioskError('KEY_INSECURE', 'The operating system keychain is not available, so biometric templates cannot be protected. Sign in to a desktop session with a keyring.');
  }
  if (platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text') {
    throw new KioskError('KEY_INSECURE', 'No secret service (GNOME Keyring or KWallet) is running; refusing to keep the template key in plain text.');
  }
  if (existsSync(path)) {
    let key: Buffer;
    try {
      key = Buffer.from(storage.decryptString(readFileSync(path)), 'base64');
    } catch (cause) {
      throw new KioskError('KEY_INVALID', `The template key in ${path} cannot be decrypted by this user's keychain.`, { path, cause: String(cause) });
    }
    if (key.length !== TEMPLATE_KEY_BYTES) throw new KioskError('KEY_INVALID', `The template key in ${path} has the wrong length.`, { path });
    return key;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(TEMPLATE_KEY_BYTES);
  const sealed = storage.encryptString(key.toString('base64'));
  // 'wx': never overwrite a key that templates were sealed with.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, sealed);
  } finally {
    closeSync(fd);
  }
  return key;
}
