/**
 * `npm run kiosk -- serve` as a user runs it: a separate process that prints its URL, serves
 * the API, keeps the template key beside the database with mode 0600, takes its first admin
 * PIN from KIOSK_ADMIN_PIN, and stops cleanly on SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasModels } from '../attendance/kiosk-fixture.js';
import { repoRoot } from '../helpers/paths.js';

const cli = ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts')];

describe('kiosk serve (command line)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists serve in the usage text and refuses a bad port with the usage exit code', () => {
    const help = spawnSync(process.execPath, [...cli, 'help'], { cwd: repoRoot, encoding: 'utf8' });
    expect(help.stdout).toMatch(/^\s+serve\s+run the kiosk in a browser/m);
    const bad = spawnSync(process.execPath, [...cli, 'serve', '--port', '99999'], { cwd: repoRoot, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port must be an integer in 0..65535');
  });

  it.skipIf(!hasModels)('serves until SIGTERM, then exits 0', async () => {
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>served</title>');
    const dbPath = join(dir, 'data', 'kiosk.db');
    const child = spawn(process.execPath, [...cli, 'serve', '--port', '0', '--db', dbPath, '--static', staticDir, '--kiosk-id', 'front-desk'], {
      cwd: repoRoot,
      env: { ...process.env, KIOSK_ADMIN_PIN: '13579' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /Kiosk running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      expect(await (await fetch(url)).text()).toContain('<title>served</title>');
      const post = (name: string, body: unknown) =>
        fetch(`${url}api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
      expect(await post('kiosk.status', {})).toMatchObject({ ok: true, value: { kioskId: 'front-desk', ready: true } });
      expect(await post('admin.login', { pin: '13579' })).toMatchObject({ ok: true, value: { pinIsDefault: false } });
      if (process.platform !== 'win32') expect(statSync(join(dir, 'data', 'kiosk.key')).mode & 0o777).toBe(0o600);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
