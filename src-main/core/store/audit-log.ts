/**
 * Append-only audit log of admin actions (who, what, when), hash-chained:
 *   hash = sha256(prev_hash + canonicalJson({ id, at, actor, action, subject, details }))
 * with prev_hash of the first entry = 64 zeros. Editing, deleting or reordering any entry
 * breaks the chain at that entry; `verify()` finds it. Cutting entries off the END leaves a
 * valid shorter chain: `audit-anchor.ts` keeps the head outside the database to catch that.
 */
import { createHash } from 'node:crypto';
import type { KioskDatabase } from './database.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { invalid, requireId, requireText, toIsoTime } from './validate.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface NewAuditEntry {
  /** Who did it, e.g. 'admin' or 'system:retention'. */
  readonly actor: string;
  /** What was done, e.g. 'employee.erase'. */
  readonly action: string;
  /** What it was done to, e.g. 'employee:42'. */
  readonly subject?: string | null;
  readonly details?: { readonly [key: string]: JsonValue };
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: { readonly [key: string]: JsonValue };
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      /** First entry whose hash or link does not hold. */
      readonly brokenAt: number;
      readonly reason: 'hash_mismatch' | 'broken_link' | 'unreadable_details';
    };

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'id, at, actor, action, subject, details, prev_hash, hash';

/** The chain's hash of one entry; exported so exports can be checked outside the kiosk. */
export function auditHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details,
  });
  return createHash('sha256').update(prevHash + body, 'utf8').digest('hex');
}

export class AuditLog {
  constructor(private readonly db: KioskDatabase) {}

  append(input: NewAuditEntry): AuditEntry {
    const actor = requireText('actor', input.actor, 128);
    const action = requireText('action', input.action, 128);
    const subject = input.subject === undefined || input.subject === null ? null : requireText('subject', input.subject, 256);
    const details = input.details ?? {};
    if (typeof details !== 'object' || details === null || Array.isArray(details)) throw invalid('details', 'must be an object');
    const detailsText = canonicalJson(details, 'details');
    const at = toIsoTime('now', this.db.now());
    // Reading the tail and inserting after it must be one write transaction, or two writers
    // could both link to the same predecessor.
    return this.db.transaction(() => {
      const last = this.db.connection.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
        | { id: number; hash: string }
        | undefined;
      const entry = { id: (last?.id ?? 0) + 1, at, actor, action, subject, details: JSON.parse(detailsText) as AuditEntry['details'] };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = auditHash(prevHash, entry);
      this.db.connection
        .prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(entry.id, at, actor, action, subject, detailsText, prevHash, hash);
      return { ...entry, prevHash, hash };
    });
  }

  /** Newest first; `beforeId` pages backwards. */
  list(options: { readonly limit?: number; readonly beforeId?: number } = {}): AuditEntry[] {
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw invalid('limit', 'must be an integer in 1..10000');
    const beforeId = options.beforeId === undefined ? Number.MAX_SAFE_INTEGER : requireId('beforeId', options.beforeId);
    const rows = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`)
      .all(beforeId, limit) as AuditRow[];
    return rows.map((row) => ({ ...toEntryBody(row, JSON.parse(row.details) as AuditEntry['details']), prevHash: row.prev_hash, hash: row.hash }));
  }

  /** Every entry about one subject (e.g. 'employee:42'), oldest first: for that person's data export. */
  listForSubject(subject: string): AuditEntry[] {
    const rows = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE subject = ? ORDER BY id`)
      .all(requireText('subject', subject, 256)) as AuditRow[];
    return rows.map((row) => ({ ...toEntryBody(row, JSON.parse(row.details) as AuditEntry['details']), prevHash: row.prev_hash, hash: row.hash }));
  }

  /** The hash of entry `id` (GENESIS_HASH for 0), or null when there is no such entry. */
  hashOf(id: number): string | null {
    if (id === 0) return GENESIS_HASH;
    const row = this.db.connection.prepare('SELECT hash FROM audit_log WHERE id = ?').get(id) as { hash: string } | undefined;
    return row?.hash ?? null;
  }

  /** Walks the whole chain from the first entry. */
  verify(): AuditVerification {
    let expectedPrev = GENESIS_HASH;
    let entries = 0;
    const rows = this.db.connection.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY id`).iterate() as IterableIterator<AuditRow>;
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev) return { ok: false, brokenAt: row.id, reason: 'broken_link' };
      let hash: string;
      try {
        hash = auditHash(row.prev_hash, toEntryBody(row, JSON.parse(row.details) as AuditEntry['details']));
      } catch {
        return { ok: false, brokenAt: row.id, reason: 'unreadable_details' };
      }
      if (hash !== row.hash) {
        return { ok: false, brokenAt: row.id, reason: 'hash_mismatch' };
      }
      expectedPrev = row.hash;
      entries++;
    }
    return { ok: true, entries, head: expectedPrev };
  }
}

function toEntryBody(row: AuditRow, details: AuditEntry['details']): Omit<AuditEntry, 'prevHash' | 'hash'> {
  return { id: row.id, at: row.at, actor: row.actor, action: row.action, subject: row.subject, details };
}
