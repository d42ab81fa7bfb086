/**
 * The kiosk's side of a central server (migration 0007), in SQLite: the sync state (enabled, the
 * kiosk's id, online or offline since when, the gallery watermark, the last clock offset), the
 * outbox of punches, voids and audit entries not yet acknowledged by the server, and the
 * read cache of the server's roster and gallery, applied one batch per transaction.
 *
 * Outbox rows are written by triggers in the same transaction as the punch or audit entry they
 * name, so nothing captured can be missing from the outbox; this module only reads them and
 * marks them sent once the server has acknowledged their commit.
 */
import type { BiometricModality, ClockModality, PunchDirection, RecognitionMode } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import type { KioskDatabase } from './database.js';
import type { RawCaptureRepository } from './raw-capture-repository.js';
import type { TemplateRepository } from './template-repository.js';
import { requireText, toIsoTime } from './validate.js';

export interface CentralSyncState {
  readonly enabled: boolean;
  readonly kioskId: string | null;
  readonly online: boolean;
  /** ISO time the kiosk last went offline; null while online (or never synced). */
  readonly offlineSince: string | null;
  /** Every server gallery row with rev <= this is applied here. */
  readonly galleryRev: number;
  /** Server clock minus kiosk clock at the last sync, in ms. */
  readonly clockOffsetMs: number | null;
  readonly lastSyncAt: string | null;
}

interface OutboxBase {
  /** The kiosk's sequence number: one series across kinds, gap-free, never reused. */
  readonly seq: number;
  readonly uuid: string;
  /** Captured while the kiosk believed the server unreachable. */
  readonly offline: boolean;
}

export interface OutboxPunch extends OutboxBase {
  readonly kind: 'punch';
  readonly employeeId: number;
  readonly direction: PunchDirection;
  readonly modality: ClockModality;
  readonly score: number | null;
  readonly modelId: string | null;
  readonly secondScore: number | null;
  readonly threshold: number | null;
  readonly gallerySize: number | null;
  readonly decisionMode: RecognitionMode | null;
  /** Kiosk clock: the time of record. */
  readonly capturedAt: string;
}

export interface OutboxVoid extends OutboxBase {
  readonly kind: 'void';
  readonly voidedUuid: string;
  readonly reason: string;
  readonly voidedAt: string;
}

export interface OutboxAudit extends OutboxBase {
  readonly kind: 'audit';
  readonly localId: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: JsonValue;
  readonly prevHash: string;
  readonly hash: string;
}

export type OutboxItem = OutboxPunch | OutboxVoid | OutboxAudit;

/** Rows of the server's gallery views, as the puller hands them over. */
export interface CachedEmployee {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly department: string;
  readonly active: boolean;
  readonly pinHash: string | null;
  readonly createdAt: Date;
  readonly deactivatedAt: Date | null;
  /** Biometric erasure on the server: every template and raw capture here goes too. */
  readonly erased: boolean;
}

export interface CachedTemplate {
  readonly id: number;
  readonly employeeId: number;
  readonly modality: BiometricModality;
  readonly modelId: string;
  readonly modelSha256: string;
  /** null for a tombstone. */
  readonly sealed: Uint8Array | null;
  readonly dim: number;
  readonly detectionScore: number | null;
  readonly speechSeconds: number | null;
  readonly createdAt: Date;
  readonly deleted: boolean;
}

export interface CachedSetting {
  readonly key: string;
  readonly value: JsonValue;
}

export interface GalleryBatch {
  readonly employees: readonly CachedEmployee[];
  readonly templates: readonly CachedTemplate[];
  readonly settings: readonly CachedSetting[];
  /** The watermark after this batch: every server row with rev <= upTo is in it or older. */
  readonly upTo: number;
}

/** Another kiosk's punch, as the server has it: for this kiosk's in/out decision and debounce. */
export interface RemotePunch {
  readonly kioskId: string;
  readonly employeeId: number;
  readonly direction: PunchDirection;
  readonly modality: ClockModality;
  readonly score: number | null;
  readonly modelId: string | null;
  readonly capturedAt: Date;
}

