/**
 * Template key held in a file, for server mode (the Electron app keeps its key in the OS
 * keychain instead). The file is created with 32 random bytes and mode 0600, and a file that
 * other users could read is refused rather than silently used.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KioskError } from '../errors.js';
import { TEMPLATE_KEY_BYTES } from './template-cipher.js';

/** Returns the key stored at `path`, creating the file first when it does not exist. */
export function loadOrCreateKeyFile(path: string): Buffer {
  try {
    createKeyFile(path);
  } catch (error) {
    // Another process may have created it between our check and open: read theirs.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
  return readKeyFile(path);
}

/** KEY_INSECURE for group/other permissions or a non-regular file; KEY_INVALID for a wrong size. */
function readKeyFile(path: string): Buffer {
  const stats = statSync(path);
  if (!stats.isFile()) throw new KioskError('KEY_INSECURE', `key file ${path} is not a regular file`, { path });
  // Windows has no POSIX mode bits; there the file's ACL is the user's responsibility.
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    throw new KioskError(
      'KEY_INSECURE',
      `key file ${path} has permissions ${(stats.mode & 0o777).toString(8)}; run chmod 600 on it`,
      { path },
    );
  }
  const key = readFileSync(path);
  if (key.length !== TEMPLATE_KEY_BYTES) {
    throw new KioskError('KEY_INVALID', `key file ${path} holds ${key.length} bytes, expected ${TEMPLATE_KEY_BYTES}`, { path });
  }
  return key;
}

function createKeyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // 'wx': fail instead of overwriting, which would orphan every template sealed with the old key.
  const fd = openSync(path, 'wx', 0o600);
  try {
    const key = randomBytes(TEMPLATE_KEY_BYTES);
    writeSync(fd, key);
    key.fill(0);
  } finally {
    closeSync(fd);
  }
}
