/**
 * The gallery data key: one 32-byte key seals every template in the central gallery (the kiosk's
 * template cipher, AES-256-GCM with the AAD naming employee, modality and model), so PostgreSQL
 * holds ciphertext only. Each kiosk receives it wrapped (sealed) by its own key — the key file
 * beside its database — under an AAD naming the kiosk and the key version, and caches the wrapped
 * copy so it can start offline. The administrator's copy is a 0600 key file (`server init`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../errors.js';
import { Aes256GcmCipher, TEMPLATE_KEY_BYTES } from '../store/template-cipher.js';
import { connectClient, isUnreachable, type CentralClient } from './connection.js';
import { requireCentralSchema } from './central-migrations.js';

export interface WrappedGalleryKey {
  readonly kioskId: string;
  readonly version: number;
  readonly wrapped: Uint8Array;
}

export function galleryKeyCheck(key: Uint8Array): string {
  return createHmac('sha256', Buffer.from(key)).update('kiosk-gallery-key-check/v1').digest('hex');
}

const wrapAad = (kioskId: string, version: number): string => `kiosk-gallery-key/v1|kiosk=${kioskId}|version=${version}`;

export function wrapGalleryKey(kioskKey: Uint8Array, galleryKey: Uint8Array, kioskId: string, version: number): Uint8Array {
  return new Aes256GcmCipher(kioskKey).seal(galleryKey, wrapAad(kioskId, version));
}

/** KIOSK_KEY_REFUSED when the kiosk's key does not open it (a wrong key file, another kiosk's copy). */
export function unwrapGalleryKey(kioskKey: Uint8Array, wrapped: WrappedGalleryKey): Buffer {
  try {
    const key = Buffer.from(new Aes256GcmCipher(kioskKey).open(wrapped.wrapped, wrapAad(wrapped.kioskId, wrapped.version)));
    if (key.length !== TEMPLATE_KEY_BYTES) throw new Error('wrong size');
    return key;
  } catch {
    throw new KioskError('KIOSK_KEY_REFUSED', `this kiosk's key does not open the gallery key the server holds for kiosk ${wrapped.kioskId}: wrong key file, or the kiosk was added with another key`, {
      kioskId: wrapped.kioskId,
    });
  }
}

/**
 * Records the first gallery key version on a fresh server, or checks that `key` is the newest
 * one (KEY_INVALID otherwise: the admin's key file belongs to another server). Returns the version.
 */
export async function registerGalleryKey(client: CentralClient, key: Uint8Array): Promise<number> {
  const check = galleryKeyCheck(key);
  const latest = await client.query<{ version: number; check_value: string }>(
    'SELECT version, check_value FROM gallery_key_versions ORDER BY version DESC LIMIT 1',
  );
  const row = latest.rows[0];
  if (row === undefined) {
    await client.query('INSERT INTO gallery_key_versions (version, check_value) VALUES (1, $1)', [check]);
    return 1;
  }
  if (row.check_value !== check) {
    throw new KioskError('KEY_INVALID', `the gallery key file is not this server's gallery key (version ${row.version})`, { version: row.version });
  }
  return row.version;
}

export function newGalleryKey(): Buffer {
  return randomBytes(TEMPLATE_KEY_BYTES);
}

/**
 * The kiosk's wrapped gallery key from the server. KIOSK_KEY_REFUSED for a kiosk the server does
 * not know, one that was revoked, or one with no key.
 */
export async function fetchWrappedGalleryKey(client: CentralClient, kioskId: string): Promise<WrappedGalleryKey> {
  const result = await client.query<{ kiosk_id: string; revoked: boolean; key_version: number | null; wrapped: Buffer | null }>(
    'SELECT kiosk_id, revoked, key_version, wrapped FROM kiosk_self($1)',
    [kioskId],
  );
  const row = result.rows[0];
  if (row === undefined) {
    throw new KioskError('KIOSK_KEY_REFUSED', `the central server does not know kiosk ${kioskId} (or this role may not act for it): add it with "server add-kiosk"`, { kioskId });
  }
  if (row.revoked) throw new KioskError('KIOSK_KEY_REFUSED', `kiosk ${kioskId} was revoked on the central server`, { kioskId });
  if (row.key_version === null || row.wrapped === null) {
    throw new KioskError('KIOSK_KEY_REFUSED', `the central server holds no gallery key for kiosk ${kioskId}`, { kioskId });
  }
  return { kioskId, version: row.key_version, wrapped: new Uint8Array(row.wrapped) };
}

/** The wrapped key cached beside the kiosk's database (it is useless without the kiosk's key). */
export function writeWrappedKeyCache(path: string, wrapped: WrappedGalleryKey): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify({ kioskId: wrapped.kioskId, version: wrapped.version, wrapped: Buffer.from(wrapped.wrapped).toString('base64') }), { mode: 0o600 });
  renameSync(temporary, path);
}

export function readWrappedKeyCache(path: string): WrappedGalleryKey | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as { kioskId: string; version: number; wrapped: string };
  return { kioskId: parsed.kioskId, version: parsed.version, wrapped: new Uint8Array(Buffer.from(parsed.wrapped, 'base64')) };
}

/**
 * The gallery key a kiosk starts with: fetched from the server and unwrapped with the kiosk's
 * key (the wrapped copy cached at `cachePath` for offline starts); when the server cannot be
 * reached, the cached copy. KIOSK_KEY_REFUSED when the server refuses the kiosk (unknown,
 * revoked) or the kiosk's key does not open its copy — a refusal from the server is never
 * overridden by the cache. CENTRAL_UNREACHABLE on a first start without the server.
 */
export async function loadKioskGalleryKey(input: {
  readonly url: string;
  readonly kioskId: string;
  readonly kioskKey: Uint8Array;
  readonly cachePath: string;
  readonly connectTimeoutMs?: number;
}): Promise<{ key: Buffer; version: number; source: 'server' | 'cache' }> {
  let wrapped: WrappedGalleryKey;
  try {
    const client = await connectClient(input.url, { connectTimeoutMs: input.connectTimeoutMs ?? 3_000 });
    try {
      await requireCentralSchema(client);
      wrapped = await fetchWrappedGalleryKey(client, input.kioskId);
    } finally {
      await client.end().catch(() => {});
    }
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    const cached = readWrappedKeyCache(input.cachePath);
    if (cached === null || cached.kioskId !== input.kioskId) {
      throw new KioskError('CENTRAL_UNREACHABLE', `the central server cannot be reached and this kiosk has never synced with it: the first start needs the server (${error instanceof Error ? error.message : String(error)})`);
    }
    return { key: unwrapGalleryKey(input.kioskKey, cached), version: cached.version, source: 'cache' };
  }
  const key = unwrapGalleryKey(input.kioskKey, wrapped);
  writeWrappedKeyCache(input.cachePath, wrapped);
  return { key, version: wrapped.version, source: 'server' };
}
