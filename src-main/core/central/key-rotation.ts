/**
 * Gallery key rotation, the administrator's answer to a lost or retired kiosk: a new gallery key
 * version, every live template re-sealed under it (same AAD), and the new key wrapped for every
 * kiosk that is not revoked — a revoked kiosk gets no copy, so nothing the server holds from now on
 * opens with what it carried away. One transaction under the gallery lock: the re-sealed rows get
 * new revisions and reach the kiosks like any other change; each kiosk fetches its new wrapped key
 * when it first meets the new version (GalleryCipher keeps the old key to open what it cached).
 */
import { KioskError } from '../errors.js';
import { Aes256GcmCipher, type TemplateCipher } from '../store/template-cipher.js';
import { templateAad } from '../store/template-repository.js';
import type { CentralClient } from './connection.js';
import { galleryKeyCheck, registerGalleryKey, wrapGalleryKey } from './gallery-key.js';

export interface RotationReport {
  readonly version: number;
  readonly templates: number;
  /** Kiosks that received the new key. */
  readonly wrappedFor: readonly string[];
  /** Kiosks not revoked whose key file was not given: re-add them (server add-kiosk) to reconnect. */
  readonly missingKeys: readonly string[];
}

export async function rotateGalleryKey(
  client: CentralClient,
  input: { oldKey: Uint8Array; newKey: Uint8Array; kioskKeys: ReadonlyMap<string, Uint8Array> },
): Promise<RotationReport> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(gallery_lock_key())');
    const current = await registerGalleryKey(client, input.oldKey);
    const version = current + 1;
    await client.query('INSERT INTO gallery_key_versions (version, check_value) VALUES ($1, $2)', [version, galleryKeyCheck(input.newKey)]);
    await client.query('UPDATE gallery_key_versions SET retired_at = now() WHERE version <= $1 AND retired_at IS NULL', [current]);
    const oldCipher = new Aes256GcmCipher(input.oldKey);
    const newCipher = new Aes256GcmCipher(input.newKey);
    const rows = await client.query<{ id: string; employee_id: string; modality: string; model_id: string; model_sha256: string; sealed: Buffer }>(
      'SELECT id, employee_id, modality, model_id, model_sha256, sealed FROM templates WHERE deleted_at IS NULL ORDER BY id',
    );
    for (const row of rows.rows) {
      const aad = templateAad(Number(row.employee_id), row.modality, row.model_id, row.model_sha256);
      const plain = oldCipher.open(row.sealed, aad);
      await client.query('UPDATE templates SET sealed = $2, key_version = $3 WHERE id = $1', [row.id, Buffer.from(newCipher.seal(plain, aad)), version]);
      plain.fill(0);
    }
    const kiosks = await client.query<{ kiosk_id: string }>('SELECT kiosk_id FROM kiosks WHERE revoked_at IS NULL ORDER BY kiosk_id');
    const wrappedFor: string[] = [];
    const missingKeys: string[] = [];
    for (const { kiosk_id: kioskId } of kiosks.rows) {
      const kioskKey = input.kioskKeys.get(kioskId);
      if (kioskKey === undefined) {
        missingKeys.push(kioskId);
        continue;
      }
      await client.query('INSERT INTO gallery_keys (kiosk_id, key_version, wrapped) VALUES ($1, $2, $3)', [
        kioskId,
        version,
        Buffer.from(wrapGalleryKey(kioskKey, input.newKey, kioskId, version)),
      ]);
      wrappedFor.push(kioskId);
    }
    await client.query('COMMIT');
    return { version, templates: rows.rows.length, wrappedFor, missingKeys };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * A kiosk's template cipher on a central server: seals with the newest gallery key it holds and
 * opens with any key it has held since it started, so rows cached under the previous version stay
 * readable until their re-sealed copies arrive.
 */
export class GalleryCipher implements TemplateCipher {
  private readonly keys: { version: number; cipher: Aes256GcmCipher }[] = [];

  constructor(key: Uint8Array, version: number) {
    this.use(key, version);
  }

  get version(): number {
    return this.keys[0]?.version ?? 0;
  }

  /** Makes `key` (version `version`) the sealing key; older ones keep opening. */
  use(key: Uint8Array, version: number): void {
    if (this.keys.some((k) => k.version === version)) return;
    this.keys.unshift({ version, cipher: new Aes256GcmCipher(key) });
    this.keys.sort((a, b) => b.version - a.version);
  }

  seal(plain: Uint8Array, aad: string): Uint8Array {
    const newest = this.keys[0];
    if (newest === undefined) throw new KioskError('KEY_INVALID', 'no gallery key');
    return newest.cipher.seal(plain, aad);
  }

  open(sealed: Uint8Array, aad: string): Uint8Array {
    let failure: unknown;
    for (const { cipher } of this.keys) {
      try {
        return cipher.open(sealed, aad);
      } catch (error) {
        failure = error;
      }
    }
    throw failure instanceof Error ? failure : new KioskError('TEMPLATE_TAMPERED', 'sealed template failed authentication');
  }
}
