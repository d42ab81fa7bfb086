import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttendanceRepository, type NewAttendanceEvent } from '../../src-main/core/store/attendance-repository.js';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database.js';
import { EmployeeRepository } from '../../src-main/core/store/employee-repository.js';
import { codeOf, manualClock, tempDir } from './helpers.js';

function setup(): { db: KioskDatabase; attendance: AttendanceRepository; a: number; b: number } {
  const db = openDatabase(join(tempDir(), 'kiosk.db'), { now: manualClock('2024-05-06T12:00:00.000Z').now });
  const employees = new EmployeeRepository(db);
  const a = employees.create({ code: 'A', name: '김민준' }).id;
  const b = employees.create({ code: 'B', name: 'Bora' }).id;
  return { db, attendance: new AttendanceRepository(db), a, b };
}

const face = (employeeId: number, iso: string, direction: 'in' | 'out' = 'in'): NewAttendanceEvent => ({
  employeeId,
  direction,
  modality: 'face',
  score: 0.62,
  evidence: { mode: 'identify', secondScore: 0.31, threshold: 0.45, gallerySize: 2 },
  modelId: 'dlib-resnet-128',
  kioskId: 'front-desk',
  occurredAt: new Date(iso),
});

const day = { from: new Date('2024-05-06T00:00:00.000Z'), to: new Date('2024-05-07T00:00:00.000Z') };

describe('AttendanceRepository', () => {
  it('appends an event with every field and returns it as stored', () => {
    const { db, attendance, a } = setup();
    const event = attendance.append(face(a, '2024-05-06T08:59:30.250Z'));
    expect(event).toEqual({
      id: event.id,
      employeeId: a,
      direction: 'in',
      modality: 'face',
      score: 0.62,
      modelId: 'dlib-resnet-128',
      evidence: { mode: 'identify', secondScore: 0.31, threshold: 0.45, gallerySize: 2 },
      voidedAt: null,
      kioskId: 'front-desk',
      occurredAt: '2024-05-06T08:59:30.250Z',
      createdAt: '2024-05-06T12:00:00.000Z',
    });
    expect(attendance.list(day, a)).toEqual([event]);
    db.close();
  });

  it('stores a PIN punch without score or model', () => {
    const { db, attendance, a } = setup();
    const event = attendance.append({ employeeId: a, direction: 'out', modality: 'pin', kioskId: 'k', occurredAt: new Date('2024-05-06T17:00:00Z') });
    expect(event).toMatchObject({ modality: 'pin', score: null, modelId: null, evidence: null });
    db.close();
  });

  it('lists a half-open range [from, to) in time order, per employee or for everybody', () => {
    const { db, attendance, a, b } = setup();
    // Written out of order on purpose.
    const late = attendance.append(face(a, '2024-05-06T17:30:00.000Z', 'out'));
    const previousDay = attendance.append(face(a, '2024-05-05T23:59:59.999Z'));
    const startOfDay = attendance.append(face(a, '2024-05-06T00:00:00.000Z'));
    const nextDay = attendance.append(face(a, '2024-05-07T00:00:00.000Z'));
    const other = attendance.append(face(b, '2024-05-06T09:00:00.000Z'));
    expect(attendance.list(day, a).map((e) => e.id)).toEqual([startOfDay.id, late.id]);
    expect(attendance.list(day).map((e) => e.id)).toEqual([startOfDay.id, other.id, late.id]);
    expect(attendance.allForEmployee(a).map((e) => e.id)).toEqual([previousDay.id, startOfDay.id, late.id, nextDay.id]);
    db.close();
  });

  it('gives the latest event of an employee by the time it happened', () => {
    const { db, attendance, a, b } = setup();
    expect(attendance.lastForEmployee(a)).toBeUndefined();
    const inEvent = attendance.append(face(a, '2024-05-06T09:00:00.000Z'));
    attendance.append(face(a, '2024-05-06T08:00:00.000Z')); // arrives later, happened earlier
    attendance.append(face(b, '2024-05-06T10:00:00.000Z'));
    expect(attendance.lastForEmployee(a)?.id).toBe(inEvent.id);
    db.close();
  });

  it('refuses an unknown employee with NOT_FOUND and malformed events with INVALID_INPUT', () => {
    const { db, attendance, a } = setup();
    expect(codeOf(() => attendance.append(face(999, '2024-05-06T09:00:00Z')))).toBe('NOT_FOUND');
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), occurredAt: new Date('nope') }))).toBe('INVALID_INPUT');
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), occurredAt: new Date('+012345-01-01T00:00:00Z') }))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), direction: 'sideways' as 'in' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), score: Number.NaN } as NewAttendanceEvent))).toBe('INVALID_INPUT');
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), kioskId: '' }))).toBe('INVALID_INPUT');
    // A biometric punch keeps the evidence of its decision, whole.
    for (const evidence of [undefined, { secondScore: 0.3, threshold: Number.NaN, gallerySize: 2 }, { secondScore: 0.3, threshold: 0.45, gallerySize: -1 }]) {
      expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), evidence } as NewAttendanceEvent))).toBe('INVALID_INPUT');
    }
    expect(codeOf(() => attendance.append({ ...face(a, '2024-05-06T09:00:00Z'), modelId: undefined } as unknown as NewAttendanceEvent))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => attendance.list({ from: day.to, to: day.from }))).toBe('INVALID_INPUT');
    expect(codeOf(() => attendance.list({ from: day.from, to: '2024-05-07' as unknown as Date }))).toBe('INVALID_INPUT');
    expect(attendance.allForEmployee(a)).toEqual([]);
    db.close();
  });
});
