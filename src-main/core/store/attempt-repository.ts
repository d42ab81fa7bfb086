/**
 * The bounded log of recognition attempts (migration 0008): one row per face or voice decision,
 * accepted or not, with its numbers and no biometric data. Each insert prunes the oldest rows
 * beyond `keep` in the same transaction, so the table never holds more than `keep` rows.
 */
import type { Statement } from 'better-sqlite3';
import type { AttemptOutcome, RecognitionAttempt } from '../../../src-shared/contract.js';
import { RECOGNITION_MODES, type BiometricModality, type RecognitionMode } from '../../../src-shared/vocabulary.js';
import type { KioskDatabase } from './database.js';
import { invalid, requireFinite, requireOneOf, requireText, toIsoTime } from './validate.js';

/** Rows kept: about a month of a 300-person site's clock-ins, a few hundred kB. */
export const ATTEMPTS_KEPT = 10_000;

export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = ['accepted', 'below_threshold', 'ambiguous', 'not_verified', 'no_enrolled_employees'];
const MODALITIES: readonly BiometricModality[] = ['face', 'voice'];

export interface NewRecognitionAttempt {
  readonly occurredAt: Date;
  readonly modality: BiometricModality;
  readonly mode: RecognitionMode;
  readonly outcome: AttemptOutcome;
  /** Accepted decisions only; refused ones name nobody. */
  readonly employeeId: number | null;
  readonly bestScore: number | null;
  readonly secondScore: number | null;
  readonly threshold: number | null;
  readonly gallerySize: number;
  readonly kioskId: string;
}

interface AttemptRow {
  id: number;
  occurred_at: string;
  modality: BiometricModality;
  mode: RecognitionMode;
  outcome: AttemptOutcome;
  employee_id: number | null;
  code: string | null;
  name: string | null;
  best_score: number | null;
  second_score: number | null;
  threshold: number | null;
  gallery_size: number;
  kiosk_id: string;
}

const nullableScore = (field: string, value: number | null): number | null => (value === null ? null : requireFinite(field, value));

export class RecognitionAttemptRepository {
  private readonly insert: Statement;
  private readonly prune: Statement;

  constructor(
    private readonly db: KioskDatabase,
    readonly keep: number = ATTEMPTS_KEPT,
  ) {
    if (!Number.isInteger(keep) || keep < 1) throw invalid('keep', 'must be a positive integer');
    this.insert = db.connection.prepare(
      `INSERT INTO recognition_attempts (occurred_at, modality, mode, outcome, employee_id, best_score, second_score, threshold, gallery_size, kiosk_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Ids only grow (AUTOINCREMENT), so "the newest `keep`" is every id above the newest minus keep.
    this.prune = db.connection.prepare('DELETE FROM recognition_attempts WHERE id <= ? - ?');
  }

  /** Appends one attempt and drops those beyond the newest `keep`, in one transaction. */
  append(attempt: NewRecognitionAttempt): number {
    const outcome = requireOneOf('outcome', attempt.outcome, ATTEMPT_OUTCOMES);
    const employeeId = outcome === 'accepted' ? attempt.employeeId : null;
    if (outcome === 'accepted' && (employeeId === null || !Number.isInteger(employeeId))) throw invalid('employeeId', 'an accepted attempt names the employee');
    if (!Number.isInteger(attempt.gallerySize) || attempt.gallerySize < 0) throw invalid('gallerySize', 'must be a whole number ≥ 0');
    const values = [
      toIsoTime('occurredAt', attempt.occurredAt),
      requireOneOf('modality', attempt.modality, MODALITIES),
      requireOneOf('mode', attempt.mode, RECOGNITION_MODES),
      outcome,
      employeeId,
      nullableScore('bestScore', attempt.bestScore),
      nullableScore('secondScore', attempt.secondScore),
      nullableScore('threshold', attempt.threshold),
      attempt.gallerySize,
      requireText('kioskId', attempt.kioskId, 64),
    ];
    return this.db.transaction(() => {
      const id = Number(this.insert.run(...values).lastInsertRowid);
      this.prune.run(id, this.keep);
      return id;
    });
  }

  /** The newest attempts first, with the accepted employee's code and name. */
  recent(limit: number): RecognitionAttempt[] {
    const rows = this.db.connection
      .prepare(`${SELECT_WITH_EMPLOYEE} ORDER BY a.id DESC LIMIT ?`)
      .all(Math.max(1, Math.min(Math.trunc(limit), this.keep))) as AttemptRow[];
    return rows.map(toAttempt);
  }

  /** The kept attempts accepted as this employee, newest first: their part of the log (right of access). */
  acceptedAs(employeeId: number): RecognitionAttempt[] {
    const rows = this.db.connection.prepare(`${SELECT_WITH_EMPLOYEE} WHERE a.employee_id = ? ORDER BY a.id DESC`).all(employeeId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  count(): number {
    return (this.db.connection.prepare('SELECT count(*) AS n FROM recognition_attempts').get() as { n: number }).n;
  }
}

const SELECT_WITH_EMPLOYEE = 'SELECT a.*, e.code AS code, e.name AS name FROM recognition_attempts a LEFT JOIN employees e ON e.id = a.employee_id';

function toAttempt(r: AttemptRow): RecognitionAttempt {
  return {
    id: r.id,
    at: r.occurred_at,
    modality: r.modality,
    mode: r.mode,
    outcome: r.outcome,
    employee: r.employee_id === null || r.code === null ? null : { id: r.employee_id, code: r.code, name: r.name ?? '' },
    bestScore: r.best_score,
    secondScore: r.second_score,
    threshold: r.threshold,
    gallerySize: r.gallery_size,
    kioskId: r.kiosk_id,
  };
}
