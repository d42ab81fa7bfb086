/**
 * Lockout after repeated failures: `maxFailures` consecutive failures lock the key for
 * `lockMs`; a success resets the count. The state sits behind a small interface so the admin
 * PIN's counters survive a restart (settings table) while per-employee PIN counters stay in
 * memory.
 */
import { KioskError } from '../errors.js';

export interface LockState {
  readonly failures: number;
  /** Epoch ms until which attempts are refused; null when not locked. */
  readonly lockedUntil: number | null;
}

export interface LockStateStore {
  get(key: string): LockState;
  set(key: string, state: LockState): void;
}

export interface LimiterPolicy {
  readonly maxFailures: number;
  readonly lockMs: number;
}

export const DEFAULT_LIMITER_POLICY: LimiterPolicy = { maxFailures: 5, lockMs: 5 * 60_000 };

export class AttemptLimiter {
  constructor(
    private readonly store: LockStateStore,
    private readonly now: () => Date,
    private readonly policy: LimiterPolicy = DEFAULT_LIMITER_POLICY,
  ) {}

  /** LOCKED_OUT (with retryAfterSeconds) while the key is locked. */
  assertOpen(key: string, what: string): void {
    const { lockedUntil } = this.store.get(key);
    const now = this.now().getTime();
    if (lockedUntil !== null && now < lockedUntil) {
      const retryAfterSeconds = Math.ceil((lockedUntil - now) / 1000);
      throw new KioskError('LOCKED_OUT', `Too many wrong attempts: ${what} is locked for ${retryAfterSeconds} more seconds.`, {
        retryAfterSeconds,
      });
    }
  }

  /** Counts a failure; returns true when this failure started a lockout. */
  fail(key: string): boolean {
    const state = this.store.get(key);
    const now = this.now().getTime();
    // A lock that has run out starts a fresh count.
    const previous = state.lockedUntil !== null && now >= state.lockedUntil ? 0 : state.failures;
    const failures = previous + 1;
    if (failures >= this.policy.maxFailures) {
      this.store.set(key, { failures: 0, lockedUntil: now + this.policy.lockMs });
      return true;
    }
    this.store.set(key, { failures, lockedUntil: null });
    return false;
  }

  succeed(key: string): void {
    this.store.set(key, { failures: 0, lockedUntil: null });
  }
}

/** In-memory store, bounded so a flood of made-up keys cannot grow it without limit. */
export class MemoryLockStore implements LockStateStore {
  private readonly states = new Map<string, LockState>();

  constructor(private readonly maxKeys = 10_000) {}

  get(key: string): LockState {
    return this.states.get(key) ?? { failures: 0, lockedUntil: null };
  }

  set(key: string, state: LockState): void {
    this.states.delete(key);
    if (state.failures === 0 && state.lockedUntil === null) return;
    if (this.states.size >= this.maxKeys) {
      const oldest = this.states.keys().next();
      if (!oldest.done) this.states.delete(oldest.value);
    }
    this.states.set(key, state);
  }
}
