/**
 * A kiosk's link to the central server: pulls the gallery down and pushes the outbox up.
 *
 * Down: rows with rev > the kiosk's watermark, read in one REPEATABLE READ snapshot, applied to
 * SQLite in one transaction that also moves the watermark (CentralCache.applyGallery); then the
 * live galleries reload the employees touched. Pulled on a change notice (LISTEN, a hint only),
 * on every (re)connect and on a timer.
 *
 * Up: the oldest unsent outbox rows, in one server transaction, `INSERT … ON CONFLICT DO
 * NOTHING` (a re-sent batch changes nothing: UNIQUE(event_uuid) and UNIQUE(kiosk_id, kiosk_seq)),
 * with the kiosk's clock offset measured just before and a heartbeat; rows are marked sent only
 * after COMMIT returned. A kiosk killed between the server's commit and its own mark re-sends the
 * batch, and the server ignores it.
 */
import type pg from 'pg';
import { isKioskError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AppliedBatch, CentralCache, CachedEmployee, CachedTemplate, CachedSetting, OutboxAudit, OutboxItem, OutboxPunch, OutboxVoid } from '../store/central-cache.js';
import type { JsonValue } from '../store/canonical-json.js';
import { createPool, inTransaction, isUnreachable, toCentralError, withClient, type CentralClient, type CentralConnectOptions, connectClient } from './connection.js';

export interface CentralSyncOptions extends CentralConnectOptions {
  readonly url: string;
  readonly kioskId: string;
  readonly cache: CentralCache;
  readonly now?: () => Date;
  readonly log?: Logger;
  /** Timer between syncs (default 2 s); a change notice or a new punch does not wait for it. */
  readonly intervalMs?: number;
  /** Outbox rows per upload transaction, templates per pull batch (default 200). */
  readonly batchSize?: number;
  /** Setting keys this kiosk takes from the server (others are ignored). */
  readonly settingKeys?: ReadonlySet<string>;
  /** After each applied gallery batch: reload the live galleries. */
  readonly onGallery?: (applied: AppliedBatch) => void;
  /** The gallery key version the kiosk holds; templates of a newer one call onKeyVersion first. */
  readonly keyVersion?: number;
  /** Fetch and take up the kiosk's wrapped copy of a newer gallery key (after a rotation). */
  readonly onKeyVersion?: (version: number) => Promise<void>;
}

export type CentralState = 'online' | 'offline' | 'refused';

export interface CentralStatus {
  readonly state: CentralState;
  /** When the kiosk last lost the server; null while online. */
  readonly offlineSince: string | null;
  /** Punches captured here and not yet acknowledged by the server. */
  readonly punchesWaiting: number;
  /** Every outbox row (punches, voids, audit entries) not yet acknowledged. */
  readonly outboxDepth: number;
  readonly lastSyncAt: string | null;
  /** Server clock minus kiosk clock at the last sync. */
  readonly clockOffsetMs: number | null;
  readonly galleryRev: number;
  /** Why the last sync failed, if it did. */
  readonly lastError: string | null;
}

export interface SyncReport {
  /** Gallery batches applied. */
  readonly batches: number;
  /** Outbox rows the server took for the first time. */
  readonly inserted: number;
  /** Outbox rows it already had (a re-sent batch). */
  readonly duplicates: number;
  readonly clockOffsetMs: number | null;
}

const NOTICE_CHANNEL = 'kiosk_gallery';
/** How far back other kiosks' punches are pulled: longer than any shift (maxShiftHours ≤ 24). */
const RECENT_PUNCHES_MS = 24 * 3_600_000;

export class CentralSync {
  private readonly pool: pg.Pool;
  private readonly now: () => Date;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  private inFlight: Promise<SyncReport> | undefined;
  private again = false;
  private lastError: string | null = null;
  private refused = false;
  private stopped = false;
  /** The server's attendance id of the last other kiosk's punch pulled. */
  private punchWatermark = 0;
  /** The server's id of the last void of another kiosk's punch pulled. */
  private voidWatermark = 0;
  private keyVersion: number;

