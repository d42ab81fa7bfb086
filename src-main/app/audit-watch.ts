/**
 * Keeps the audit chain's anchor (core/store/audit-anchor.ts) current and reports tampering:
 * checked when the kiosk opens (before anything new is logged), every hour and when it closes.
 * A failed check is logged as an error and written into the chain itself as
 * 'audit.integrity_failed' — the evidence then sits in every later export — and the anchor
 * moves on to the chain as it now is, so one incident is reported once.
 */
import { checkAuditIntegrity, type AuditAnchor, type AuditIntegrity } from '../core/store/audit-anchor.js';
import type { AuditLog } from '../core/store/audit-log.js';
import type { Logger } from '../core/logger.js';

const HOUR_MS = 3_600_000;

export interface AuditWatch {
  /** Checks now; the result of this check. */
  check(): AuditIntegrity;
  stop(): void;
}

export function watchAuditIntegrity(audit: AuditLog, anchor: AuditAnchor, log: Logger, intervalMs = HOUR_MS): AuditWatch {
  const check = (): AuditIntegrity => {
    const result = checkAuditIntegrity(audit, anchor);
    if (result.ok) return result;
    const { ok: _ok, ...details } = result;
    log.error(`audit log integrity check failed: ${JSON.stringify(details)} (anchor ${anchor.path})`);
    audit.append({ actor: 'system:audit', action: 'audit.integrity_failed', details });
    const chain = audit.verify();
    if (chain.ok) anchor.write({ entries: chain.entries, head: chain.head });
    return result;
  };
  const run = (): void => {
    try {
      check();
    } catch (error) {
      log.error('audit log integrity check could not run; it is retried at the next interval', error);
    }
  };
  run();
  const handle = setInterval(run, intervalMs);
  // The schedule alone must not keep the process alive.
  handle.unref();
  return { check, stop: () => clearInterval(handle) };
}
