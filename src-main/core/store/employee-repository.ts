/**
 * Employees: the people the kiosk knows. A row that anything refers to (attendance history,
 * templates, kept captures) is never deleted, so history keeps its names; only one that never
 * went further than its details and consent can go (deleteNeverUsed).
 */
import { KioskError } from '../errors.js';
import type { KioskDatabase } from './database.js';
import { isUniqueViolation } from './sqlite-errors.js';
import { requireId, requireText, toIsoTime } from './validate.js';

export interface Employee {
  readonly id: number;
  /** Unique, compared case-insensitively (ASCII). */
  readonly code: string;
  readonly name: string;
  readonly department: string;
  readonly active: boolean;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly deactivatedAt: string | null;
}

export interface NewEmployee {
  readonly code: string;
  readonly name: string;
  readonly department?: string;
}

export type EmployeePatch = Partial<NewEmployee>;

export interface EmployeeListFilter {
  /** true: only active, false: only deactivated, absent: everybody. */
  readonly active?: boolean;
}

interface EmployeeRow {
  id: number;
  code: string;
  name: string;
  department: string;
  active: number;
  created_at: string;
  deactivated_at: string | null;
}

const COLUMNS = 'id, code, name, department, active, created_at, deactivated_at';
const CODE_MAX = 64;
const NAME_MAX = 200;
const DEPARTMENT_MAX = 200;
const PIN_HASH_MAX = 512;

export class EmployeeRepository {
  constructor(private readonly db: KioskDatabase) {}

  /** DUPLICATE when another employee already has this code. */
  create(input: NewEmployee): Employee {
    const code = requireText('code', input.code, CODE_MAX);
    const name = requireText('name', input.name, NAME_MAX);
    const department = requireText('department', input.department ?? '', DEPARTMENT_MAX, true);
    const createdAt = toIsoTime('now', this.db.now());
    const id = this.withDuplicateCheck(code, () =>
      this.db.connection
        .prepare('INSERT INTO employees (code, name, department, created_at) VALUES (?, ?, ?, ?)')
        .run(code, name, department, createdAt).lastInsertRowid,
    );
    return this.get(Number(id));
  }

  /** NOT_FOUND for an unknown id. */
  get(id: number): Employee {
    const row = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM employees WHERE id = ?`)
      .get(requireId('id', id)) as EmployeeRow | undefined;
    if (row === undefined) throw new KioskError('NOT_FOUND', `no employee with id ${id}`, { id });
    return toEmployee(row);
  }

  findByCode(code: string): Employee | undefined {
    const row = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM employees WHERE code = ?`)
      .get(requireText('code', code, CODE_MAX)) as EmployeeRow | undefined;
    return row === undefined ? undefined : toEmployee(row);
  }

  /** Ordered by name, then code. */
  list(filter: EmployeeListFilter = {}): Employee[] {
    const where = filter.active === undefined ? '' : 'WHERE active = ?';
    const params = filter.active === undefined ? [] : [filter.active ? 1 : 0];
    const rows = this.db.connection
      .prepare(`SELECT ${COLUMNS} FROM employees ${where} ORDER BY name, code`)
      .all(...params) as EmployeeRow[];
    return rows.map(toEmployee);
  }

  /** Changes code, name or department; NOT_FOUND, DUPLICATE. */
  update(id: number, patch: EmployeePatch): Employee {
    const current = this.get(id);
    const code = patch.code === undefined ? current.code : requireText('code', patch.code, CODE_MAX);
    const name = patch.name === undefined ? current.name : requireText('name', patch.name, NAME_MAX);
    const department =
      patch.department === undefined ? current.department : requireText('department', patch.department, DEPARTMENT_MAX, true);
    this.withDuplicateCheck(code, () =>
      this.db.connection
        .prepare('UPDATE employees SET code = ?, name = ?, department = ? WHERE id = ?')
        .run(code, name, department, id),
    );
    return this.get(id);
  }

  /** Idempotent: a second call keeps the first deactivation time. NOT_FOUND. */
  deactivate(id: number): Employee {
    const at = toIsoTime('now', this.db.now());
    this.get(id);
    this.db.connection
      .prepare('UPDATE employees SET active = 0, deactivated_at = ? WHERE id = ? AND active = 1')
      .run(at, id);
    return this.get(id);
  }

  /** NOT_FOUND. */
  reactivate(id: number): Employee {
    this.get(id);
    this.db.connection.prepare('UPDATE employees SET active = 1, deactivated_at = NULL WHERE id = ?').run(id);
    return this.get(id);
  }

  /**
   * Deletes an employee nothing refers to: no attendance event, no biometric template and no kept
   * capture (their consent records go with them). CONFLICT, with the counts, otherwise; NOT_FOUND.
   */
  deleteNeverUsed(id: number): Employee {
    const employee = this.get(id);
    const uses = this.usesOf(id);
    if (uses.attendance + uses.templates + uses.rawCaptures > 0) {
      throw new KioskError('CONFLICT', `employee ${employee.code} has attendance or biometric data; deactivate instead`, { employeeId: id, ...uses });
    }
    this.db.connection.prepare('DELETE FROM employees WHERE id = ?').run(id);
    return employee;
  }

  /** What refers to the employee: attendance events (void ones too), biometric templates (any model), kept captures. */
  usesOf(id: number): { attendance: number; templates: number; rawCaptures: number } {
    const count = (table: 'attendance_events' | 'biometric_templates' | 'raw_captures'): number =>
      (this.db.connection.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE employee_id = ?`).get(requireId('id', id)) as { n: number }).n;
    return { attendance: count('attendance_events'), templates: count('biometric_templates'), rawCaptures: count('raw_captures') };
  }

  /** Stores the hash produced by the security module; null removes the PIN. NOT_FOUND. */
  setPinHash(id: number, pinHash: string | null): void {
    const value = pinHash === null ? null : requireText('pinHash', pinHash, PIN_HASH_MAX);
    const result = this.db.connection
      .prepare('UPDATE employees SET pin_hash = ? WHERE id = ?')
      .run(value, requireId('id', id));
    if (result.changes === 0) throw new KioskError('NOT_FOUND', `no employee with id ${id}`, { id });
  }

  /** null when the employee has no PIN. NOT_FOUND. */
  getPinHash(id: number): string | null {
    const row = this.db.connection.prepare('SELECT pin_hash FROM employees WHERE id = ?').get(requireId('id', id)) as
      | { pin_hash: string | null }
      | undefined;
    if (row === undefined) throw new KioskError('NOT_FOUND', `no employee with id ${id}`, { id });
    return row.pin_hash;
  }

  private withDuplicateCheck<T>(code: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new KioskError('DUPLICATE', `employee code ${code} is already taken`, { field: 'code', code });
      }
      throw error;
    }
  }
}

function toEmployee(row: EmployeeRow): Employee {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    department: row.department,
    active: row.active === 1,
    createdAt: row.created_at,
    deactivatedAt: row.deactivated_at,
  };
}
