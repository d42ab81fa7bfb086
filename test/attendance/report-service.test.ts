/**
 * Timesheets against hand-computed days in Seoul (UTC+9, no daylight saving): first in, last
 * out, hours as the sum of in→out intervals, days cut at local midnight, weeks from Monday.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportService } from '../../src-main/core/attendance/report-service.js';
import { closesShift } from '../../src-main/core/attendance/shift-rule.js';
import { KIOSK_SETTINGS, type KioskSettings } from '../../src-main/core/context/settings.js';
import { codeOf } from '../helpers/errors.js';
import { openStore, type Store } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';


describe('ReportService (Asia/Seoul)', () => {
  let dir: string;
  let store: Store<KioskSettings>;
  let reports: ReportService;
  let kim: number;
  let eq: number;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-report-'));
    store = openStore(join(dir, 'kiosk.db'), { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS });
    kim = store.employees.create({ code: 'K1', name: '김민준', department: '개발팀' }).id;
    eq = store.employees.create({ code: 'X1', name: '=cmd|calc', department: 'Ops, "night"' }).id;
    const punch = (employeeId: number, direction: 'in' | 'out', utc: string) =>
      store.attendance.append({ employeeId, direction, modality: 'pin', kioskId: 'k', occurredAt: new Date(utc) });
    // Monday 10 March, Seoul: 09:00-12:00 and 13:00-18:30 → 8.5 h.
    punch(kim, 'in', '2025-03-10T00:00:00Z');
    punch(kim, 'out', '2025-03-10T03:00:00Z');
    punch(kim, 'in', '2025-03-10T04:00:00Z');
    punch(kim, 'out', '2025-03-10T09:30:00Z');
    punch(eq, 'in', '2025-03-10T01:00:00Z');
    punch(eq, 'out', '2025-03-10T02:30:00Z');
    // Tuesday 11 March, Seoul 08:45 is still the 10th in UTC; out 17:15 → 8.5 h.
    punch(kim, 'in', '2025-03-10T23:45:00Z');
    punch(kim, 'out', '2025-03-11T08:15:00Z');
    // Wednesday: in, never out → 0 h.
    punch(kim, 'in', '2025-03-12T00:00:00Z');
    // Sunday 16th 10:00-12:00 (2 h), Monday 17th 09:00-10:00 (1 h, next week).
    punch(kim, 'in', '2025-03-16T01:00:00Z');
    punch(kim, 'out', '2025-03-16T03:00:00Z');
    punch(kim, 'in', '2025-03-17T00:00:00Z');
    punch(kim, 'out', '2025-03-17T01:00:00Z');
    reports = new ReportService({ store, timeZone: 'Asia/Seoul' });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarises each local day: first in, last out, hours worked', () => {
    const rows = reports.timesheet('2025-03-10', '2025-03-17');
    expect(rows.map((r) => [r.code, r.day, r.firstIn, r.lastOut, r.hours])).toEqual([
      ['X1', '2025-03-10', '2025-03-10T01:00:00.000Z', '2025-03-10T02:30:00.000Z', 1.5],
      ['K1', '2025-03-10', '2025-03-10T00:00:00.000Z', '2025-03-10T09:30:00.000Z', 8.5],
      ['K1', '2025-03-11', '2025-03-10T23:45:00.000Z', '2025-03-11T08:15:00.000Z', 8.5],
      ['K1', '2025-03-12', '2025-03-12T00:00:00.000Z', null, 0],
      ['K1', '2025-03-16', '2025-03-16T01:00:00.000Z', '2025-03-16T03:00:00.000Z', 2],
      ['K1', '2025-03-17', '2025-03-17T00:00:00.000Z', '2025-03-17T01:00:00.000Z', 1],
    ]);
  });

  it('cuts days at local midnight, and filters by employee', () => {
    expect(reports.timesheet('2025-03-11', '2025-03-11').map((r) => [r.name, r.hours])).toEqual([['김민준', 8.5]]);
    expect(reports.timesheet('2025-03-10', '2025-03-10', eq).map((r) => r.employeeId)).toEqual([eq]);
  });

  it('totals per day (every day present, for the chart) and per ISO week', () => {
    const rows = reports.timesheet('2025-03-10', '2025-03-17');
    expect(reports.dailyTotals(rows, '2025-03-10', '2025-03-17').map((d) => d.hours)).toEqual([10, 8.5, 0, 0, 0, 0, 2, 1]);
    expect(reports.weeklyTotals(rows)).toEqual([
      { employeeId: kim, weekStart: '2025-03-10', hours: 19 },
      { employeeId: eq, weekStart: '2025-03-10', hours: 1.5 },
      { employeeId: kim, weekStart: '2025-03-17', hours: 1 },
    ]);
  });

  it('exports CSV with a BOM, local times, Korean intact and formulas defused', () => {
    const { filename, csv } = reports.csv('admin:test', '2025-03-10', '2025-03-11');
    expect(filename).toBe('timesheet_2025-03-10_2025-03-11.csv');
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFEmployee code,Name,Department,Day,First in,Last out,Hours',
      `X1,'=cmd|calc,"Ops, ""night""",2025-03-10,10:00,11:30,1.50`,
      'K1,김민준,개발팀,2025-03-10,09:00,18:30,8.50',
      'K1,김민준,개발팀,2025-03-11,08:45,17:15,8.50',
      '',
    ]);
    // An export of everyone's hours is itself on record: who exported which range.
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ actor: 'admin:test', action: 'reports.csv', details: { from: '2025-03-10', to: '2025-03-11' } });
  });

  it('refuses impossible dates, reversed or overlong ranges, and unknown employees', () => {
    expect(codeOf(() => reports.timesheet('2025-02-30', '2025-03-01'))).toBe('INVALID_INPUT');
    expect(codeOf(() => reports.timesheet('2025-03-02', '2025-03-01'))).toBe('INVALID_INPUT');
    expect(codeOf(() => reports.timesheet('2024-01-01', '2025-03-01'))).toBe('INVALID_INPUT');
    expect(codeOf(() => reports.timesheet('2025-03-01', '2025-03-02', 999))).toBe('NOT_FOUND');
  });
});

describe('the shift boundary, where the clock and the timesheet must agree', () => {
  const maxShiftHours = KIOSK_SETTINGS.maxShiftHours.default;
  const opened = '2025-03-10T00:00:00.000Z';
  const atBoundary = new Date(Date.parse(opened) + maxShiftHours * 3_600_000).toISOString();
  const justBefore = new Date(Date.parse(atBoundary) - 1).toISOString();

  it('an open in is closed by a punch 1 ms before maxShiftHours, and not by one exactly at it', () => {
    expect(closesShift(opened, justBefore, maxShiftHours)).toBe(true);
    expect(closesShift(opened, atBoundary, maxShiftHours)).toBe(false);
  });

  it('the timesheet pairs the in with an out 1 ms before the boundary, and leaves it open at the boundary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-report-boundary-'));
    const store = openStore(join(dir, 'kiosk.db'), { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS });
    try {
      const before = store.employees.create({ code: 'B1', name: 'Before' }).id;
      const at = store.employees.create({ code: 'B2', name: 'At' }).id;
      for (const [employeeId, out] of [[before, justBefore], [at, atBoundary]] as const) {
        store.attendance.append({ employeeId, direction: 'in', modality: 'pin', kioskId: 'k', occurredAt: new Date(opened) });
        store.attendance.append({ employeeId, direction: 'out', modality: 'pin', kioskId: 'k', occurredAt: new Date(out) });
      }
      const rows = new ReportService({ store, timeZone: 'UTC' }).timesheet('2025-03-10', '2025-03-10');
      const day = (employeeId: number) => rows.filter((r) => r.employeeId === employeeId).map((r) => [r.firstIn, r.lastOut, r.hours]);
      expect(day(before)).toEqual([[opened, justBefore, 14]]);
      // The out at the boundary closes nothing: no hours are paid for the unpaired in.
      expect(day(at)).toEqual([[opened, atBoundary, 0]]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
