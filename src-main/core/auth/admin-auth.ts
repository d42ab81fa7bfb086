/**
 * Admin sign-in: one admin PIN (scrypt hash in the settings table), lockout after repeated
 * failures (persisted, so restarting the kiosk does not reset it), and short-lived session
 * tokens. Tokens are 32 random bytes; only their SHA-256 is kept, in memory, so a restart
 * signs everybody out. Every sign-in, failure, lockout, sign-out and PIN change is appended to
 * the audit log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KioskError } from '../errors.js';
import type { AuditLog } from '../store/audit-log.js';
import type { SettingsRepository } from '../store/settings-repository.js';
import { AttemptLimiter, DEFAULT_LIMITER_POLICY, type LimiterPolicy, type LockState, type LockStateStore } from './attempt-limiter.js';
import { DEFAULT_SCRYPT_COST, hashPin, requirePin, verifyPin, type ScryptCost } from './pin-hash.js';
import { SerialQueue } from './serial-queue.js';
import type { SecuritySettings } from '../context/settings.js';

/**
 * The first-run admin PIN when KIOSK_ADMIN_PIN is not set. It is documented, reported by
 * `pinIsDefault` on every sign-in, and meant to be changed at once.
 */
export const DEFAULT_ADMIN_PIN = '123456';

export interface AdminSession {
  /** Audit actor: 'admin:' + a random session id (not the token). */
  readonly actor: string;
  readonly expiresAt: Date;
}

export interface AdminAuthOptions {
  readonly settings: SettingsRepository<SecuritySettings>;
  readonly audit: AuditLog;
  readonly now?: () => Date;
  /** Session ends after this long without a call. */
  readonly idleMs?: number;
  /** ... and at the latest this long after sign-in. */
  readonly maxMs?: number;
  readonly lockout?: LimiterPolicy;
  readonly scryptCost?: ScryptCost;
}

interface SessionRecord {
  readonly actor: string;
  readonly createdAt: number;
  expiresAt: number;
}

const LOCK_KEY = 'admin';
const MAX_SESSIONS = 32;

export class AdminAuth {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly limiter: AttemptLimiter;
  private readonly queue = new SerialQueue();
  private readonly now: () => Date;
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly cost: ScryptCost;

  private constructor(private readonly options: AdminAuthOptions) {
    this.now = options.now ?? (() => new Date());
    this.idleMs = options.idleMs ?? 15 * 60_000;
    this.maxMs = options.maxMs ?? 8 * 3600_000;
    this.cost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
    this.limiter = new AttemptLimiter(new SettingsLockStore(options.settings), this.now, options.lockout ?? DEFAULT_LIMITER_POLICY);
  }

  /** Sets the first-run PIN (`initialPin`, else DEFAULT_ADMIN_PIN) when none is stored yet. */
  static async create(options: AdminAuthOptions, initialPin?: string): Promise<AdminAuth> {
    const auth = new AdminAuth(options);
    if (options.settings.get('security.adminPinHash') === null) {
      const pin = requirePin(initialPin ?? DEFAULT_ADMIN_PIN);
      options.settings.set('security.adminPinHash', await hashPin(pin, auth.cost));
      options.settings.set('security.adminPinIsDefault', initialPin === undefined);
      options.audit.append({ actor: 'system', action: 'admin.pin.initialise', details: { fromEnvironment: initialPin !== undefined } });
    }
    return auth;
  }

  /** True while the admin PIN is the documented first-run default. */
  get pinIsDefault(): boolean {
    return this.options.settings.get('security.adminPinIsDefault');
  }

