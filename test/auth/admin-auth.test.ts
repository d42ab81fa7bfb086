/** Admin sign-in: scrypt-hashed PIN, persisted lockout, expiring sessions, audited actions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminAuth, DEFAULT_ADMIN_PIN } from '../../src-main/core/auth/admin-auth.js';
import { KIOSK_SETTINGS, SECURITY_SETTINGS } from '../../src-main/core/context/settings.js';
import { KioskError } from '../../src-main/core/errors.js';
import { SettingsRepository } from '../../src-main/core/store/settings-repository.js';
import { openStore, type Store } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { FAST_SCRYPT, ManualClock } from '../attendance/kiosk-fixture.js';

const MINUTE = 60_000;

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
  throw new Error('expected a KioskError');
}

describe('AdminAuth', () => {
  let dir: string;
  let store: Store<Record<string, unknown>>;
  let clock: ManualClock;
  const open = (initialPin?: string) =>
    AdminAuth.create({ settings: new SettingsRepository(store.db, SECURITY_SETTINGS), audit: store.audit, now: clock.now, scryptCost: FAST_SCRYPT }, initialPin);
  const reopenStore = () => {
    store?.close();
    store = openStore(join(dir, 'kiosk.db'), { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS, now: clock.now }) as unknown as Store<Record<string, unknown>>;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-auth-'));
    clock = new ManualClock(Date.parse('2025-01-01T08:00:00Z'));
    reopenStore();
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the first-run PIN as an scrypt hash, never the digits, and reports the default', async () => {
    const auth = await open();
    const hash = new SettingsRepository(store.db, SECURITY_SETTINGS).get('security.adminPinHash');
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(hash).not.toContain(DEFAULT_ADMIN_PIN);
    const session = await auth.login(DEFAULT_ADMIN_PIN);
    expect(session.pinIsDefault).toBe(true);
    expect(Buffer.from(session.token, 'base64url').length).toBe(32);
  });

  it('locks out after five wrong PINs for five minutes, refusing even the right PIN, across a restart', async () => {
    let auth = await open('4321');
    for (let i = 0; i < 4; i++) expect(await codeOf(auth.login('0000'))).toBe('UNAUTHORIZED');
    expect(await codeOf(auth.login('0000'))).toBe('UNAUTHORIZED'); // the fifth starts the lockout
    expect(await codeOf(auth.login('4321'))).toBe('LOCKED_OUT');
    reopenStore();
    auth = await open('4321');
    clock.advance(4 * MINUTE);
    expect(await codeOf(auth.login('4321'))).toBe('LOCKED_OUT');
    clock.advance(MINUTE);
    await expect(auth.login('4321')).resolves.toMatchObject({ pinIsDefault: false });
    const failed = store.audit.list({ limit: 100 }).filter((e) => e.action === 'admin.login.failed');
    expect(failed.length).toBe(5);
    expect(failed.filter((e) => e.details.lockedOut === true).length).toBe(1);
  });

  it('counts parallel guesses one by one: ten at once give five refusals and five lockouts', async () => {
    const auth = await open('4321');
    const codes = await Promise.all(Array.from({ length: 10 }, () => codeOf(auth.login('1111'))));
    expect(codes.filter((c) => c === 'UNAUTHORIZED').length).toBe(5);
    expect(codes.filter((c) => c === 'LOCKED_OUT').length).toBe(5);
  });

  it('ends sessions after 15 idle minutes, keeps active ones alive, and on logout', async () => {
    const auth = await open('4321');
    const { token } = await auth.login('4321');
    clock.advance(14 * MINUTE);
    expect(auth.authorize(token).actor).toMatch(/^admin:[0-9a-f]{12}$/);
    clock.advance(14 * MINUTE);
    auth.authorize(token);
    clock.advance(15 * MINUTE);
    expect(await codeOf(() => auth.authorize(token))).toBe('UNAUTHORIZED');
    const second = await auth.login('4321');
    auth.logout(second.token);
    expect(await codeOf(() => auth.authorize(second.token))).toBe('UNAUTHORIZED');
    expect(await codeOf(() => auth.authorize('not-a-token-at-all'))).toBe('UNAUTHORIZED');
  });

  it('changes the PIN only with the current one, and ends the other sessions', async () => {
    const auth = await open();
    const a = await auth.login(DEFAULT_ADMIN_PIN);
    const b = await auth.login(DEFAULT_ADMIN_PIN);
    expect(await codeOf(auth.changePin(a.token, '999999', '2468'))).toBe('UNAUTHORIZED');
    await auth.changePin(a.token, DEFAULT_ADMIN_PIN, '2468');
    expect(auth.authorize(a.token).actor).toBeTruthy();
    expect(await codeOf(() => auth.authorize(b.token))).toBe('UNAUTHORIZED');
    expect(await codeOf(auth.login(DEFAULT_ADMIN_PIN))).toBe('UNAUTHORIZED');
    expect((await auth.login('2468')).pinIsDefault).toBe(false);
    expect(store.audit.list({ limit: 100 }).map((e) => e.action)).toContain('admin.pin.change');
    expect(store.audit.verify().ok).toBe(true);
  });
});
