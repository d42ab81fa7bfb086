/**
 * Calendar days in the kiosk's time zone. A punch's "day" (for the in/out toggle and the
 * timesheet) is the local date where the kiosk stands, not the UTC date stored in the event.
 */
import { KioskError } from '../errors.js';

const formatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string): { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    try {
      found = {
        // en-CA formats dates as YYYY-MM-DD.
        day: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
        time: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      };
    } catch {
      throw new KioskError('INVALID_INPUT', `unknown time zone ${timeZone}`, { field: 'timeZone' });
    }
    formatters.set(timeZone, found);
  }
  return found;
}

/** Throws INVALID_INPUT for a time zone the runtime does not know. */
export function requireTimeZone(timeZone: string): string {
  formattersFor(timeZone);
  return timeZone;
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** YYYY-MM-DD of the instant in the time zone. */
export function dayKey(instant: Date | string, timeZone: string): string {
  return formattersFor(timeZone).day.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** HH:MM (24 h) of the instant in the time zone. */
export function localTime(instant: Date | string, timeZone: string): string {
  return formattersFor(timeZone).time.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** Validates a YYYY-MM-DD calendar date (2024-02-30 is refused) and returns its UTC midnight. */
export function parseDay(field: string, day: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const date = match === null ? new Date(NaN) : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new KioskError('INVALID_INPUT', `${field} is not a calendar date (YYYY-MM-DD)`, { field });
  }
  return date;
}

/** Every day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = parseDay('from', from).getTime(); t <= parseDay('to', to).getTime(); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** The Monday (YYYY-MM-DD) of the ISO week that contains the day. */
export function weekStart(day: string): string {
  const date = parseDay('day', day);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}