  constructor(private readonly options: CentralSyncOptions) {
    this.pool = createPool(options.url, options);
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 200;
    this.keyVersion = options.keyVersion ?? 1;
  }

  /** Syncs now and then on the timer, and listens for change notices. */
  start(): void {
    const interval = this.options.intervalMs ?? 2_000;
    this.timer = setInterval(() => this.kick(), interval);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a sync soon (a new punch, a change notice); syncs already running are not doubled. */
  kick(): void {
    if (this.stopped) return;
    void this.syncNow().catch(() => {});
  }

  status(): CentralStatus {
    const state = this.options.cache.state();
    return {
      state: this.refused ? 'refused' : state.online ? 'online' : 'offline',
      offlineSince: state.online ? null : state.offlineSince,
      punchesWaiting: this.options.cache.punchesWaiting(),
      outboxDepth: this.options.cache.depth(),
      lastSyncAt: state.lastSyncAt,
      clockOffsetMs: state.clockOffsetMs,
      galleryRev: state.galleryRev,
      lastError: this.lastError,
    };
  }

  /**
   * One full sync: pull every gallery batch, then upload the whole outbox. Calls made while one
   * runs wait for it and then run once more, so a punch written during a sync is not left behind.
   */
  async syncNow(): Promise<SyncReport> {
    if (this.inFlight !== undefined) {
      this.again = true;
      await this.inFlight.catch(() => {});
      if (this.inFlight !== undefined) return this.inFlight;
    }
    this.again = false;
    const run = this.syncOnce().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = run;
    const report = await run;
    if (this.again && !this.stopped) {
      this.again = false;
      return this.syncNow();
    }
    return report;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.inFlight?.catch(() => {});
    await this.listener?.end().catch(() => {});
    this.listener = undefined;
    await this.pool.end().catch(() => {});
  }

  private async syncOnce(): Promise<SyncReport> {
    const { cache, log } = this.options;
    let report: SyncReport;
    let pullError: Error | undefined;
    try {
      this.ensureListening();
      let batches = 0;
      try {
        while (await this.pullBatch()) batches++;
        await this.pullRecentPunches();
      } catch (raw) {
        // A gallery row this kiosk cannot apply must not hold its punches back: upload anyway and
        // report the pull's failure after. An unreachable or refusing server fails the upload too.
        const error = toCentralError(raw, this.options.url);
        if (isUnreachable(error) || isKioskError(error, 'CENTRAL_REFUSED')) throw error;
        pullError = error;
      }
      let inserted = 0;
      let duplicates = 0;
      let clockOffsetMs: number | null = null;
      for (;;) {
        const items = cache.unsent(this.batchSize);
        const sent = await this.upload(items);
        clockOffsetMs = sent.clockOffsetMs;
        inserted += sent.inserted;
        duplicates += sent.duplicates;
        if (items.length < this.batchSize) break;
      }
      report = { batches, inserted, duplicates, clockOffsetMs };
    } catch (raw) {
      const error = toCentralError(raw, this.options.url);
      const wasOnline = cache.state().online;
      cache.setOnline(false);
      this.refused = isKioskError(error) && (error.code === 'CENTRAL_REFUSED' || error.code === 'KIOSK_KEY_REFUSED');
      this.lastError = error.message;
      if (wasOnline || this.refused) log?.warn(`central: ${this.refused ? 'refused' : 'offline'}: ${error.message}`);
      throw error;
    }
    const wasOffline = !cache.state().online;
    cache.setOnline(true);
    // No copy of a newer gallery key for this kiosk: it still uploads, but the screen says refused.
    this.refused = isKioskError(pullError, 'KIOSK_KEY_REFUSED');
    this.lastError = pullError?.message ?? null;
    if (wasOffline) log?.info(`central: online (${report.inserted} outbox rows sent, ${report.batches} gallery batches)`);
    if (pullError !== undefined) {
      log?.error('central: a gallery batch could not be applied (the punches were uploaded all the same)', pullError);
      throw pullError;
    }
    return report;
  }

  /**
   * Other kiosks' punches since the last pull (the last day's at start; kept in memory, the cache
   * dedupes), and the voids of those punches, so this kiosk's in/out and debounce see every door.
   */
  private async pullRecentPunches(): Promise<void> {
    for (;;) {
      const since = new Date(this.now().getTime() - RECENT_PUNCHES_MS);
      const rows = await withClient(this.pool, (client) =>
        client.query<{ id: string; kiosk_id: string; employee_id: string; kiosk_direction: 'in' | 'out'; modality: 'face' | 'voice' | 'pin'; score: number | null; model_id: string | null; captured_at: Date }>(
          'SELECT * FROM kiosk_recent_punches($1, $2, $3)',
          [this.options.kioskId, this.punchWatermark, since],
        ),
      );
      if (rows.rows.length === 0) break;
      this.options.cache.applyRemotePunches(
        rows.rows.map((r) => ({
          kioskId: r.kiosk_id,
          employeeId: Number(r.employee_id),
          direction: r.kiosk_direction,
          modality: r.modality,
          score: r.score,
          modelId: r.model_id,
          capturedAt: r.captured_at,
        })),
      );
      this.punchWatermark = Number(rows.rows[rows.rows.length - 1]?.id);
      if (rows.rows.length < 1000) break;
    }
    for (;;) {
      const since = new Date(this.now().getTime() - RECENT_PUNCHES_MS);
      const rows = await withClient(this.pool, (client) =>
        client.query<{ id: string; kiosk_id: string; employee_id: string; captured_at: Date; voided_at: Date }>('SELECT * FROM kiosk_recent_voids($1, $2, $3)', [
          this.options.kioskId,
          this.voidWatermark,
          since,
        ]),
      );
      if (rows.rows.length === 0) return;
      this.options.cache.applyRemoteVoids(rows.rows.map((r) => ({ kioskId: r.kiosk_id, employeeId: Number(r.employee_id), capturedAt: r.captured_at, voidedAt: r.voided_at })));
      this.voidWatermark = Number(rows.rows[rows.rows.length - 1]?.id);
      if (rows.rows.length < 1000) return;
    }
  }

  /** One gallery batch; false when there was nothing newer than the watermark. */
  private async pullBatch(): Promise<boolean> {
    const { cache } = this.options;
    const since = cache.state().galleryRev;
    const limit = this.batchSize;
    const read = await inTransaction(
      this.pool,
      async (client) => {
        const employees = await client.query<EmployeeRow>(
          'SELECT id, code, name, department, active, pin_hash, created_at, deactivated_at, erased, rev FROM gallery_employees WHERE rev > $1 ORDER BY rev',
          [since],
        );
        const templates = await client.query<TemplateRow>(
          `SELECT id, employee_id, modality, model_id, model_sha256, sealed, dim, detection_score, speech_seconds, created_at, deleted, key_version, rev
           FROM gallery_templates WHERE rev > $1 ORDER BY rev LIMIT $2`,
          [since, limit],
        );
        const settings = await client.query<{ key: string; value: JsonValue; rev: string }>('SELECT key, value, rev FROM gallery_settings WHERE rev > $1 ORDER BY rev', [since]);
        return { employees: employees.rows, templates: templates.rows, settings: settings.rows };
      },
      'REPEATABLE READ READ ONLY',
    );
    const revs = [...read.employees, ...read.templates, ...read.settings].map((r) => Number(r.rev));
    if (revs.length === 0) return false;
    // Templates come in pages; everything up to the page's last revision is then complete.
    // Employees and settings come whole (a roster is small): one newer than the page is applied
    // now and again next time, which changes nothing.
    const full = read.templates.length === limit;
    const upTo = full ? Number(read.templates[read.templates.length - 1]?.rev) : Math.max(...revs);
    // Templates re-sealed under a newer gallery key (a rotation): take up this kiosk's copy first.
    const newest = Math.max(0, ...read.templates.filter((t) => !t.deleted).map((t) => t.key_version));
    if (newest > this.keyVersion && this.options.onKeyVersion !== undefined) {
      await this.options.onKeyVersion(newest);
      this.keyVersion = newest;
    }
    const keys = this.options.settingKeys;
    const applied = cache.applyGallery({
      employees: read.employees.map(toEmployee),
      templates: read.templates.map(toTemplate),
      settings: read.settings.filter((s) => keys === undefined || keys.has(s.key)).map((s): CachedSetting => ({ key: s.key, value: s.value })),
      upTo,
    });
    this.options.onGallery?.(applied);
    return full;
  }

  private async upload(items: readonly OutboxItem[]): Promise<{ inserted: number; duplicates: number; clockOffsetMs: number }> {
    const { cache, kioskId } = this.options;
    return inTransaction(this.pool, async (client) => {
      const clockOffsetMs = await measureOffset(client, this.now);
      const punches = items.filter((i): i is OutboxPunch => i.kind === 'punch');
      const voids = items.filter((i): i is OutboxVoid => i.kind === 'void');
      const audits = items.filter((i): i is OutboxAudit => i.kind === 'audit');
      let inserted = 0;
      if (punches.length > 0) inserted += await insertPunches(client, kioskId, punches, clockOffsetMs);
      if (voids.length > 0) inserted += await insertVoids(client, kioskId, voids, clockOffsetMs);
      if (audits.length > 0) inserted += await insertAudits(client, kioskId, audits, clockOffsetMs);
      const depthAfter = cache.depth() - items.length;
      await client.query('SELECT kiosk_heartbeat($1, $2, $3, $4)', [kioskId, Math.round(clockOffsetMs), Math.max(0, depthAfter), cache.lastSeq()]);
      return { inserted, duplicates: items.length - inserted, clockOffsetMs };
    }).then((result) => {
      // Only now: the server's COMMIT has returned.
      const last = items[items.length - 1];
      if (last !== undefined) cache.markSentThrough(last.seq);
      cache.recordSync(result.clockOffsetMs);
      return result;
    });
  }

  private ensureListening(): void {
    if (this.listener !== undefined || this.listening !== undefined || this.stopped) return;
    this.listening = (async () => {
      try {
        const client = await connectClient(this.options.url, this.options);
        client.on('notification', () => this.kick());
        const drop = (): void => {
          if (this.listener === client) this.listener = undefined;
        };
        client.on('error', drop);
        client.on('end', drop);
        await client.query(`LISTEN ${NOTICE_CHANNEL}`);
        if (this.stopped) await client.end();
        else this.listener = client;
      } catch {
        // Offline: the timer tries again; pulls do not depend on notices.
      } finally {
        this.listening = undefined;
      }
    })();
  }
}

/** Server clock minus kiosk clock, from one round trip (NTP's midpoint estimate). */
async function measureOffset(client: CentralClient, now: () => Date): Promise<number> {
  const t0 = now().getTime();
  const row = await client.query<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
  const t1 = now().getTime();
  return Number(row.rows[0]?.ms) - (t0 + t1) / 2;
}

async function insertPunches(client: CentralClient, kioskId: string, punches: readonly OutboxPunch[], offsetMs: number): Promise<number> {
  const rows = punches.map((p) => ({
    uuid: p.uuid,
    seq: p.seq,
    employee_id: p.employeeId,
    direction: p.direction,
    modality: p.modality,
    score: p.score,
    model_id: p.modelId,
    second_score: p.secondScore,
    threshold: p.threshold,
    gallery_size: p.gallerySize,
    decision_mode: p.decisionMode,
    captured_at: p.capturedAt,
    offline: p.offline,
  }));
  const result = await client.query(
    `INSERT INTO attendance (event_uuid, kiosk_id, kiosk_seq, employee_id, kiosk_direction, modality, score, model_id, second_score, threshold, gallery_size, decision_mode, captured_at, clock_offset_ms, offline)
     SELECT x.uuid, $2, x.seq, x.employee_id, x.direction, x.modality, x.score, x.model_id, x.second_score, x.threshold, x.gallery_size, x.decision_mode, x.captured_at, $3, x.offline
     FROM jsonb_to_recordset($1::jsonb) AS x(uuid uuid, seq bigint, employee_id bigint, direction text, modality text, score real, model_id text, second_score real,
          threshold real, gallery_size integer, decision_mode text, captured_at timestamptz, offline boolean)
     ORDER BY x.seq
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows), kioskId, Math.round(offsetMs)],
  );
  return result.rowCount ?? 0;
}

async function insertVoids(client: CentralClient, kioskId: string, voids: readonly OutboxVoid[], offsetMs: number): Promise<number> {
  const rows = voids.map((v) => ({ uuid: v.uuid, seq: v.seq, voided_uuid: v.voidedUuid, reason: v.reason, voided_at: v.voidedAt }));
  const result = await client.query(
    `INSERT INTO attendance_voids (event_uuid, kiosk_id, kiosk_seq, voided_uuid, reason, voided_at, clock_offset_ms)
     SELECT x.uuid, $2, x.seq, x.voided_uuid, x.reason, x.voided_at, $3
     FROM jsonb_to_recordset($1::jsonb) AS x(uuid uuid, seq bigint, voided_uuid uuid, reason text, voided_at timestamptz)
     ORDER BY x.seq
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows), kioskId, Math.round(offsetMs)],
  );
  return result.rowCount ?? 0;
}

