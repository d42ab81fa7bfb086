/** Clock-in / clock-out events: append-only history, queried by employee and time range. */
import {
  CLOCK_MODALITIES,
  PUNCH_DIRECTIONS,
  RECOGNITION_MODES,
  type BiometricModality,
  type ClockModality,
  type PunchDirection,
  type RecognitionMode,
} from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import type { Statement } from 'better-sqlite3';
import type { KioskDatabase } from './database.js';
import { isForeignKeyViolation } from './sqlite-errors.js';
import { invalid, requireFinite, requireId, requireOneOf, requireText, toIsoTime } from './validate.js';


/** How a biometric decision was reached, besides its score. */
export interface DecisionEvidence {
  /** A search of everyone, or the one comparison with the employee whose code was entered. */
  readonly mode: RecognitionMode;
  /** The runner-up employee's score; null when only one employee was enrolled, and for a verification. */
  readonly secondScore: number | null;
  readonly threshold: number;
  /** Employees in the gallery at the time. */
  readonly gallerySize: number;
}

/** A biometric punch carries the match score, model and decision evidence; a PIN punch none of them. */
export type NewAttendanceEvent = {
  readonly employeeId: number;
  readonly direction: PunchDirection;
  readonly kioskId: string;
  readonly occurredAt: Date;
} & (
  | { readonly modality: BiometricModality; readonly score: number; readonly modelId: string; readonly evidence: DecisionEvidence }
  | { readonly modality: 'pin' }
);

export interface AttendanceEvent {
  readonly id: number;
  readonly employeeId: number;
  readonly direction: PunchDirection;
  readonly modality: ClockModality;
  readonly score: number | null;
  readonly modelId: string | null;
  /** null for PIN punches and for punches recorded before the evidence was kept. */
  readonly evidence: DecisionEvidence | null;
  /** When the person said the punch was not theirs; void punches count nowhere. */
  readonly voidedAt: string | null;
  readonly kioskId: string;
  /** ISO-8601 UTC: when the person stood at the kiosk. */
  readonly occurredAt: string;
  /** ISO-8601 UTC: when the row was written. */
  readonly createdAt: string;
}

/** Half-open interval [from, to). */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

interface EventRow {
  id: number;
  employee_id: number;
  direction: PunchDirection;
  modality: ClockModality;
  score: number | null;
  model_id: string | null;
  second_score: number | null;
  threshold: number | null;
  gallery_size: number | null;
  decision_mode: RecognitionMode | null;
  voided_at: string | null;
  kiosk_id: string;
  occurred_at: string;
  created_at: string;
}

const COLUMNS =
  'e.id, e.employee_id, e.direction, e.modality, e.score, e.model_id, e.second_score, e.threshold, e.gallery_size, e.decision_mode, v.voided_at, e.kiosk_id, e.occurred_at, e.created_at';
const FROM = 'attendance_events e LEFT JOIN attendance_voids v ON v.event_id = e.id';

export class AttendanceRepository {
  private readonly insert: Statement;

  constructor(private readonly db: KioskDatabase) {
    this.insert = db.connection.prepare(
      `INSERT INTO attendance_events (employee_id, direction, modality, score, model_id, second_score, threshold, gallery_size, decision_mode, kiosk_id, occurred_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Returns the stored event once it is committed. NOT_FOUND for an unknown employee. */
  append(event: NewAttendanceEvent): AttendanceEvent {
    const employeeId = requireId('employeeId', event.employeeId);
    const direction = requireOneOf('direction', event.direction, PUNCH_DIRECTIONS);
    const modality = requireOneOf('modality', event.modality, CLOCK_MODALITIES);
    const kioskId = requireText('kioskId', event.kioskId, 64);
    const occurredAt = toIsoTime('occurredAt', event.occurredAt);
    const createdAt = toIsoTime('now', this.db.now());
    const score = event.modality === 'pin' ? null : requireFinite('score', event.score);
    const modelId = event.modality === 'pin' ? null : requireText('modelId', event.modelId, 128);
    const evidence = event.modality === 'pin' ? null : requireEvidence(event.evidence);
    try {
      const id = this.insert.run(
        employeeId,
        direction,
        modality,
        score,
        modelId,
        evidence?.secondScore ?? null,
        evidence?.threshold ?? null,
        evidence?.gallerySize ?? null,
        evidence?.mode ?? null,
        kioskId,
        occurredAt,
        createdAt,
      ).lastInsertRowid;
      return { id: Number(id), employeeId, direction, modality, score, modelId, evidence, voidedAt: null, kioskId, occurredAt, createdAt };
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      }
      throw error;
    }
  }

  /** Events in [from, to) that are not void, oldest first; one employee or, without employeeId, everybody. */
  list(range: TimeRange, employeeId?: number): AttendanceEvent[] {
    const [from, to] = requireRange(range);
    const rows =
      employeeId === undefined
        ? this.db.connection
            .prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.event_id IS NULL AND e.occurred_at >= ? AND e.occurred_at < ? ORDER BY e.occurred_at, e.id`)
            .all(from, to)
        : this.db.connection
            .prepare(
              `SELECT ${COLUMNS} FROM ${FROM}
               WHERE v.event_id IS NULL AND e.employee_id = ? AND e.occurred_at >= ? AND e.occurred_at < ? ORDER BY e.occurred_at, e.id`,
            )
            .all(requireId('employeeId', employeeId), from, to);
    return (rows as EventRow[]).map(toEvent);
  }

