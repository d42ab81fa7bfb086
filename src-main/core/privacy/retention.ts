/**
 * Retention of biometric data: the templates and kept raw captures of an employee deactivated
 * `retentionDays` or more ago are erased automatically, at start-up and once a day, each
 * erasure audit-logged under the actor 'system:retention'. The employee row, the attendance
 * history and the consent record stay (records the employer must keep); the consent is marked
 * withdrawn, so a reactivated employee has to consent again before any new capture.
 */
import type { ServiceContext } from '../context/service-context.js';
import { eraseBiometrics } from './biometric-erasure.js';

export const RETENTION_ACTOR = 'system:retention';
export const DAY_MS = 86_400_000;

export interface RetentionErasure {
  readonly employeeId: number;
  readonly deactivatedAt: string;
  readonly templatesErased: number;
  readonly rawCapturesErased: number;
}

export interface RetentionSweep {
  /** Employees deactivated at or before this instant had their biometric data erased. */
  readonly cutoff: string;
  readonly retentionDays: number;
  readonly erased: readonly RetentionErasure[];
}

/**
 * One sweep over the deactivated employees; synchronous, each erasure its own transaction. The
 * live galleries need no update: they only ever hold active employees.
 */
export function sweepRetention(context: Pick<ServiceContext, 'store' | 'now'>): RetentionSweep {
  const { store } = context;
  const retentionDays = store.settings.get('retentionDays');
  const cutoff = new Date(context.now().getTime() - retentionDays * DAY_MS).toISOString();
  const erased: RetentionErasure[] = [];
  for (const listed of store.employees.list({ active: false })) {
    // ISO-8601 UTC strings of one fixed format: text order is time order.
    if (listed.deactivatedAt === null || listed.deactivatedAt > cutoff) continue;
    const erasure = store.db.transaction((): RetentionErasure | null => {
      // Read again inside the write transaction: a reactivation since the listing keeps the data.
      const employee = store.employees.get(listed.id);
      if (employee.active || employee.deactivatedAt === null) return null;
      if (store.templates.count({ employeeId: employee.id }) + store.rawCaptures.count(employee.id) === 0) return null;
      const { templatesErased, rawCapturesErased } = eraseBiometrics(store, employee.id, 'withdraw');
      store.audit.append({
        actor: RETENTION_ACTOR,
        action: 'employee.retention.erase',
        subject: `employee:${employee.id}`,
        details: { deactivatedAt: employee.deactivatedAt, retentionDays, templatesErased, rawCapturesErased },
      });
      return { employeeId: employee.id, deactivatedAt: employee.deactivatedAt, templatesErased, rawCapturesErased };
    });
    if (erasure !== null) erased.push(erasure);
  }
  return { cutoff, retentionDays, erased };
}

/** The timer functions the schedule uses (Node's by default; tests pass their own). */
export interface RetentionTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface RetentionLog {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface RetentionSchedule {
  stop(): void;
}

const nodeTimers: RetentionTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * Runs `sweep` now and then every `intervalMs` (a day). A failing sweep is logged and retried at
 * the next interval: attendance must keep working, and the failure is visible in the log.
 */
export function scheduleRetention(
  sweep: () => RetentionSweep,
  log: RetentionLog,
  options: { readonly intervalMs?: number; readonly timers?: RetentionTimers } = {},
): RetentionSchedule {
  const timers = options.timers ?? nodeTimers;
  const run = (): void => {
    try {
      const result = sweep();
      if (result.erased.length > 0) {
        log.info(`retention: erased the biometric data of ${result.erased.length} employee(s) deactivated ${result.retentionDays} or more days ago`);
      }
    } catch (error) {
      log.error('retention sweep failed; it is retried at the next interval', error);
    }
  };
  run();
  const handle = timers.setInterval(run, options.intervalMs ?? DAY_MS);
  // The schedule alone must not keep the process alive.
  (handle as { unref?: () => void } | null)?.unref?.();
  return { stop: () => timers.clearInterval(handle) };
}