  /** LOCKED_OUT while locked (even for the right PIN); UNAUTHORIZED for a wrong PIN. */
  login(pin: string): Promise<{ token: string; expiresAt: Date; pinIsDefault: boolean }> {
    // Serialised: parallel guesses must each see the failures counted before them.
    return this.queue.run(async () => {
      this.limiter.assertOpen(LOCK_KEY, 'admin sign-in');
      if (!(await this.checkPin(pin))) {
        const locked = this.limiter.fail(LOCK_KEY);
        this.options.audit.append({ actor: 'anonymous', action: 'admin.login.failed', details: { lockedOut: locked } });
        throw new KioskError('UNAUTHORIZED', 'Wrong admin PIN.');
      }
      this.limiter.succeed(LOCK_KEY);
      const token = randomBytes(32).toString('base64url');
      const now = this.now().getTime();
      const record: SessionRecord = { actor: `admin:${randomBytes(6).toString('hex')}`, createdAt: now, expiresAt: now + this.idleMs };
      this.prune(now);
      this.sessions.set(digest(token), record);
      this.options.audit.append({ actor: record.actor, action: 'admin.login' });
      return { token, expiresAt: new Date(record.expiresAt), pinIsDefault: this.pinIsDefault };
    });
  }

  /** The session for a token, extended by the idle time; UNAUTHORIZED when unknown or expired. */
  authorize(token: string): AdminSession {
    const key = digest(token);
    const record = this.sessions.get(key);
    const now = this.now().getTime();
    if (record === undefined || now >= record.expiresAt) {
      this.sessions.delete(key);
      throw new KioskError('UNAUTHORIZED', 'The admin session has ended. Sign in again.');
    }
    record.expiresAt = Math.min(now + this.idleMs, record.createdAt + this.maxMs);
    return { actor: record.actor, expiresAt: new Date(record.expiresAt) };
  }

  logout(token: string): void {
    const session = this.authorize(token);
    this.sessions.delete(digest(token));
    this.options.audit.append({ actor: session.actor, action: 'admin.logout' });
  }

  /** Needs the current PIN too, so a session left open cannot be used to take the kiosk over. */
  changePin(token: string, currentPin: string, newPin: string): Promise<void> {
    const session = this.authorize(token);
    requirePin(newPin);
    return this.queue.run(async () => {
      this.limiter.assertOpen(LOCK_KEY, 'admin sign-in');
      if (!(await this.checkPin(currentPin))) {
        const locked = this.limiter.fail(LOCK_KEY);
        this.options.audit.append({ actor: session.actor, action: 'admin.pin.change.failed', details: { lockedOut: locked } });
        throw new KioskError('UNAUTHORIZED', 'The current admin PIN is wrong.');
      }
      this.limiter.succeed(LOCK_KEY);
      this.options.settings.set('security.adminPinHash', await hashPin(newPin, this.cost));
      this.options.settings.set('security.adminPinIsDefault', false);
      // Other sessions were opened with the old PIN: end them.
      for (const [key, record] of this.sessions) if (record.actor !== session.actor) this.sessions.delete(key);
      this.options.audit.append({ actor: session.actor, action: 'admin.pin.change' });
    });
  }

  private async checkPin(pin: string): Promise<boolean> {
    const stored = this.options.settings.get('security.adminPinHash');
    return stored !== null && typeof pin === 'string' && (await verifyPin(pin, stored));
  }

  private prune(now: number): void {
    for (const [key, record] of this.sessions) if (now >= record.expiresAt) this.sessions.delete(key);
    // Bounded: the oldest session goes first.
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
  }
}

const digest = (token: string): string => createHash('sha256').update(String(token)).digest('hex');

/** Admin lockout counters in the settings table. */
class SettingsLockStore implements LockStateStore {
  constructor(private readonly settings: SettingsRepository<SecuritySettings>) {}

  get(): LockState {
    const until = this.settings.get('security.adminLockedUntil');
    return { failures: this.settings.get('security.adminFailures'), lockedUntil: until === null ? null : Date.parse(until) };
  }

  set(_key: string, state: LockState): void {
    this.settings.set('security.adminFailures', state.failures);
    this.settings.set('security.adminLockedUntil', state.lockedUntil === null ? null : new Date(state.lockedUntil).toISOString());
  }
}
