/**
 * Encryption of biometric templates at rest. The repository seals every vector with an AAD
 * naming its owner, modality and model, so a blob copied onto another row fails to open.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { KioskError } from '../errors.js';

export interface TemplateCipher {
  seal(plain: Uint8Array, aad: string): Uint8Array;
  /** TEMPLATE_TAMPERED when the blob, the AAD or the key does not match. */
  open(sealed: Uint8Array, aad: string): Uint8Array;
}

// Sealed layout: format byte | 96-bit IV | 128-bit tag | ciphertext.
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
export const TEMPLATE_KEY_BYTES = 32;

export class Aes256GcmCipher implements TemplateCipher {
  private readonly key: KeyObject;

  /** `key`: 32 bytes (KEY_INVALID otherwise). The bytes are copied; the caller may wipe its buffer. */
  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== TEMPLATE_KEY_BYTES) {
      throw new KioskError('KEY_INVALID', `template key must be ${TEMPLATE_KEY_BYTES} bytes`);
    }
    this.key = createSecretKey(Buffer.from(key));
  }

  seal(plain: Uint8Array, aad: string): Uint8Array {
    // A fresh random IV per record: GCM's security collapses if an IV repeats under one key,
    // and 2^-32 collision odds are reached only after ~2^32 records.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, aad: string): Uint8Array {
    if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT) {
      throw new KioskError('TEMPLATE_TAMPERED', 'sealed template has an unknown format or is truncated');
    }
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 1 + IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, HEADER_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      throw new KioskError('TEMPLATE_TAMPERED', 'sealed template failed authentication (altered, moved to another row, or wrong key)');
    }
  }
}