  /** The employee's latest event that is not void, by occurred time (ties: latest written), for the in/out toggle. */
  lastForEmployee(employeeId: number): AttendanceEvent | undefined {
    const row = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.event_id IS NULL AND e.employee_id = ? ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1`)
      .get(requireId('employeeId', employeeId)) as EventRow | undefined;
    return row === undefined ? undefined : toEvent(row);
  }

  /** Every event of the employee, void ones included, oldest first (per-employee data export). */
  allForEmployee(employeeId: number): AttendanceEvent[] {
    const rows = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.employee_id = ? ORDER BY e.occurred_at, e.id`)
      .all(requireId('employeeId', employeeId)) as EventRow[];
    return rows.map(toEvent);
  }

  /** Marks a punch void ("Not you?"). NOT_FOUND for an unknown event, CONFLICT when it is void already. */
  voidEvent(eventId: number, at: Date): AttendanceEvent {
    const id = requireId('eventId', eventId);
    const voidedAt = toIsoTime('at', at);
    const existing = this.db.connection.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.id = ?`).get(id) as EventRow | undefined;
    if (existing === undefined) throw new KioskError('NOT_FOUND', `no attendance event with id ${id}`, { id });
    if (existing.voided_at !== null) throw new KioskError('CONFLICT', `attendance event ${id} is void already`, { id });
    this.db.connection.prepare("INSERT INTO attendance_voids (event_id, reason, voided_at) VALUES (?, 'not_me', ?)").run(id, voidedAt);
    return toEvent({ ...existing, voided_at: voidedAt });
  }
}

function requireRange(range: TimeRange): [string, string] {
  const from = toIsoTime('range.from', range?.from);
  const to = toIsoTime('range.to', range?.to);
  if (from > to) throw invalid('range', 'must not end before it starts');
  return [from, to];
}

function toEvent(row: EventRow): AttendanceEvent {
  return {
    id: row.id,
    employeeId: row.employee_id,
    direction: row.direction,
    modality: row.modality,
    score: row.score,
    modelId: row.model_id,
    evidence:
      row.threshold === null || row.gallery_size === null
        ? null
        : { mode: row.decision_mode ?? 'identify', secondScore: row.second_score, threshold: row.threshold, gallerySize: row.gallery_size },
    voidedAt: row.voided_at,
    kioskId: row.kiosk_id,
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
  };
}

function requireEvidence(evidence: DecisionEvidence): DecisionEvidence {
  if (typeof evidence !== 'object' || evidence === null) throw invalid('evidence', 'is required for a biometric punch');
  const gallerySize = evidence.gallerySize;
  if (!Number.isSafeInteger(gallerySize) || gallerySize < 0) throw invalid('evidence.gallerySize', 'must be a whole number ≥ 0');
  return {
    mode: requireOneOf('evidence.mode', evidence.mode, RECOGNITION_MODES),
    secondScore: evidence.secondScore === null ? null : requireFinite('evidence.secondScore', evidence.secondScore),
    threshold: requireFinite('evidence.threshold', evidence.threshold),
    gallerySize,
  };
}
