/**
 * Timesheets from the attendance events. Events pair into shifts ('in' → the next 'out' within
 * `maxShiftHours`, the rule the clock uses); a shift belongs to the local day it began on, so a
 * night shift crossing midnight is one row. Per employee and day: the first 'in', the last 'out'
 * and the hours worked (the sum of the day's shifts, so breaks clocked out are not paid; a shift
 * never closed adds nothing). Also per-day and per-week totals for the chart, and the CSV export.
 */
import type { TimesheetRow } from '../../../src-shared/contract.js';
import { KioskError } from '../errors.js';
import type { AttendanceEvent } from '../store/attendance-repository.js';
import type { ServiceContext } from '../context/service-context.js';
import { toCsv } from './csv.js';
import { closesShift } from './shift-rule.js';
import { dayKey, daysBetween, localTime, parseDay, weekStart } from './local-day.js';

export const MAX_REPORT_DAYS = 366;
/** UTC offsets span −12 h … +14 h: fetching this much either side catches every local day. */
const ZONE_SLACK_MS = 15 * 3600_000;
const HOUR_MS = 3600_000;

export interface DayTotal {
  readonly day: string;
  readonly hours: number;
}

export interface WeekTotal {
  readonly employeeId: number;
  /** Monday of the ISO week. */
  readonly weekStart: string;
  readonly hours: number;
}

export class ReportService {
  constructor(private readonly context: Pick<ServiceContext, 'store' | 'timeZone'>) {}

  /** Rows ordered by day, then name. INVALID_INPUT for a bad date, to < from, or more than MAX_REPORT_DAYS days. */
  timesheet(from: string, to: string, employeeId?: number): TimesheetRow[] {
    const start = parseDay('from', from);
    const end = parseDay('to', to);
    if (end < start) throw new KioskError('INVALID_INPUT', 'to must not be before from', { field: 'to' });
    if ((end.getTime() - start.getTime()) / 86_400_000 + 1 > MAX_REPORT_DAYS) {
      throw new KioskError('INVALID_INPUT', `a report covers at most ${MAX_REPORT_DAYS} days`, { field: 'to' });
    }
    const { store, timeZone } = this.context;
    if (employeeId !== undefined) store.employees.get(employeeId); // NOT_FOUND for an unknown id
    const maxShiftHours = store.settings.get('maxShiftHours');
    const maxShiftMs = maxShiftHours * HOUR_MS;
    // Wide enough for the shifts that begin on the range's first and last local days to be whole.
    const events = store.attendance.list(
      { from: new Date(start.getTime() - ZONE_SLACK_MS - maxShiftMs), to: new Date(end.getTime() + 86_400_000 + ZONE_SLACK_MS + maxShiftMs) },
      employeeId,
    );
    const groups = new Map<string, Shift[]>();
    for (const shift of pairShifts(events, maxShiftHours)) {
      const day = dayKey(shift.in ?? shift.out!, timeZone);
      if (day < from || day > to) continue;
      const key = `${shift.employeeId}|${day}`;
      groups.set(key, [...(groups.get(key) ?? []), shift]);
    }
    const rows: TimesheetRow[] = [];
    for (const [key, shifts] of groups) {
      const employee = store.employees.get(Number(key.split('|')[0]));
      rows.push({ employeeId: employee.id, code: employee.code, name: employee.name, day: key.split('|')[1]!, ...summariseDay(shifts) });
    }
    return rows.sort((a, b) => a.day.localeCompare(b.day) || a.name.localeCompare(b.name) || a.employeeId - b.employeeId);
  }

  /** Hours of all rows per day, every day of the range present (the chart's bars). */
  dailyTotals(rows: readonly TimesheetRow[], from: string, to: string): DayTotal[] {
    const totals = new Map(daysBetween(from, to).map((day) => [day, 0]));
    for (const row of rows) if (totals.has(row.day)) totals.set(row.day, totals.get(row.day)! + row.hours);
    return [...totals].map(([day, hours]) => ({ day, hours: round2(hours) }));
  }

  /** Hours per employee per ISO week (Monday start). */
  weeklyTotals(rows: readonly TimesheetRow[]): WeekTotal[] {
    const totals = new Map<string, WeekTotal>();
    for (const row of rows) {
      const week = weekStart(row.day);
      const key = `${row.employeeId}|${week}`;
      const hours = (totals.get(key)?.hours ?? 0) + row.hours;
      totals.set(key, { employeeId: row.employeeId, weekStart: week, hours: round2(hours) });
    }
    return [...totals.values()].sort((a, b) => a.weekStart.localeCompare(b.weekStart) || a.employeeId - b.employeeId);
  }

  /** The timesheet as CSV, times in the kiosk's zone; the export is audit-logged under `actor`. */
  csv(actor: string, from: string, to: string): { filename: string; csv: string } {
    const { timeZone, store } = this.context;
    const rows = this.timesheet(from, to);
    const departments = new Map(this.context.store.employees.list().map((e) => [e.id, e.department]));
    const csv = toCsv(
      ['Employee code', 'Name', 'Department', 'Day', 'First in', 'Last out', 'Hours'],
      rows.map((r) => [
        r.code,
        r.name,
        departments.get(r.employeeId) ?? '',
        r.day,
        r.firstIn === null ? null : localTime(r.firstIn, timeZone),
        r.lastOut === null ? null : localTime(r.lastOut, timeZone),
        r.hours.toFixed(2),
      ]),
    );
    store.audit.append({ actor, action: 'reports.csv', details: { from, to } });
    return { filename: `timesheet_${from}_${to}.csv`, csv };
  }
}

/** A shift: an 'in' and its 'out'; either may be missing (never closed, or an 'out' without an 'in'). */
interface Shift {
  readonly employeeId: number;
  readonly in: string | null;
  readonly out: string | null;
}

/** Events in time order → shifts, per employee: an 'out' closes the open 'in' by the shift rule. */
function pairShifts(events: readonly AttendanceEvent[], maxShiftHours: number): Shift[] {
  const open = new Map<number, string>();
  const shifts: Shift[] = [];
  for (const event of events) {
    const openedAt = open.get(event.employeeId);
    if (event.direction === 'in') {
      if (openedAt !== undefined) shifts.push({ employeeId: event.employeeId, in: openedAt, out: null });
      open.set(event.employeeId, event.occurredAt);
      continue;
    }
    open.delete(event.employeeId);
    const closes = openedAt !== undefined && closesShift(openedAt, event.occurredAt, maxShiftHours);
    if (openedAt !== undefined && !closes) shifts.push({ employeeId: event.employeeId, in: openedAt, out: null });
    shifts.push({ employeeId: event.employeeId, in: closes ? openedAt : null, out: event.occurredAt });
  }
  for (const [employeeId, openedAt] of open) shifts.push({ employeeId, in: openedAt, out: null });
  return shifts;
}

function summariseDay(shifts: readonly Shift[]): Pick<TimesheetRow, 'firstIn' | 'lastOut' | 'hours'> {
  const ins = shifts.flatMap((s) => (s.in === null ? [] : [s.in])).sort();
  const outs = shifts.flatMap((s) => (s.out === null ? [] : [s.out])).sort();
  const worked = shifts.reduce((sum, s) => (s.in !== null && s.out !== null ? sum + Date.parse(s.out) - Date.parse(s.in) : sum), 0);
  return { firstIn: ins[0] ?? null, lastOut: outs.at(-1) ?? null, hours: round2(worked / HOUR_MS) };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
