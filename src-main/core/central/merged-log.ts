/**
 * The company's attendance as the server sees it: every kiosk's punches of a person merged into
 * one log ordered by capture time (the kiosk's clock is the time of record), with directions
 * decided on that merged log by the kiosk's own shift rule — so clocking in at door A and out at
 * door B is one shift, whatever direction door B showed while it could not see door A's punch.
 * A punch within the debounce window after the previous counted one (from any kiosk) collapses
 * into it; a void ("Not you?") removes its punch. Nothing is rewritten: this is a reading of the
 * append-only rows.
 */
import { closesShift } from '../attendance/shift-rule.js';
import { toCsv } from '../attendance/csv.js';
import { dayKey, localTime, parseDay, requireTimeZone } from '../attendance/local-day.js';
import { KIOSK_SETTINGS } from '../context/settings.js';
import type { CentralClient } from './connection.js';

export interface ServerPunch {
  readonly uuid: string;
  readonly kioskId: string;
  readonly kioskSeq: number;
  readonly employeeId: number;
  readonly capturedAt: string;
  readonly receivedAt: string;
  readonly clockOffsetMs: number;
  readonly offsetFlagged: boolean;
  readonly offline: boolean;
  /** What the kiosk showed (provisional when it was offline). */
  readonly kioskDirection: 'in' | 'out';
  readonly modality: 'face' | 'voice' | 'pin';
  readonly voided: boolean;
}

export type MergedPunch = ServerPunch &
  (
    | { readonly status: 'counted'; readonly direction: 'in' | 'out' }
    | { readonly status: 'collapsed'; readonly direction: null; readonly collapsedInto: string }
    | { readonly status: 'void'; readonly direction: null }
  );

export interface MergeRules {
  readonly debounceMinutes: number;
  readonly maxShiftHours: number;
}

/** Directions on the merged log; `punches` in any order, the result by capture time. */
export function mergePunches(punches: readonly ServerPunch[], rules: MergeRules): MergedPunch[] {
  const ordered = [...punches].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt) || a.kioskId.localeCompare(b.kioskId) || a.kioskSeq - b.kioskSeq);
  const last = new Map<number, { uuid: string; at: string; direction: 'in' | 'out' }>();
  const debounceMs = rules.debounceMinutes * 60_000;
  return ordered.map((p): MergedPunch => {
    if (p.voided) return { ...p, status: 'void', direction: null };
    const previous = last.get(p.employeeId);
    if (previous !== undefined && Date.parse(p.capturedAt) - Date.parse(previous.at) < debounceMs) {
      return { ...p, status: 'collapsed', direction: null, collapsedInto: previous.uuid };
    }
    const direction = previous?.direction === 'in' && closesShift(previous.at, p.capturedAt, rules.maxShiftHours) ? 'out' : 'in';
    last.set(p.employeeId, { uuid: p.uuid, at: p.capturedAt, direction });
    return { ...p, status: 'counted', direction };
  });
}

/** The company-wide rules: the server's settings, else the kiosk defaults. */
export async function readMergeRules(client: CentralClient): Promise<MergeRules> {
  const rows = await client.query<{ key: string; value: unknown }>("SELECT key, value FROM settings WHERE key IN ('debounceMinutes', 'maxShiftHours')");
  const pick = (key: 'debounceMinutes' | 'maxShiftHours'): number => {
    const parsed = KIOSK_SETTINGS[key].schema.safeParse(rows.rows.find((r) => r.key === key)?.value);
    return parsed.success ? parsed.data : KIOSK_SETTINGS[key].default;
  };
  return { debounceMinutes: pick('debounceMinutes'), maxShiftHours: pick('maxShiftHours') };
}

/**
 * The merged log of punches captured in [from, to), every kiosk together. Punches up to
 * maxShiftHours before `from` are read too, so the first punches of the range get the right
 * direction. The server owner's connection (kiosk roles cannot read attendance).
 */
