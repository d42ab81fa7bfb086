/**
 * Administrator operations on the central server: create its schema and gallery key (`server
 * init`), add a kiosk (its PostgreSQL role and its wrapped copy of the gallery key), revoke one,
 * and report on every kiosk (last seen, clock offset, outbox depth, lost sequence numbers).
 * These run with the server owner's connection, never a kiosk's.
 */
import { randomBytes } from 'node:crypto';
import { KioskError } from '../errors.js';
import { requireText } from '../store/validate.js';
import type { CentralClient } from './connection.js';
import { migrateCentral } from './central-migrations.js';
import { registerGalleryKey, wrapGalleryKey } from './gallery-key.js';

export interface InitReport {
  readonly schemaVersion: number;
  readonly applied: readonly string[];
  readonly keyVersion: number;
}

/** Applies pending migrations and registers (or checks) the gallery key. Idempotent. */
export async function initServer(client: CentralClient, galleryKey: Uint8Array, migrationsDir?: string): Promise<InitReport> {
  const { version, applied } = await migrateCentral(client, migrationsDir);
  const keyVersion = await registerGalleryKey(client, galleryKey);
  return { schemaVersion: version, applied, keyVersion };
}

const KIOSK_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requireKioskId(kioskId: string): string {
  const id = requireText('kioskId', kioskId, 64);
  if (!KIOSK_ID.test(id)) throw new KioskError('INVALID_INPUT', 'a kiosk id is 1-64 characters of A-Z a-z 0-9 . _ -', { field: 'kioskId' });
  return id;
}

/** The kiosks' group role of this database (created by migration 0001). */
async function kioskGroup(client: CentralClient): Promise<string> {
  const row = await client.query<{ g: string }>("SELECT current_database() || '_kiosks' AS g");
  return row.rows[0]?.g as string;
}

export interface AddedKiosk {
  readonly kioskId: string;
  readonly roleName: string;
  readonly password: string;
  readonly keyVersion: number;
  readonly enroll: boolean;
}

/**
 * Adds a kiosk: a LOGIN role of its own that can read the gallery views and only INSERT its
 * punches, voids and audit entries, and the gallery key wrapped by `kioskKey` (the kiosk's key
 * file). Adding a revoked or existing kiosk again re-wraps the key and gives the role a new
 * password. `enroll`: the kiosk is an enrollment station (it may write staff and templates).
 * KEY_INVALID when `galleryKey` is not this server's.
 */