export interface AppliedBatch {
  /** Employees whose gallery rows may have changed (the live galleries reload them). */
  readonly employeeIds: readonly number[];
  readonly settingsChanged: boolean;
  readonly galleryRev: number;
}

interface StateRow {
  enabled: number;
  kiosk_id: string | null;
  online: number;
  offline_since: string | null;
  gallery_rev: number;
  clock_offset_ms: number | null;
  last_sync_at: string | null;
}

export class CentralCache {
  constructor(
    private readonly db: KioskDatabase,
    private readonly templates: TemplateRepository,
    private readonly rawCaptures: RawCaptureRepository,
  ) {}

  state(): CentralSyncState {
    const row = this.db.connection.prepare('SELECT * FROM central_sync WHERE id = 1').get() as StateRow;
    return {
      enabled: row.enabled === 1,
      kioskId: row.kiosk_id,
      online: row.online === 1,
      offlineSince: row.offline_since,
      galleryRev: row.gallery_rev,
      clockOffsetMs: row.clock_offset_ms,
      lastSyncAt: row.last_sync_at,
    };
  }

  /**
   * Turns the outbox on for `kioskId`. CONFLICT when the database already holds staff of its own
   * (a standalone kiosk's file: its ids would collide with the server's) or belongs to another
   * kiosk id. Starts offline: the first acknowledged sync says online.
   */
  enable(kioskId: string): void {
    const id = requireText('kioskId', kioskId, 64);
    this.db.transaction(() => {
      const state = this.state();
      if (state.enabled && state.kioskId !== id) {
        throw new KioskError('CONFLICT', `this cache database belongs to kiosk ${state.kioskId}, not ${id}; give each kiosk its own --db`, { kioskId: state.kioskId });
      }
      if (!state.enabled) {
        const staff = (this.db.connection.prepare('SELECT count(*) AS n FROM employees').get() as { n: number }).n;
        if (staff > 0) {
          throw new KioskError('CONFLICT', `this database already holds ${staff} employees of a standalone kiosk; a kiosk of a central server needs a fresh cache database (--db)`, { employees: staff });
        }
        this.db.connection
          .prepare('UPDATE central_sync SET enabled = 1, kiosk_id = ?, online = 0, offline_since = ? WHERE id = 1')
          .run(id, toIsoTime('now', this.db.now()));
      }
    });
  }

  /** Online after an acknowledged round trip; offline (since the first failure) otherwise. */
  setOnline(online: boolean): void {
    const at = toIsoTime('now', this.db.now());
    this.db.connection
      .prepare(
        `UPDATE central_sync SET online = ?, offline_since = CASE WHEN ? = 1 THEN NULL ELSE coalesce(offline_since, ?) END WHERE id = 1`,
      )
      .run(online ? 1 : 0, online ? 1 : 0, at);
  }

  recordSync(clockOffsetMs: number): void {
    this.db.connection
      .prepare('UPDATE central_sync SET clock_offset_ms = ?, last_sync_at = ? WHERE id = 1')
      .run(Math.round(clockOffsetMs), toIsoTime('now', this.db.now()));
  }

