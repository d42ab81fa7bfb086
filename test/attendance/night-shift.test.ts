/**
 * Shifts, not calendar days, decide a punch's direction and a timesheet row: a night shift
 * crossing midnight closes with 'out' and counts on the day it began; a clock-out forgotten
 * yesterday does not turn this morning's punch into an 'out'. PIN punches through the handler
 * table, a manual clock, Seoul time (UTC+9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, hasModels, openTestKiosk, type TestKiosk } from './kiosk-fixture.js';

const HOUR = 3600_000;

describe.skipIf(!hasModels)('night shifts and forgotten clock-outs', () => {
  let t: TestKiosk;
  let token: string;
  const punch = async (): Promise<string> => {
    const result = await call(t.dispatch, 'clock.pin', { code: 'N1', pin: '2468' });
    if (result.outcome !== 'recorded') throw new Error(`expected a recorded punch, got ${result.outcome}`);
    return result.event.direction;
  };

  beforeAll(async () => {
    t = await openTestKiosk({ start: '2025-03-10T13:00:00.000Z' }); // Monday 22:00 in Seoul
    token = await adminToken(t.dispatch);
    await call(t.dispatch, 'admin.employees.create', { token, code: 'N1', name: '박서연', department: '야간조', pin: '2468' });
  });
  afterAll(() => t?.close());

  it("closes a 22:00 → 06:00 shift with 'out' after midnight", async () => {
    expect(await punch()).toBe('in');
    t.clock.advance(8 * HOUR); // Tuesday 06:00
    expect(await punch()).toBe('out');
  });

  it('counts the night shift on the day it began, as one row of 8 hours', async () => {
    token = await adminToken(t.dispatch);
    const { rows } = await call(t.dispatch, 'reports.timesheet', { token, from: '2025-03-10', to: '2025-03-11' });
    expect(rows.map((r) => [r.day, r.firstIn, r.lastOut, r.hours])).toEqual([
      ['2025-03-10', '2025-03-10T13:00:00.000Z', '2025-03-10T21:00:00.000Z', 8],
    ]);
  });

  it("starts a new shift with 'in' when the open one is older than maxShiftHours (a forgotten clock-out)", async () => {
    t.clock.set('2025-03-11T13:00:00.000Z'); // Tuesday 22:00: in, then no clock-out
    expect(await punch()).toBe('in');
    t.clock.set('2025-03-12T13:00:00.000Z'); // Wednesday 22:00, 24 h later
    expect(await punch()).toBe('in');
    token = await adminToken(t.dispatch);
    const { rows } = await call(t.dispatch, 'reports.timesheet', { token, from: '2025-03-11', to: '2025-03-12' });
    expect(rows.map((r) => [r.day, r.lastOut, r.hours])).toEqual([
      ['2025-03-11', null, 0],
      ['2025-03-12', null, 0],
    ]);
  });

  it('follows the maxShiftHours setting an admin changes', async () => {
    await call(t.dispatch, 'admin.settings.set', { token, settings: { maxShiftHours: 6 } });
    t.clock.advance(7 * HOUR); // 7 h after Wednesday's open 'in': beyond a 6 h shift
    expect(await punch()).toBe('in');
    t.clock.advance(5 * HOUR);
    expect(await punch()).toBe('out');
  });
});
