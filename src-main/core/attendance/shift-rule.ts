/**
 * The shift rule, one home for the clock (which direction a punch gets) and the timesheets
 * (which 'out' closes which 'in'): an 'in' stays open for strictly less than maxShiftHours, so a
 * night shift crossing midnight closes, while a punch maxShiftHours or more after a forgotten
 * clock-out starts a new shift.
 */
const HOUR_MS = 3_600_000;

/** Whether a punch at `at` closes the shift opened by an 'in' at `openedAt` (ISO-8601 times). */
export function closesShift(openedAt: string, at: string, maxShiftHours: number): boolean {
  return Date.parse(at) - Date.parse(openedAt) < maxShiftHours * HOUR_MS;
}