export async function addKiosk(
  client: CentralClient,
  input: { kioskId: string; kioskKey: Uint8Array; galleryKey: Uint8Array; enroll?: boolean },
): Promise<AddedKiosk> {
  const kioskId = requireKioskId(input.kioskId);
  const group = await kioskGroup(client);
  const db = group.slice(0, -'_kiosks'.length);
  const roleName = `${db}_kiosk_${kioskId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
  const password = randomBytes(18).toString('base64url');
  await client.query('BEGIN');
  try {
    const keyVersion = await registerGalleryKey(client, input.galleryKey);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [roleName]);
    const ident = (await client.query<{ r: string; p: string; g: string }>('SELECT quote_ident($1) AS r, quote_literal($2) AS p, quote_ident($3) AS g', [roleName, password, group])).rows[0] as {
      r: string;
      p: string;
      g: string;
    };
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${ident.r} LOGIN PASSWORD ${ident.p} IN ROLE ${ident.g}`);
    else await client.query(`ALTER ROLE ${ident.r} LOGIN PASSWORD ${ident.p}`);
    // An enrollment station may also write the gallery (migration 0002); any other kiosk may not.
    const enrollers = (await client.query<{ e: string }>("SELECT quote_ident(current_database() || '_enrollers') AS e")).rows[0]?.e as string;
    await client.query(input.enroll === true ? `GRANT ${enrollers} TO ${ident.r}` : `REVOKE ${enrollers} FROM ${ident.r}`);
    await client.query(
      `INSERT INTO kiosks (kiosk_id, role_name) VALUES ($1, $2)
       ON CONFLICT (kiosk_id) DO UPDATE SET role_name = excluded.role_name, revoked_at = NULL`,
      [kioskId, roleName],
    );
    await client.query(
      `INSERT INTO gallery_keys (kiosk_id, key_version, wrapped) VALUES ($1, $2, $3)
       ON CONFLICT (kiosk_id, key_version) DO UPDATE SET wrapped = excluded.wrapped`,
      [kioskId, keyVersion, Buffer.from(wrapGalleryKey(input.kioskKey, input.galleryKey, kioskId, keyVersion))],
    );
    await client.query('COMMIT');
    return { kioskId, roleName, password, keyVersion, enroll: input.enroll === true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Revokes a kiosk: its wrapped keys are deleted, its role can no longer log in and its open
 * sessions are ended. What it already cached stays readable to whoever holds that kiosk's key
 * file until the gallery key is rotated (not built yet; README).
 */
export async function revokeKiosk(client: CentralClient, kioskId: string): Promise<void> {
  const id = requireKioskId(kioskId);
  const row = await client.query<{ role_name: string | null }>('UPDATE kiosks SET revoked_at = now() WHERE kiosk_id = $1 RETURNING role_name', [id]);
  if (row.rowCount === 0) throw new KioskError('NOT_FOUND', `no kiosk ${id} on this server`, { kioskId: id });
  await client.query('DELETE FROM gallery_keys WHERE kiosk_id = $1', [id]);
  const role = row.rows[0]?.role_name;
  if (role) {
    const ident = (await client.query<{ r: string }>('SELECT quote_ident($1) AS r', [role])).rows[0] as { r: string };
    await client.query(`ALTER ROLE ${ident.r} NOLOGIN`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
  }
}

export interface KioskReport {
  readonly kioskId: string;
  readonly revoked: boolean;
  readonly lastSeen: string | null;
  readonly clockOffsetMs: number | null;
  /** Beyond 2 minutes: that kiosk's punches are flagged for the admin. */
  readonly clockFlagged: boolean;
  readonly outboxDepth: number | null;
  readonly lastSeq: number | null;
  readonly punches: number;
  readonly flaggedPunches: number;
  /** Sequence numbers the kiosk issued that never arrived (inclusive ranges). */
  readonly lost: readonly { readonly from: number; readonly to: number }[];
}

export const OFFSET_FLAG_MS = 120_000;

/** Every kiosk's figures (kiosk_overview(): the owner and every kiosk role may call it). */
export async function kioskReports(client: CentralClient): Promise<KioskReport[]> {
  const rows = await client.query<{
    kiosk_id: string;
    revoked: boolean;
    last_seen: Date | null;
    clock_offset_ms: string | null;
    outbox_depth: number | null;
    last_seq: string | null;
    punches: string;
    flagged: string;
    lost: string | null;
  }>('SELECT * FROM kiosk_overview()');
  return rows.rows.map((k) => {
    const offset = k.clock_offset_ms === null ? null : Number(k.clock_offset_ms);
    return {
      kioskId: k.kiosk_id,
      revoked: k.revoked,
      lastSeen: k.last_seen?.toISOString() ?? null,
      clockOffsetMs: offset,
      clockFlagged: offset !== null && Math.abs(offset) > OFFSET_FLAG_MS,
      outboxDepth: k.outbox_depth,
      lastSeq: k.last_seq === null ? null : Number(k.last_seq),
      punches: Number(k.punches),
      flaggedPunches: Number(k.flagged),
      lost: (k.lost ?? '')
        .split(',')
        .filter((range) => range !== '')
        .map((range) => {
          const [from, to] = range.split('-').map(Number) as [number, number];
          return { from, to };
        }),
    };
  });
}
