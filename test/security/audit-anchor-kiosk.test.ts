/**
 * The kiosk checks its audit chain against the anchor beside the database when it opens: entries
 * cut from the chain's end while it was closed are reported once — an error in the log and an
 * 'audit.integrity_failed' entry in the chain itself — and not again at the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src-main/core/logger.js';
import { adminToken, hasModels, openTestKiosk } from '../attendance/kiosk-fixture.js';

describe.skipIf(!hasModels)('audit chain anchor in the kiosk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-anchor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A logger that keeps its error messages. */
  const spyLog = (): Logger & { readonly errors: string[] } => {
    const errors: string[] = [];
    return { errors, info: () => undefined, warn: () => undefined, error: (message) => void errors.push(message) };
  };

  it('reports entries cut while the kiosk was closed, once', async () => {
    const first = await openTestKiosk({ dir });
    await adminToken(first.dispatch);
    await adminToken(first.dispatch);
    const before = first.kiosk.context.store.audit.verify();
    await first.close();
    expect(before).toMatchObject({ ok: true });
    const entriesBefore = before.ok ? before.entries : 0;

    // Someone with the database file hides the last two admin actions.
    const db = new Database(join(dir, 'kiosk.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(entriesBefore - 2);
    db.close();

    const log = spyLog();
    const second = await openTestKiosk({ dir, key: first.key, log });
    expect(log.errors).toEqual([expect.stringContaining('"reason":"truncated","missing":2')]);
    const reported = second.kiosk.context.store.audit.list({ limit: 100 }).filter((e) => e.action === 'audit.integrity_failed');
    expect(reported.map((e) => e.details)).toEqual([{ reason: 'truncated', missing: 2 }]);
    expect(second.kiosk.context.store.audit.verify().ok).toBe(true);
    await second.close();

    const quiet = spyLog();
    const third = await openTestKiosk({ dir, key: first.key, log: quiet });
    expect(quiet.errors).toEqual([]);
    await third.close();
  });
});
