import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH } from '../../src-main/core/store/audit-log.js';
import { canonicalJson } from '../../src-main/core/store/canonical-json.js';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database.js';
import { codeOf, manualClock, tempDir } from './helpers.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function setup(): { db: KioskDatabase; audit: AuditLog } {
  const db = openDatabase(join(tempDir(), 'kiosk.db'), { now: manualClock('2024-05-06T07:30:00.000Z').now });
  return { db, audit: new AuditLog(db) };
}

/** Simulates an attacker with the file: the append-only triggers are dropped first. */
function dropGuards(db: KioskDatabase): void {
  db.connection.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
    expect(canonicalJson({ 이름: '김민준', name: 'Kim' })).toBe('{"name":"Kim","이름":"김민준"}');
  });

  it('refuses what JSON cannot carry faithfully with INVALID_INPUT', () => {
    expect(codeOf(() => canonicalJson({ a: Number.NaN }))).toBe('INVALID_INPUT');
    expect(codeOf(() => canonicalJson({ a: Number.POSITIVE_INFINITY }))).toBe('INVALID_INPUT');
    expect(codeOf(() => canonicalJson({ a: undefined }))).toBe('INVALID_INPUT');
    expect(codeOf(() => canonicalJson({ a: new Date(0) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => canonicalJson({ a: () => 1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => canonicalJson({ a: 1n }))).toBe('INVALID_INPUT');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => canonicalJson(cyclic))).toBe('INVALID_INPUT');
  });
});

describe('AuditLog', () => {
  it('hashes the first entry as sha256(64 zeros + canonical JSON of the row)', () => {
    const { db, audit } = setup();
    const entry = audit.append({ actor: 'admin', action: 'employee.create', subject: 'employee:1', details: { name: '김민준', code: 'E1' } });
    const expectedBody =
      '{"action":"employee.create","actor":"admin","at":"2024-05-06T07:30:00.000Z",' +
      '"details":{"code":"E1","name":"김민준"},"id":1,"subject":"employee:1"}';
    expect(entry.prevHash).toBe(GENESIS_HASH);
    expect(entry.prevHash).toBe('0'.repeat(64));
    expect(entry.hash).toBe(sha256('0'.repeat(64) + expectedBody));
    db.close();
  });

  it('links each entry to the previous hash and verifies an intact chain', () => {
    const { db, audit } = setup();
    const first = audit.append({ actor: 'admin', action: 'login' });
    const second = audit.append({ actor: 'admin', action: 'employee.erase', subject: 'employee:7', details: { templates: 6 } });
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(
      sha256(
        first.hash +
          '{"action":"employee.erase","actor":"admin","at":"2024-05-06T07:30:00.000Z","details":{"templates":6},"id":2,"subject":"employee:7"}',
      ),
    );
    expect(audit.verify()).toEqual({ ok: true, entries: 2, head: second.hash });
    expect(audit.list().map((e) => e.id)).toEqual([2, 1]);
    expect(audit.list({ beforeId: 2 })).toEqual([first]);
    db.close();
  });

  it('verifies an empty log', () => {
    const { db, audit } = setup();
    expect(audit.verify()).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
    db.close();
  });

  it('is append-only through SQL as well', () => {
    const { db, audit } = setup();
    audit.append({ actor: 'admin', action: 'login' });
    expect(() => db.connection.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.connection.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('finds an edited entry (hash_mismatch), a deleted one (broken_link) and edited details', () => {
    const { db, audit } = setup();
    for (const action of ['a', 'b', 'c', 'd', 'e']) audit.append({ actor: 'admin', action, details: { n: 1 } });
    dropGuards(db);

    db.connection.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2").run();
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 2, reason: 'hash_mismatch' });
    db.connection.prepare("UPDATE audit_log SET actor = 'admin' WHERE id = 2").run();
    expect(audit.verify()).toMatchObject({ ok: true, entries: 5 });

    db.connection.prepare(`UPDATE audit_log SET details = '{"n":2}' WHERE id = 3`).run();
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 3, reason: 'hash_mismatch' });
    // Same value, different spelling: canonical JSON makes it no tampering at all.
    db.connection.prepare(`UPDATE audit_log SET details = '{ "n" : 1 }' WHERE id = 3`).run();
    expect(audit.verify()).toMatchObject({ ok: true, entries: 5 });

    db.connection.prepare('DELETE FROM audit_log WHERE id = 4').run();
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 5, reason: 'broken_link' });
    db.close();
  });

  it('finds a rewritten entry even when the attacker recomputes its own hash', () => {
    const { db, audit } = setup();
    for (const action of ['a', 'b', 'c']) audit.append({ actor: 'admin', action });
    dropGuards(db);
    const row = db.connection.prepare('SELECT * FROM audit_log WHERE id = 2').get() as { prev_hash: string; at: string };
    const forged = sha256(
      row.prev_hash + `{"action":"forged","actor":"admin","at":"${row.at}","details":{},"id":2,"subject":null}`,
    );
    db.connection.prepare("UPDATE audit_log SET action = 'forged', hash = ? WHERE id = 2").run(forged);
    expect(audit.verify()).toEqual({ ok: false, brokenAt: 3, reason: 'broken_link' });
    db.close();
  });

  it('refuses bad entries with INVALID_INPUT and writes nothing', () => {
    const { db, audit } = setup();
    expect(codeOf(() => audit.append({ actor: '', action: 'x' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => audit.append({ actor: 'admin', action: 'x', details: { v: Number.NaN } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => audit.append({ actor: 'admin', action: 'x', details: [1] as unknown as Record<string, never> }))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => audit.list({ limit: 0 }))).toBe('INVALID_INPUT');
    expect(audit.verify()).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
    db.close();
  });
});
