/** Geometry of the per-day bar chart, kept apart from the SVG markup so it can be tested. */
import type { TimesheetRow } from '../../src-shared/contract.js';

export interface DayTotal {
  day: string;
  hours: number;
}

/** Hours summed per day over the given rows, every day from `from` to `to` present (0 when empty). */
export function hoursPerDay(rows: readonly TimesheetRow[], from: string, to: string): DayTotal[] {
  const totals = new Map<string, number>();
  for (const day of daysBetween(from, to)) totals.set(day, 0);
  for (const row of rows) totals.set(row.day, (totals.get(row.day) ?? 0) + row.hours);
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, hours]) => ({ day, hours }));
}

/** Inclusive list of YYYY-MM-DD days; capped so a mistyped year cannot freeze the page. */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const days: string[] = [];
  const cursor = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  if (Number.isNaN(cursor.getTime()) || Number.isNaN(end.getTime())) return days;
  while (cursor <= end && days.length < max) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

export interface Bar {
  day: string;
  hours: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartLayout {
  bars: Bar[];
  /** Horizontal grid lines: value and y position. */
  ticks: { value: number; y: number }[];
  max: number;
}

/** Bars filling `width` × `height` (plot area, y grows downwards), scaled to a round maximum. */
export function layoutBars(totals: readonly DayTotal[], width: number, height: number): ChartLayout {
  const peak = Math.max(0, ...totals.map((d) => d.hours));
  const step = peak <= 4 ? 1 : peak <= 10 ? 2 : peak <= 24 ? 4 : Math.ceil(peak / 5 / 10) * 10;
  const max = Math.max(step, Math.ceil(peak / step) * step);
  const slot = totals.length > 0 ? width / totals.length : width;
  const barWidth = slot * 0.7;
  const bars = totals.map((d, i) => {
    const h = (d.hours / max) * height;
    return { day: d.day, hours: d.hours, x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h };
  });
  const ticks: { value: number; y: number }[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) ticks.push({ value: v, y: height - (v / max) * height });
  return { bars, ticks, max };
}