  /** Unsent outbox rows, oldest first. */
  unsent(limit: number): OutboxItem[] {
    const rows = this.db.connection
      .prepare('SELECT kiosk_seq, uuid, kind, ref_id, offline FROM outbox WHERE sent_at IS NULL ORDER BY kiosk_seq LIMIT ?')
      .all(limit) as { kiosk_seq: number; uuid: string; kind: OutboxItem['kind']; ref_id: number; offline: number }[];
    const punch = this.db.connection.prepare(
      'SELECT employee_id, direction, modality, score, model_id, second_score, threshold, gallery_size, decision_mode, occurred_at FROM attendance_events WHERE id = ?',
    );
    const voided = this.db.connection.prepare(
      "SELECT v.reason, v.voided_at, o.uuid FROM attendance_voids v JOIN outbox o ON o.kind = 'punch' AND o.ref_id = v.event_id WHERE v.event_id = ?",
    );
    const audit = this.db.connection.prepare('SELECT id, at, actor, action, subject, details, prev_hash, hash FROM audit_log WHERE id = ?');
    return rows.map((row): OutboxItem => {
      const base = { seq: row.kiosk_seq, uuid: row.uuid, offline: row.offline === 1 };
      if (row.kind === 'punch') {
        const e = punch.get(row.ref_id) as {
          employee_id: number;
          direction: PunchDirection;
          modality: ClockModality;
          score: number | null;
          model_id: string | null;
          second_score: number | null;
          threshold: number | null;
          gallery_size: number | null;
          decision_mode: RecognitionMode | null;
          occurred_at: string;
        };
        return {
          ...base,
          kind: 'punch',
          employeeId: e.employee_id,
          direction: e.direction,
          modality: e.modality,
          score: e.score,
          modelId: e.model_id,
          secondScore: e.second_score,
          threshold: e.threshold,
          gallerySize: e.gallery_size,
          decisionMode: e.decision_mode,
          capturedAt: e.occurred_at,
        };
      }
      if (row.kind === 'void') {
        const v = voided.get(row.ref_id) as { reason: string; voided_at: string; uuid: string };
        return { ...base, kind: 'void', voidedUuid: v.uuid, reason: v.reason, voidedAt: v.voided_at };
      }
      const a = audit.get(row.ref_id) as { id: number; at: string; actor: string; action: string; subject: string | null; details: string; prev_hash: string; hash: string };
      return {
        ...base,
        kind: 'audit',
        localId: a.id,
        at: a.at,
        actor: a.actor,
        action: a.action,
        subject: a.subject,
        details: JSON.parse(a.details) as JsonValue,
        prevHash: a.prev_hash,
        hash: a.hash,
      };
    });
  }

  /**
   * Marks every unsent row up to `lastSeq` sent: batches are the oldest unsent rows in order, so
   * an acknowledged batch ending at lastSeq covers all of them.
   */
  markSentThrough(lastSeq: number): number {
    return this.db.connection
      .prepare('UPDATE outbox SET sent_at = ? WHERE kiosk_seq <= ? AND sent_at IS NULL')
      .run(toIsoTime('now', this.db.now()), lastSeq).changes;
  }

