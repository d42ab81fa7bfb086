/**
 * `kiosk server …`: the central PostgreSQL server of several kiosks (core/central/).
 *   server init        schema (migrations-central/) and gallery key; idempotent
 *   server add-kiosk   a kiosk's role and its wrapped copy of the gallery key
 *   server revoke-kiosk
 *   server status      each kiosk: last seen, clock offset, outbox depth, lost sequence numbers
 */
import { join, resolve } from 'node:path';
import { stringOption, UsageError } from './args.js';
import type { CliIo, Command } from './command.js';
import { DEFAULT_DATA_DIR } from './serve.js';
import { connectClient, redactUrl, requirePgUrl, type CentralClient } from '../core/central/connection.js';
import { addKiosk, initServer, kioskReports, requireKioskId, revokeKiosk } from '../core/central/server-admin.js';
import { rotateGalleryKey } from '../core/central/key-rotation.js';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { mergedLogCsv } from '../core/central/merged-log.js';
import { systemTimeZone } from '../core/attendance/local-day.js';
import { loadOrCreateKeyFile } from '../core/store/key-file.js';

export const GALLERY_KEY_FILE = 'central-gallery.key';
export const KIOSK_KEY_FILE = 'kiosk.key';

const dataDir = (): string => process.env.KIOSK_HOME ?? DEFAULT_DATA_DIR;

const pgOption = { type: 'string', value: '<URL>', description: 'the central server, postgres://user@host:port/database (its owner; needs CREATEROLE)' } as const;
const galleryKeyOption = {
  type: 'string',
  value: '<FILE>',
  description: `the gallery data key file, 0600 (default $KIOSK_HOME/${GALLERY_KEY_FILE}; created by init). Keep it safe: it opens every template`,
} as const;

