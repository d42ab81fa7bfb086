/**
 * Connections to the central PostgreSQL server (node-postgres), and what their failures mean to a
 * kiosk: a server that cannot be reached or went away is CENTRAL_UNREACHABLE (the kiosk keeps
 * working offline); a server that refuses this kiosk (authentication, permission, a revoked
 * kiosk) is CENTRAL_REFUSED. Only this room imports `pg`.
 */
import pg from 'pg';
import { KioskError, isKioskError } from '../errors.js';

export type CentralClient = pg.ClientBase;

export interface CentralConnectOptions {
  /** How long a connection attempt may take (default 3 s): an unreachable server must not stall a sync for long. */
  readonly connectTimeoutMs?: number;
  /** Statements longer than this are cancelled by the server (default 15 s). */
  readonly statementTimeoutMs?: number;
}

/** A URL with its password, if any, replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

/** INVALID_INPUT unless `url` is a postgres:// or postgresql:// URL. */
export function requirePgUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KioskError('INVALID_INPUT', 'the central server must be given as postgres://user@host:port/database', { field: 'pg' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new KioskError('INVALID_INPUT', `the central server URL must start with postgres://, got ${parsed.protocol}//`, { field: 'pg' });
  }
  return url;
}

export function createPool(url: string, options: CentralConnectOptions & { readonly max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: requirePgUrl(url),
    max: options.max ?? 2,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
    application_name: 'attendance-kiosk',
  });
  // An idle client whose server went away emits here; the next query reports it.
  pool.on('error', () => {});
  return pool;
}

/** One client outside a pool (migrations, LISTEN). */
export async function connectClient(url: string, options: CentralConnectOptions = {}): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: requirePgUrl(url),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    application_name: 'attendance-kiosk',
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw toCentralError(error, url);
  }
  return client;
}

const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Whether the failure means "no server right now" (retry later) rather than a refusal or a bug. */
export function isUnreachable(error: unknown): boolean {
  if (isKioskError(error)) return error.code === 'CENTRAL_UNREACHABLE';
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNREACHABLE_ERRNO.has(code)) return true;
  // 08: connection exception; 57P01-57P03: the server is shutting down or starting.
  if (/^08/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout expired|Client has encountered a connection error|not queryable|Connection ended/i.test(message);
}

/** A failure of a call to the server as a typed error; KioskErrors pass through. */
export function toCentralError(error: unknown, url?: string): Error {
  if (isKioskError(error)) return error;
  const where = url === undefined ? 'the central server' : `the central server ${redactUrl(url)}`;
  const message = error instanceof Error ? error.message : String(error);
  if (isUnreachable(error)) return new KioskError('CENTRAL_UNREACHABLE', `${where} cannot be reached: ${message}`);
  const code = (error as { code?: unknown }).code;
  // 28: invalid authorization; 42501: insufficient privilege (a revoked kiosk, a role without the grants).
  if (typeof code === 'string' && (/^28/.test(code) || code === '42501')) {
    return new KioskError('CENTRAL_REFUSED', `${where} refused this kiosk: ${message}`, { sqlstate: code });
  }
  return error instanceof Error ? error : new Error(message);
}

/** Runs `fn` on one pooled client (no transaction); failures typed as for a sync. */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toCentralError(error);
  }
  let broken = false;
  // A connection cut while the client is checked out is emitted as 'error' on the client (the
  // pool listens only to idle ones); the failing query reports it, so the event itself is dropped.
  const ignore = (): void => {
    broken = true;
  };
  client.on('error', ignore);
  try {
    return await fn(client);
  } catch (error) {
    broken ||= isUnreachable(error);
    throw toCentralError(error);
  } finally {
    client.off('error', ignore);
    // A client whose connection failed is destroyed, not put back.
    client.release(broken ? true : undefined);
  }
}

/** Runs `fn` in a transaction on one pooled client; ROLLBACK on throw, the client released either way. */
export function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, isolation = 'READ COMMITTED'): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // Over a cut connection there is nothing to roll back (the server ends the transaction itself).
      if (!isUnreachable(error)) await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}