async function insertAudits(client: CentralClient, kioskId: string, audits: readonly OutboxAudit[], offsetMs: number): Promise<number> {
  const rows = audits.map((a) => ({
    uuid: a.uuid,
    seq: a.seq,
    local_id: a.localId,
    at: a.at,
    actor: a.actor,
    action: a.action,
    subject: a.subject,
    details: a.details,
    prev_hash: a.prevHash,
    hash: a.hash,
  }));
  const result = await client.query(
    `INSERT INTO audit_entries (event_uuid, kiosk_id, kiosk_seq, local_id, at, actor, action, subject, details, prev_hash, hash, clock_offset_ms)
     SELECT x.uuid, $2, x.seq, x.local_id, x.at, x.actor, x.action, x.subject, x.details, x.prev_hash, x.hash, $3
     FROM jsonb_to_recordset($1::jsonb) AS x(uuid uuid, seq bigint, local_id bigint, at timestamptz, actor text, action text, subject text, details jsonb, prev_hash text, hash text)
     ORDER BY x.seq
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows), kioskId, Math.round(offsetMs)],
  );
  return result.rowCount ?? 0;
}

interface EmployeeRow {
  id: string;
  code: string;
  name: string;
  department: string;
  active: boolean;
  pin_hash: string | null;
  created_at: Date;
  deactivated_at: Date | null;
  erased: boolean;
  rev: string;
}

interface TemplateRow {
  id: string;
  employee_id: string;
  modality: 'face' | 'voice';
  model_id: string;
  model_sha256: string;
  sealed: Buffer | null;
  dim: number;
  detection_score: number | null;
  speech_seconds: number | null;
  created_at: Date;
  deleted: boolean;
  key_version: number;
  rev: string;
}

function toEmployee(row: EmployeeRow): CachedEmployee {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    department: row.department,
    active: row.active,
    pinHash: row.pin_hash,
    createdAt: row.created_at,
    deactivatedAt: row.deactivated_at,
    erased: row.erased,
  };
}

function toTemplate(row: TemplateRow): CachedTemplate {
  return {
    id: Number(row.id),
    employeeId: Number(row.employee_id),
    modality: row.modality,
    modelId: row.model_id,
    modelSha256: row.model_sha256,
    sealed: row.sealed === null ? null : new Uint8Array(row.sealed),
    dim: row.dim,
    detectionScore: row.detection_score,
    speechSeconds: row.speech_seconds,
    createdAt: row.created_at,
    deleted: row.deleted,
  };
}

/** Whether a sync failure is the ordinary "no server right now". */
export function isOffline(error: unknown): boolean {
  return isUnreachable(error) || isKioskError(error, 'CENTRAL_UNREACHABLE');
}

