import { describe, expect, it } from 'vitest';
import type { TimesheetRow } from '../../src-shared/contract.js';
import { daysBetween, hoursPerDay, layoutBars } from '../../src-renderer/lib/chart.js';

const row = (employeeId: number, day: string, hours: number): TimesheetRow => ({
  employeeId,
  code: `E${employeeId}`,
  name: `n${employeeId}`,
  day,
  firstIn: null,
  lastOut: null,
  hours,
});

describe('per-day chart', () => {
  it('lists every day of the range, across a month end', () => {
    expect(daysBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(daysBetween('2025-03-02', '2025-03-01')).toEqual([]);
    expect(daysBetween('2000-01-01', '2099-01-01').length).toBe(366);
  });

  it('sums hours of all employees per day and keeps empty days at zero', () => {
    const totals = hoursPerDay([row(1, '2025-05-12', 8), row(2, '2025-05-12', 7.5), row(1, '2025-05-14', 4)], '2025-05-12', '2025-05-14');
    expect(totals).toEqual([
      { day: '2025-05-12', hours: 15.5 },
      { day: '2025-05-13', hours: 0 },
      { day: '2025-05-14', hours: 4 },
    ]);
  });

  it('scales bars to a round maximum inside the plot', () => {
    // peak 15.5 → step 4 → max 16; slot 300/3 = 100, bar 70 wide, centred (x offset 15)
    const { bars, ticks, max } = layoutBars(
      [
        { day: 'a', hours: 15.5 },
        { day: 'b', hours: 0 },
        { day: 'c', hours: 4 },
      ],
      300,
      160,
    );
    expect(max).toBe(16);
    expect(bars.map((b) => [b.x, b.width])).toEqual([
      [15, 70],
      [115, 70],
      [215, 70],
    ]);
    expect(bars.map((b) => b.height)).toEqual([155, 0, 40]);
    expect(bars.map((b) => b.y)).toEqual([5, 160, 120]);
    expect(ticks.map((t) => t.value)).toEqual([0, 4, 8, 12, 16]);
    expect(ticks.at(-1)?.y).toBe(0);
  });

  it('draws an empty range without dividing by zero', () => {
    const { bars, max } = layoutBars([{ day: 'a', hours: 0 }], 100, 100);
    expect(max).toBe(1);
    expect(bars[0]?.height).toBe(0);
  });
});