function pgUrl(options: Record<string, string | number | boolean>): string {
  const url = stringOption(options, 'pg', true);
  try {
    return requirePgUrl(url);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function withClient<T>(url: string, fn: (client: CentralClient) => Promise<T>): Promise<T> {
  const client = await connectClient(url, { connectTimeoutMs: 10_000, statementTimeoutMs: 120_000 });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const galleryKeyPath = (options: Record<string, string | number | boolean>): string => resolve(stringOption(options, 'gallery-key') ?? join(dataDir(), GALLERY_KEY_FILE));

export const serverInitCommand: Command = {
  name: 'server init',
  summary: 'create or upgrade the central PostgreSQL schema and its gallery key',
  synopsis: ['server init --pg <url> [--gallery-key FILE]'],
  options: { pg: pgOption, 'gallery-key': galleryKeyOption },
  async run(options, io) {
    const url = pgUrl(options);
    const keyPath = galleryKeyPath(options);
    const key = loadOrCreateKeyFile(keyPath);
    const report = await withClient(url, (client) => initServer(client, key));
    key.fill(0);
    io.out(`central server ${redactUrl(url)}: schema version ${report.schemaVersion}${report.applied.length > 0 ? ` (applied ${report.applied.join(', ')})` : ' (up to date)'}`);
    io.out(`gallery key version ${report.keyVersion}: ${keyPath}`);
  },
};

export const serverAddKioskCommand: Command = {
  name: 'server add-kiosk',
  summary: 'add a kiosk to the central server: its own role and its copy of the gallery key',
  synopsis: ['server add-kiosk --pg <url> --kiosk-id ID [--enroll] [--kiosk-key FILE] [--gallery-key FILE]'],
  options: {
    pg: pgOption,
    'kiosk-id': { type: 'string', value: '<ID>', description: 'the id the kiosk runs with (serve --kiosk-id)' },
    'kiosk-key': {
      type: 'string',
      value: '<FILE>',
      description: `the kiosk's own key file (default $KIOSK_HOME/kiosks/<ID>.key, created when absent; copy it to the kiosk as ${KIOSK_KEY_FILE} beside its database)`,
    },
    'gallery-key': galleryKeyOption,
    enroll: { type: 'boolean', description: 'an enrollment station: its admin screens create, enroll, deactivate and erase staff on the server' },
  },
  async run(options, io) {
    const url = pgUrl(options);
    const kioskId = requireKioskId(stringOption(options, 'kiosk-id', true));
    // One key per kiosk: a default shared by every kiosk added here would let one kiosk's file open another's copy.
    const kioskKeyPath = resolve(stringOption(options, 'kiosk-key') ?? join(dataDir(), 'kiosks', `${kioskId}.key`));
    const galleryKey = loadOrCreateKeyFile(galleryKeyPath(options));
    const kioskKey = loadOrCreateKeyFile(kioskKeyPath);
    const added = await withClient(url, (client) => addKiosk(client, { kioskId, kioskKey, galleryKey, enroll: options.enroll === true }));
    galleryKey.fill(0);
    kioskKey.fill(0);
    const kioskUrl = new URL(url);
    kioskUrl.username = added.roleName;
    kioskUrl.password = added.password;
    io.out(`kiosk ${kioskId} added (role ${added.roleName}${added.enroll ? ', enrollment station' : ''}, gallery key version ${added.keyVersion}, kiosk key ${kioskKeyPath})`);
    if (stringOption(options, 'kiosk-key') === undefined) io.out(`copy ${kioskKeyPath} to the kiosk as ${KIOSK_KEY_FILE} beside its database (mode 0600)`);
    io.out(`run it with: npm run kiosk -- serve --kiosk-id ${kioskId} --central '${kioskUrl.toString()}'`);
  },
};

export const serverRevokeKioskCommand: Command = {
  name: 'server revoke-kiosk',
  summary: 'revoke a lost or retired kiosk: no more login, no more gallery key',
  synopsis: ['server revoke-kiosk --pg <url> --kiosk-id ID'],
  options: { pg: pgOption, 'kiosk-id': { type: 'string', value: '<ID>', description: 'the kiosk to revoke' } },
  async run(options, io) {
    const url = pgUrl(options);
    const kioskId = requireKioskId(stringOption(options, 'kiosk-id', true));
    await withClient(url, (client) => revokeKiosk(client, kioskId));
    io.out(`kiosk ${kioskId} revoked`);
  },
};

export const serverStatusCommand: Command = {
  name: 'server status',
  summary: 'each kiosk of the central server: last seen, clock offset, outbox depth, lost events',
  synopsis: ['server status --pg <url>'],
  options: { pg: pgOption },
  async run(options, io: CliIo) {
    const url = pgUrl(options);
    const reports = await withClient(url, (client) => kioskReports(client));
    if (reports.length === 0) io.out('no kiosks yet: add one with "server add-kiosk"');
    for (const r of reports) {
      const offset = r.clockOffsetMs === null ? 'offset unknown' : `clock offset ${(r.clockOffsetMs / 1000).toFixed(1)} s${r.clockFlagged ? ' (FLAGGED: over 2 min)' : ''}`;
      const lost = r.lost.length === 0 ? 'no lost events' : `LOST events ${r.lost.map((l) => (l.from === l.to ? `#${l.from}` : `#${l.from}-${l.to}`)).join(', ')}`;
      io.out(
        `${r.kioskId}${r.revoked ? ' (revoked)' : ''}: last seen ${r.lastSeen ?? 'never'}, ${offset}, outbox ${r.outboxDepth ?? '?'} waiting, ${r.punches} punches (${r.flaggedPunches} flagged), ${lost}`,
      );
    }
  },
};

export const serverRotateKeyCommand: Command = {
  name: 'server rotate-key',
  summary: 'a new gallery key version: every template re-sealed, the key re-wrapped for the kiosks not revoked',
  synopsis: ['server rotate-key --pg <url> [--gallery-key FILE] [--kiosk-keys DIR]'],
  options: {
    pg: pgOption,
    'gallery-key': galleryKeyOption,
    'kiosk-keys': { type: 'string', value: '<DIR>', description: 'the kiosks\' key files, <id>.key (default $KIOSK_HOME/kiosks, where add-kiosk puts them)' },
  },
  async run(options, io) {
    const url = pgUrl(options);
    const keyPath = galleryKeyPath(options);
    const keysDir = resolve(stringOption(options, 'kiosk-keys') ?? join(dataDir(), 'kiosks'));
    const oldKey = loadOrCreateKeyFile(keyPath);
    const kioskKeys = new Map<string, Buffer>();
    for (const file of existsSync(keysDir) ? readdirSync(keysDir) : []) {
      if (file.endsWith('.key')) kioskKeys.set(file.slice(0, -'.key'.length), loadOrCreateKeyFile(join(keysDir, file)));
    }
    // The new key is on disk before the server uses it; the old one is kept for older backups.
    const nextPath = `${keyPath}.next`;
    const newKey = loadOrCreateKeyFile(nextPath);
    const report = await withClient(url, (client) => rotateGalleryKey(client, { oldKey, newKey, kioskKeys }));
    renameSync(keyPath, `${keyPath}.v${report.version - 1}`);
    renameSync(nextPath, keyPath);
    for (const key of [oldKey, newKey, ...kioskKeys.values()]) key.fill(0);
    io.out(`gallery key version ${report.version}: ${report.templates} templates re-sealed, new key in ${keyPath} (the old one kept as ${keyPath}.v${report.version - 1})`);
    io.out(`wrapped for: ${report.wrappedFor.join(', ') || 'no kiosk'}`);
    if (report.missingKeys.length > 0) io.out(`no key file for: ${report.missingKeys.join(', ')} — add them again with "server add-kiosk" to reconnect them`);
  },
};

export const serverExportCommand: Command = {
  name: 'server export',
  summary: "every kiosk's punches of a period as CSV, from the server's merged log",
  synopsis: ['server export --pg <url> --from YYYY-MM-DD --to YYYY-MM-DD [--time-zone ZONE] [--out FILE]'],
  options: {
    pg: pgOption,
    from: { type: 'string', value: '<YYYY-MM-DD>', description: 'first local day' },
    to: { type: 'string', value: '<YYYY-MM-DD>', description: 'last local day (inclusive)' },
    'time-zone': { type: 'string', value: '<ZONE>', description: "IANA zone of the days and times (default: the system's)" },
    out: { type: 'string', value: '<FILE>', description: 'write the CSV here (default: standard output)' },
  },
  async run(options, io) {
    const url = pgUrl(options);
    const range = { from: stringOption(options, 'from', true), to: stringOption(options, 'to', true), timeZone: stringOption(options, 'time-zone') ?? systemTimeZone() };
    const { csv, rows } = await withClient(url, (client) => mergedLogCsv(client, range));
    const out = stringOption(options, 'out');
    if (out === undefined) io.out(csv.replace(/\r\n$/, ''));
    else {
      writeFileSync(resolve(out), csv);
      io.err(`${rows} punches written to ${resolve(out)}`);
    }
  },
};

export const SERVER_COMMANDS: readonly Command[] = [
  serverInitCommand,
  serverAddKioskCommand,
  serverRevokeKioskCommand,
  serverRotateKeyCommand,
  serverStatusCommand,
  serverExportCommand,
];