  /** Rows waiting for the server. */
  depth(): number {
    return (this.db.connection.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  }

  /** Punches waiting for the server (what the kiosk screen counts). */
  punchesWaiting(): number {
    return (this.db.connection.prepare("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND kind = 'punch'").get() as { n: number }).n;
  }

  /** The newest sequence number issued (0 before the first). */
  lastSeq(): number {
    return (this.db.connection.prepare('SELECT coalesce(max(kiosk_seq), 0) AS n FROM outbox').get() as { n: number }).n;
  }

  /**
   * Records other kiosks' punches here (under their kiosk ids: the outbox trigger takes only this
   * kiosk's own), once each, so the in/out toggle and the debounce see the person's punches at
   * every door. Returns how many were new. A punch of an employee not in the cache is skipped.
   */
  applyRemotePunches(punches: readonly RemotePunch[]): number {
    const own = this.state().kioskId;
    const insert = this.db.connection.prepare(
      `INSERT INTO attendance_events (employee_id, direction, modality, score, model_id, kiosk_id, occurred_at, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM employees WHERE id = ?)
         AND NOT EXISTS (SELECT 1 FROM attendance_events WHERE kiosk_id = ? AND employee_id = ? AND occurred_at = ?)`,
    );
    return this.db.transaction(() => {
      let added = 0;
      const createdAt = toIsoTime('now', this.db.now());
      for (const p of punches) {
        if (p.kioskId === own) continue;
        const at = p.capturedAt.toISOString();
        const biometric = p.modality !== 'pin' && p.score !== null && p.modelId !== null;
        const modality = biometric || p.modality === 'pin' ? p.modality : 'pin';
        added += insert.run(p.employeeId, p.direction, modality, biometric ? p.score : null, biometric ? p.modelId : null, p.kioskId, at, createdAt, p.employeeId, p.kioskId, p.employeeId, at).changes;
      }
      return added;
    });
  }

  /**
   * Marks other kiosks' punches void here when they were cancelled there ("Not you?"), so they stop
   * counting in this kiosk's in/out and debounce. Returns how many were newly voided.
   */
  applyRemoteVoids(voids: readonly { kioskId: string; employeeId: number; capturedAt: Date; voidedAt: Date }[]): number {
    const own = this.state().kioskId;
    const insert = this.db.connection.prepare(
      `INSERT INTO attendance_voids (event_id, reason, voided_at)
       SELECT e.id, 'not_me', ? FROM attendance_events e
       WHERE e.kiosk_id = ? AND e.employee_id = ? AND e.occurred_at = ?
         AND NOT EXISTS (SELECT 1 FROM attendance_voids v WHERE v.event_id = e.id)`,
    );
    return this.db.transaction(() => {
      let added = 0;
      for (const v of voids) {
        if (v.kioskId === own) continue;
        added += insert.run(v.voidedAt.toISOString(), v.kioskId, v.employeeId, v.capturedAt.toISOString()).changes;
      }
      return added;
    });
  }

  /**
   * Applies one batch of the server's gallery and moves the watermark, all in one transaction: a
   * crash leaves either the old cache and watermark or the new ones. Erasure (an erased employee
   * or a template tombstone) deletes the local templates and raw captures: the cache keeps no
   * biometric data the server no longer has.
   */
  applyGallery(batch: GalleryBatch): AppliedBatch {
    return this.db.transaction(() => {
      const current = this.state().galleryRev;
      if (batch.upTo < current) throw new KioskError('CONFLICT', `gallery batch up to ${batch.upTo} is older than the watermark ${current}`);
      const touched = new Set<number>();
      const upsert = this.db.connection.prepare(
        `INSERT INTO employees (id, code, name, department, active, pin_hash, created_at, deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, department = excluded.department,
           active = excluded.active, pin_hash = excluded.pin_hash, deactivated_at = excluded.deactivated_at`,
      );
      for (const e of batch.employees) {
        upsert.run(e.id, e.code, e.name, e.department, e.active ? 1 : 0, e.pinHash, e.createdAt.toISOString(), e.active ? null : (e.deactivatedAt ?? this.db.now()).toISOString());
        if (e.erased) {
          this.templates.deleteForEmployee(e.id);
          this.rawCaptures.deleteForEmployee(e.id);
          // As on a standalone kiosk, erasure withdraws the consent: a new capture needs a new one.
          this.db.connection.prepare('UPDATE consents SET withdrawn_at = ? WHERE employee_id = ? AND withdrawn_at IS NULL').run(toIsoTime('now', this.db.now()), e.id);
        }
        touched.add(e.id);
      }
      for (const t of batch.templates) {
        if (t.deleted || t.sealed === null) this.templates.deleteById(t.id);
        else {
          this.templates.putSealed({
            id: t.id,
            employeeId: t.employeeId,
            modality: t.modality,
            modelId: t.modelId,
            modelSha256: t.modelSha256,
            sealed: t.sealed,
            dim: t.dim,
            detectionScore: t.detectionScore,
            speechSeconds: t.speechSeconds,
            createdAt: t.createdAt,
          });
        }
        touched.add(t.employeeId);
      }
      const setting = this.db.connection.prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      );
      for (const s of batch.settings) setting.run(s.key, canonicalJson(s.value, s.key), toIsoTime('now', this.db.now()));
      this.db.connection.prepare('UPDATE central_sync SET gallery_rev = ? WHERE id = 1').run(batch.upTo);
      return { employeeIds: [...touched].sort((a, b) => a - b), settingsChanged: batch.settings.length > 0, galleryRev: batch.upTo };
    });
  }
}
