/**
 * PINs (admin and employee) are stored as scrypt hashes, never as digits:
 *   scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>
 * The parameters travel inside the string, so stronger ones can be introduced later and old
 * hashes still verify. A 4-12 digit PIN has little entropy, so the hash mainly slows an
 * attacker holding a copy of the database; the lockouts are what protect the live kiosk.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KioskError } from '../errors.js';

export interface ScryptCost {
  /** log2 of scrypt's CPU/memory cost N. */
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** N = 2^15, r = 8: 32 MiB and tens of milliseconds per check (OWASP's scrypt baseline is N = 2^17 for passwords). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

export async function hashPin(pin: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  requirePin(pin);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(pin, salt, HASH_BYTES, cost);
  return `scrypt$${cost.log2N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time comparison; false (never a throw) for a malformed stored hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (match === null || typeof pin !== 'string') return false;
  const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (cost.log2N < 10 || cost.log2N > 20 || cost.r < 1 || cost.p < 1) return false;
  const salt = Buffer.from(match[4]!, 'base64');
  const expected = Buffer.from(match[5]!, 'base64');
  if (expected.length < 16) return false;
  const actual = await derive(pin, salt, expected.length, cost);
  return timingSafeEqual(actual, expected);
}

/** A hash of a random PIN: verifying against it costs as much as a real check, so unknown codes are not faster. */
export function decoyHash(cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  return hashPin(String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0'), cost);
}

export function requirePin(pin: unknown): string {
  if (typeof pin !== 'string' || !/^\d{4,12}$/.test(pin)) {
    throw new KioskError('INVALID_INPUT', 'A PIN must be 4 to 12 digits', { field: 'pin' });
  }
  return pin;
}

function derive(pin: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
