/** `npm run kiosk -- server init | add-kiosk | status | revoke-kiosk` against a real PostgreSQL. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../../src-main/cli/run-cli.js';
import { readMigrations } from '../../src-main/core/store/migrations.js';
import { repoRoot } from '../helpers/paths.js';
import { hasPostgres, postgresSkipReason, startCluster, type PgCluster } from '../helpers/pg-cluster.js';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

d('kiosk server commands', () => {
  let cluster: PgCluster;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster();
    url = await cluster.createDatabase('central_cli');
    dir = mkdtempSync(join(tmpdir(), 'kiosk-server-cli-'));
  }, 120_000);
  afterAll(() => {
    cluster?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('initialises the server once, adds a kiosk, reports it and revokes it', async () => {
    const galleryKey = join(dir, 'gallery.key');
    const init = await cli('server', 'init', '--pg', url, '--gallery-key', galleryKey);
    expect(init.err).toEqual([]);
    expect(init.code).toBe(0);
    const files = readMigrations(join(repoRoot, 'migrations-central')).map((m) => m.name);
    expect(init.out[0]).toContain(`schema version ${files.length} (applied ${files.join(', ')})`);
    expect(files[0]).toBe('0001_central_init.sql');
    expect(statSync(galleryKey).mode & 0o777).toBe(0o600);
    expect((await cli('server', 'init', '--pg', url, '--gallery-key', galleryKey)).out[0]).toMatch(/up to date/);
    // Another key file is not this server's gallery key.
    const wrong = await cli('server', 'init', '--pg', url, '--gallery-key', join(dir, 'other.key'));
    expect(wrong).toMatchObject({ code: 1, err: [expect.stringMatching(/^error \[KEY_INVALID\]/)] });

    const added = await cli('server', 'add-kiosk', '--pg', url, '--kiosk-id', 'front-desk', '--kiosk-key', join(dir, 'kiosk.key'), '--gallery-key', galleryKey);
    expect(added.code).toBe(0);
    expect(added.out[1]).toMatch(/serve --kiosk-id front-desk --central 'postgres:\/\/central_cli_kiosk_front_desk:[^@]+@127\.0\.0\.1/);
    const status = await cli('server', 'status', '--pg', url);
    expect(status.out).toEqual([expect.stringMatching(/^front-desk: last seen never, offset unknown, outbox \? waiting, 0 punches \(0 flagged\), no lost events$/)]);
    expect((await cli('server', 'revoke-kiosk', '--pg', url, '--kiosk-id', 'front-desk')).code).toBe(0);
    expect((await cli('server', 'status', '--pg', url)).out[0]).toMatch(/^front-desk \(revoked\)/);
  });

  it('gives every kiosk added without --kiosk-key a key file of its own', async () => {
    const home = join(dir, 'home');
    const before = process.env.KIOSK_HOME;
    process.env.KIOSK_HOME = home;
    try {
      for (const id of ['lobby', 'dock']) {
        const added = await cli('server', 'add-kiosk', '--pg', url, '--kiosk-id', id, '--gallery-key', join(dir, 'gallery.key'));
        expect(added.code).toBe(0);
        expect(added.out[1]).toBe(`copy ${join(home, 'kiosks', `${id}.key`)} to the kiosk as kiosk.key beside its database (mode 0600)`);
      }
      expect(readFileSync(join(home, 'kiosks', 'lobby.key')).equals(readFileSync(join(home, 'kiosks', 'dock.key')))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.KIOSK_HOME;
      else process.env.KIOSK_HOME = before;
    }
  });

  it('rotates the gallery key: re-wraps for the kiosks whose key files it has, keeps the old key beside the new', async () => {
    const home = join(dir, 'home');
    const galleryKey = join(dir, 'gallery.key');
    const before = readFileSync(galleryKey);
    const rotated = await cli('server', 'rotate-key', '--pg', url, '--gallery-key', galleryKey, '--kiosk-keys', join(home, 'kiosks'));
    expect(rotated.err).toEqual([]);
    expect(rotated.out[0]).toMatch(/^gallery key version 2: 0 templates re-sealed/);
    expect(rotated.out[1]).toBe('wrapped for: dock, lobby');
    expect(readFileSync(`${galleryKey}.v1`).equals(before)).toBe(true);
    expect(readFileSync(galleryKey).equals(before)).toBe(false);
    expect(statSync(galleryKey).mode & 0o777).toBe(0o600);
  });

  it('exports the merged log of every kiosk as CSV: one shift across two doors, the kiosk named on each punch', async () => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      const id = (await client.query<{ id: string }>("INSERT INTO employees (code, name) VALUES ('C9', '최지우') RETURNING id")).rows[0]!.id;
      const punch = (kiosk: string, seq: number, at: string, offset: number, offline: boolean) =>
        client.query(
          `INSERT INTO attendance (event_uuid, kiosk_id, kiosk_seq, employee_id, kiosk_direction, modality, captured_at, clock_offset_ms, offline)
           VALUES (gen_random_uuid(), $1, $2, $3, 'in', 'pin', $4, $5, $6)`,
          [kiosk, seq, id, at, offset, offline],
        );
      await punch('lobby', 1, '2026-12-01T00:00:00Z', 40, false);
      await punch('dock', 1, '2026-12-01T09:00:00Z', -150_000, true);
    } finally {
      await client.end();
    }
    const out = join(dir, 'log.csv');
    const exported = await cli('server', 'export', '--pg', url, '--from', '2026-12-01', '--to', '2026-12-01', '--time-zone', 'Asia/Seoul', '--out', out);
    expect(exported).toMatchObject({ code: 0, err: ['2 punches written to ' + out] });
    const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,time,code,name,direction,status,kiosk,kiosk_direction,modality,offline,clock_offset_s,clock_flagged,received_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 12).join(','))).toEqual([
      '2026-12-01,09:00,C9,최지우,in,counted,lobby,in,pin,no,0,no',
      '2026-12-01,18:00,C9,최지우,out,counted,dock,in,pin,yes,-150,yes',
    ]);
  });

  it('says clearly when the server cannot be reached or the URL is not one', async () => {
    const down = await cli('server', 'init', '--pg', `postgres://postgres@127.0.0.1:1/x`, '--gallery-key', join(dir, 'g2.key'));
    expect(down).toMatchObject({ code: 1, err: [expect.stringMatching(/^error \[CENTRAL_UNREACHABLE\]: the central server postgres:\/\/postgres@127\.0\.0\.1:1\/x cannot be reached/)] });
    const bad = await cli('server', 'status', '--pg', 'http://example');
    expect(bad.code).toBe(2);
  });
});
