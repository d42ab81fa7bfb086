/**
 * Biometric consent records. No capture may happen before `current(employeeId)` returns a
 * consent; withdrawal keeps the row (the history of what was agreed is itself a duty).
 */
import { KioskError } from '../errors.js';
import type { KioskDatabase } from './database.js';
import { isForeignKeyViolation } from './sqlite-errors.js';
import { requireId, requireText, toIsoTime } from './validate.js';

export interface Consent {
  readonly id: number;
  readonly employeeId: number;
  /** Version of the consent text the employee agreed to. */
  readonly textVersion: string;
  readonly consentedAt: string;
  readonly withdrawnAt: string | null;
}

interface ConsentRow {
  id: number;
  employee_id: number;
  text_version: string;
  consented_at: string;
  withdrawn_at: string | null;
}

const COLUMNS = 'id, employee_id, text_version, consented_at, withdrawn_at';

export class ConsentRepository {
  constructor(private readonly db: KioskDatabase) {}

  /** NOT_FOUND for an unknown employee. */
  record(employeeId: number, textVersion: string): Consent {
    const employee = requireId('employeeId', employeeId);
    const version = requireText('textVersion', textVersion, 64);
    const at = toIsoTime('now', this.db.now());
    try {
      const id = this.db.connection
        .prepare('INSERT INTO consents (employee_id, text_version, consented_at) VALUES (?, ?, ?)')
        .run(employee, version, at).lastInsertRowid;
      return this.byId(Number(id));
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      }
      throw error;
    }
  }

  /** The latest consent that has not been withdrawn, if any. */
  current(employeeId: number): Consent | undefined {
    const row = this.db.connection
      .prepare(
        `SELECT ${COLUMNS} FROM consents WHERE employee_id = ? AND withdrawn_at IS NULL
         ORDER BY consented_at DESC, id DESC LIMIT 1`,
      )
      .get(requireId('employeeId', employeeId)) as ConsentRow | undefined;
    return row === undefined ? undefined : toConsent(row);
  }

  /** Every consent of the employee, oldest first (per-employee data export). */
  history(employeeId: number): Consent[] {
    const rows = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM consents WHERE employee_id = ? ORDER BY consented_at, id`)
      .all(requireId('employeeId', employeeId)) as ConsentRow[];
    return rows.map(toConsent);
  }

  /** Marks every open consent of the employee withdrawn; returns how many were open. */
  withdraw(employeeId: number): number {
    const at = toIsoTime('now', this.db.now());
    return this.db.connection
      .prepare('UPDATE consents SET withdrawn_at = ? WHERE employee_id = ? AND withdrawn_at IS NULL')
      .run(at, requireId('employeeId', employeeId)).changes;
  }

  private byId(id: number): Consent {
    return toConsent(this.db.connection.prepare(`SELECT ${COLUMNS} FROM consents WHERE id = ?`).get(id) as ConsentRow);
  }
}

function toConsent(row: ConsentRow): Consent {
  return {
    id: row.id,
    employeeId: row.employee_id,
    textVersion: row.text_version,
    consentedAt: row.consented_at,
    withdrawnAt: row.withdrawn_at,
  };
}
