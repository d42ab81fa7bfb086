/**
 * The audit chain's anchor outside the database: a chain cut at its end, rewritten with fresh
 * hashes, or shown with a forged or deleted anchor is reported; a chain that only grew since
 * the last anchoring (a crash before the next one) is not.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditAnchor, checkAuditIntegrity } from '../../src-main/core/store/audit-anchor.js';
import { AuditLog, auditHash, GENESIS_HASH } from '../../src-main/core/store/audit-log.js';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { manualClock, tempDir } from './helpers.js';

function setup(): { db: KioskDatabase; audit: AuditLog; anchor: AuditAnchor } {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'kiosk.db'), { now: manualClock('2024-05-06T07:30:00.000Z').now });
  const audit = new AuditLog(db);
  const anchor = new AuditAnchor(join(dir, 'kiosk.db.audit-anchor'), new Aes256GcmCipher(randomBytes(32)));
  return { db, audit, anchor };
}

/** As the kiosk does on a new database: the empty chain is anchored first. */
function anchoredSetup(): ReturnType<typeof setup> {
  const parts = setup();
  checkAuditIntegrity(parts.audit, parts.anchor);
  return parts;
}

const appendSome = (audit: AuditLog, n: number): void => {
  for (let i = 0; i < n; i++) audit.append({ actor: 'admin', action: 'employee.create', subject: `employee:${i + 1}` });
};

/** An attacker with the file: the append-only triggers go first. */
function dropGuards(db: KioskDatabase): void {
  db.connection.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('audit chain anchor', () => {
  it('anchors an empty chain, then follows it as it grows; the file is sealed and owner-only', () => {
    const { audit, anchor } = setup();
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
    appendSome(audit, 3);
    const head = audit.verify();
    expect(checkAuditIntegrity(audit, anchor)).toEqual(head);
    expect(anchor.read()).toEqual({ entries: 3, head: head.ok ? head.head : '' });
    expect(statSync(anchor.path).mode & 0o777).toBe(0o600);
  });

  it('accepts a chain that grew since the last anchoring (entries written before a crash)', () => {
    const { audit, anchor } = anchoredSetup();
    appendSome(audit, 2);
    checkAuditIntegrity(audit, anchor);
    appendSome(audit, 3);
    expect(checkAuditIntegrity(audit, anchor)).toMatchObject({ ok: true, entries: 5 });
  });

  it('reports entries cut off the end, and keeps the anchor as evidence', () => {
    const { db, audit, anchor } = anchoredSetup();
    appendSome(audit, 5);
    checkAuditIntegrity(audit, anchor);
    dropGuards(db);
    db.connection.exec('DELETE FROM audit_log WHERE id > 3');
    expect(audit.verify()).toMatchObject({ ok: true, entries: 3 }); // the chain alone cannot tell
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: false, reason: 'truncated', missing: 2 });
    expect(anchor.read()).toMatchObject({ entries: 5 });
  });

  it('reports a chain rebuilt with fresh hashes after an entry was edited', () => {
    const { db, audit, anchor } = anchoredSetup();
    appendSome(audit, 3);
    checkAuditIntegrity(audit, anchor);
    dropGuards(db);
    db.connection.prepare("UPDATE audit_log SET action = 'employee.view' WHERE id = 2").run();
    let prev = GENESIS_HASH;
    for (const entry of audit.list({ limit: 10 }).reverse()) {
      const hash = auditHash(prev, entry);
      db.connection.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, entry.id);
      prev = hash;
    }
    expect(audit.verify()).toMatchObject({ ok: true, entries: 3 });
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: false, reason: 'rewritten', brokenAt: 3 });
  });

  it('reports a broken chain before looking at the anchor, and does not move the anchor', () => {
    const { db, audit, anchor } = anchoredSetup();
    appendSome(audit, 3);
    checkAuditIntegrity(audit, anchor);
    dropGuards(db);
    db.connection.prepare("UPDATE audit_log SET actor = 'nobody' WHERE id = 2").run();
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: false, reason: 'hash_mismatch', brokenAt: 2 });
    expect(anchor.read()).toMatchObject({ entries: 3 });
  });

  it('calls an anchor it cannot open forged: random bytes, or one sealed with another key', () => {
    const { audit, anchor } = anchoredSetup();
    appendSome(audit, 2);
    checkAuditIntegrity(audit, anchor);
    const other = new AuditAnchor(anchor.path, new Aes256GcmCipher(randomBytes(32)));
    expect(other.read()).toBe('forged');
    writeFileSync(anchor.path, randomBytes(80));
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: false, reason: 'anchor_forged' });
  });

  it('reports a deleted anchor when the chain has entries', () => {
    const { audit, anchor } = anchoredSetup();
    appendSome(audit, 2);
    checkAuditIntegrity(audit, anchor);
    rmSync(anchor.path);
    expect(checkAuditIntegrity(audit, anchor)).toEqual({ ok: false, reason: 'anchor_missing' });
  });
});
