import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsentRepository } from '../../src-main/core/store/consent-repository.js';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database.js';
import { EmployeeRepository } from '../../src-main/core/store/employee-repository.js';
import { codeOf, manualClock, tempDir, type ManualClock } from './helpers.js';

interface Setup {
  db: KioskDatabase;
  employees: EmployeeRepository;
  consents: ConsentRepository;
  path: string;
  clock: ManualClock;
}

function setup(): Setup {
  const path = join(tempDir(), 'kiosk.db');
  const clock = manualClock('2024-05-01T08:00:00.000Z');
  const db = openDatabase(path, { now: clock.now });
  return { db, employees: new EmployeeRepository(db), consents: new ConsentRepository(db), path, clock };
}

describe('EmployeeRepository', () => {
  it('round-trips a Korean name through the file, byte for byte', () => {
    const { db, employees, path } = setup();
    const created = employees.create({ code: 'E001', name: '김민준', department: '인사팀' });
    db.close();
    const reopened = openDatabase(path);
    const fetched = new EmployeeRepository(reopened).get(created.id);
    expect(fetched.name).toBe('김민준');
    expect(Buffer.from(fetched.name, 'utf8').toString('hex')).toBe('ea b9 80 eb af bc ec a4 80'.replaceAll(' ', ''));
    expect(fetched.department).toBe('인사팀');
    reopened.close();
  });

  it('stores a decomposed (NFD) Hangul name as the composed form, so both spellings are one name', () => {
    const { db, employees } = setup();
    const decomposed = '김민준'.normalize('NFD');
    expect(decomposed.length).toBe(9); // 3 syllables x 3 jamo
    const created = employees.create({ code: 'E002', name: decomposed });
    expect(employees.get(created.id).name).toBe('김민준');
    db.close();
  });

  it('creates with the clock time, trims input, and lists by name', () => {
    const { db, employees } = setup();
    const b = employees.create({ code: ' B7 ', name: '  Bora  ' });
    const a = employees.create({ code: 'A1', name: 'Ahn', department: 'Ops' });
    expect(b).toEqual({
      id: b.id,
      code: 'B7',
      name: 'Bora',
      department: '',
      active: true,
      createdAt: '2024-05-01T08:00:00.000Z',
      deactivatedAt: null,
    });
    expect(employees.list().map((e) => e.id)).toEqual([a.id, b.id]);
    db.close();
  });

  it('refuses a second employee with the same code (any letter case) with DUPLICATE', () => {
    const { db, employees } = setup();
    employees.create({ code: 'E001', name: 'First' });
    expect(codeOf(() => employees.create({ code: 'E001', name: 'Second' }))).toBe('DUPLICATE');
    expect(codeOf(() => employees.create({ code: 'e001', name: 'Third' }))).toBe('DUPLICATE');
    const other = employees.create({ code: 'E002', name: 'Other' });
    expect(codeOf(() => employees.update(other.id, { code: 'E001' }))).toBe('DUPLICATE');
    expect(employees.list()).toHaveLength(2);
    db.close();
  });

  it('answers NOT_FOUND for an unknown id on every operation', () => {
    const { db, employees } = setup();
    expect(codeOf(() => employees.get(404))).toBe('NOT_FOUND');
    expect(codeOf(() => employees.update(404, { name: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(() => employees.deactivate(404))).toBe('NOT_FOUND');
    expect(codeOf(() => employees.reactivate(404))).toBe('NOT_FOUND');
    expect(codeOf(() => employees.setPinHash(404, 'hash'))).toBe('NOT_FOUND');
    expect(codeOf(() => employees.getPinHash(404))).toBe('NOT_FOUND');
    expect(employees.findByCode('NOPE')).toBeUndefined();
    db.close();
  });

  it('refuses malformed input with INVALID_INPUT', () => {
    const { db, employees } = setup();
    expect(codeOf(() => employees.create({ code: '', name: 'x' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.create({ code: 'E1', name: '   ' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.create({ code: 'E1', name: 'a\u0000b' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.create({ code: 'E1', name: 'evil\u202Eeman' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.create({ code: 'E1', name: 'x'.repeat(201) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.create({ code: 42 as unknown as string, name: 'x' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.get(1.5))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.get(-1))).toBe('INVALID_INPUT');
    expect(codeOf(() => employees.get('1' as unknown as number))).toBe('INVALID_INPUT');
    expect(employees.list()).toHaveLength(0);
    db.close();
  });

  it('updates only the given fields', () => {
    const { db, employees } = setup();
    const e = employees.create({ code: 'E1', name: 'Old', department: 'Dept' });
    const updated = employees.update(e.id, { name: '박서연' });
    expect(updated).toEqual({ ...e, name: '박서연' });
    db.close();
  });

  it('deactivates idempotently (keeping the first time) and reactivates', () => {
    const { db, employees, clock } = setup();
    const e = employees.create({ code: 'E1', name: 'A' });
    employees.create({ code: 'E2', name: 'B' });
    clock.set('2024-06-30T17:00:00.000Z');
    const first = employees.deactivate(e.id);
    expect(first.active).toBe(false);
    expect(first.deactivatedAt).toBe('2024-06-30T17:00:00.000Z');
    clock.set('2024-07-01T09:00:00.000Z');
    expect(employees.deactivate(e.id).deactivatedAt).toBe('2024-06-30T17:00:00.000Z');
    expect(employees.list({ active: true }).map((x) => x.code)).toEqual(['E2']);
    expect(employees.list({ active: false }).map((x) => x.code)).toEqual(['E1']);
    expect(employees.reactivate(e.id)).toMatchObject({ active: true, deactivatedAt: null });
    db.close();
  });

  it('stores and clears a PIN hash, and finds employees by code', () => {
    const { db, employees } = setup();
    const e = employees.create({ code: 'E1', name: 'A' });
    expect(employees.getPinHash(e.id)).toBeNull();
    employees.setPinHash(e.id, 'scrypt$abc');
    expect(employees.getPinHash(e.id)).toBe('scrypt$abc');
    employees.setPinHash(e.id, null);
    expect(employees.getPinHash(e.id)).toBeNull();
    expect(employees.findByCode('e1')?.id).toBe(e.id);
    db.close();
  });
});

describe('ConsentRepository', () => {
  it('records consent with its text version and time; current() is the latest not withdrawn', () => {
    const { db, employees, consents, clock } = setup();
    const e = employees.create({ code: 'E1', name: 'A' });
    expect(consents.current(e.id)).toBeUndefined();
    consents.record(e.id, 'v1');
    clock.set('2024-05-02T10:00:00.000Z');
    const v2 = consents.record(e.id, 'v2');
    expect(v2).toMatchObject({ employeeId: e.id, textVersion: 'v2', consentedAt: '2024-05-02T10:00:00.000Z', withdrawnAt: null });
    expect(consents.current(e.id)?.textVersion).toBe('v2');
    clock.set('2024-05-03T11:00:00.000Z');
    expect(consents.withdraw(e.id)).toBe(2);
    expect(consents.current(e.id)).toBeUndefined();
    expect(consents.history(e.id).map((c) => [c.textVersion, c.consentedAt, c.withdrawnAt])).toEqual([
      ['v1', '2024-05-01T08:00:00.000Z', '2024-05-03T11:00:00.000Z'],
      ['v2', '2024-05-02T10:00:00.000Z', '2024-05-03T11:00:00.000Z'],
    ]);
    db.close();
  });

  it('answers NOT_FOUND for an unknown employee and INVALID_INPUT for an empty version', () => {
    const { db, employees, consents } = setup();
    expect(codeOf(() => consents.record(404, 'v1'))).toBe('NOT_FOUND');
    const e = employees.create({ code: 'E1', name: 'A' });
    expect(codeOf(() => consents.record(e.id, ''))).toBe('INVALID_INPUT');
    db.close();
  });
});