export async function readMergedLog(client: CentralClient, range: { from: Date; to: Date }, rules?: MergeRules): Promise<MergedPunch[]> {
  const applied = rules ?? (await readMergeRules(client));
  const since = new Date(range.from.getTime() - applied.maxShiftHours * 3_600_000);
  const rows = await client.query<{
    event_uuid: string;
    kiosk_id: string;
    kiosk_seq: string;
    employee_id: string;
    captured_at: Date;
    received_at: Date;
    clock_offset_ms: string;
    offset_flagged: boolean;
    offline: boolean;
    kiosk_direction: 'in' | 'out';
    modality: 'face' | 'voice' | 'pin';
    voided: boolean;
  }>(
    `SELECT a.event_uuid, a.kiosk_id, a.kiosk_seq, a.employee_id, a.captured_at, a.received_at, a.clock_offset_ms, a.offset_flagged, a.offline,
            a.kiosk_direction, a.modality, EXISTS (SELECT 1 FROM attendance_voids v WHERE v.voided_uuid = a.event_uuid) AS voided
     FROM attendance a WHERE a.captured_at >= $1 AND a.captured_at < $2 ORDER BY a.captured_at`,
    [since, range.to],
  );
  const merged = mergePunches(
    rows.rows.map((r) => ({
      uuid: r.event_uuid,
      kioskId: r.kiosk_id,
      kioskSeq: Number(r.kiosk_seq),
      employeeId: Number(r.employee_id),
      capturedAt: r.captured_at.toISOString(),
      receivedAt: r.received_at.toISOString(),
      clockOffsetMs: Number(r.clock_offset_ms),
      offsetFlagged: r.offset_flagged,
      offline: r.offline,
      kioskDirection: r.kiosk_direction,
      modality: r.modality,
      voided: r.voided,
    })),
    applied,
  );
  return merged.filter((p) => Date.parse(p.capturedAt) >= range.from.getTime());
}

/**
 * The merged log of local days `from`..`to` (YYYY-MM-DD, inclusive, in `timeZone`) as CSV for a
 * spreadsheet: one row per punch, the kiosk named on each, the direction the merged log gives next
 * to the one the kiosk showed, collapsed and void punches marked, offline punches and clock
 * offsets over 2 minutes flagged.
 */
export async function mergedLogCsv(client: CentralClient, range: { from: string; to: string; timeZone: string }): Promise<{ csv: string; rows: number }> {
  parseDay('from', range.from);
  parseDay('to', range.to);
  const timeZone = requireTimeZone(range.timeZone);
  const bounds = await client.query<{ f: Date; t: Date }>('SELECT ($1::date::timestamp AT TIME ZONE $3) AS f, (($2::date + 1)::timestamp AT TIME ZONE $3) AS t', [range.from, range.to, timeZone]);
  const { f, t } = bounds.rows[0] as { f: Date; t: Date };
  const log = await readMergedLog(client, { from: f, to: t });
  const people = await client.query<{ id: string; code: string; name: string }>('SELECT id, code, name FROM employees WHERE id = ANY($1)', [[...new Set(log.map((p) => p.employeeId))]]);
  const byId = new Map(people.rows.map((p) => [Number(p.id), p]));
  const rows = log.map((p) => [
    dayKey(p.capturedAt, timeZone),
    localTime(p.capturedAt, timeZone),
    byId.get(p.employeeId)?.code ?? String(p.employeeId),
    byId.get(p.employeeId)?.name ?? '',
    p.direction,
    p.status,
    p.kioskId,
    p.kioskDirection,
    p.modality,
    p.offline ? 'yes' : 'no',
    Number((p.clockOffsetMs / 1000).toFixed(1)),
    p.offsetFlagged ? 'yes' : 'no',
    p.receivedAt,
  ]);
  const header = ['date', 'time', 'code', 'name', 'direction', 'status', 'kiosk', 'kiosk_direction', 'modality', 'offline', 'clock_offset_s', 'clock_flagged', 'received_at'];
  return { csv: toCsv(header, rows), rows: rows.length };
}
