/** `kiosk eval liveness`: usage and input errors, answered before any model or clip is touched. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-liveness-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCaptured;

describe('kiosk eval liveness', () => {
  it('is listed in the help, with its options', async () => {
    expect((await run('help')).out).toContain('eval liveness');
    const help = await run('eval', 'liveness', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--split <report|tune>');
  });

  it.each([
    [['eval', 'liveness'], 'missing required option --json'],
    [['eval', 'liveness', '--json', 'o.json', '--split', 'all'], '--split must be report or tune'],
    [['eval', 'liveness', '--json', 'o.json', '--frames', '9'], '--frames must be at most 8'],
    [['eval', 'liveness', '--json', 'o.json', '--frames', '2.5'], '--frames must be a positive integer'],
    [['eval', 'liveness', '--json', 'o.json', '--photos', '0'], '--photos must be a positive integer'],
  ])('%j → exit 2 with the usage', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage:');
  });

  it('names a missing data folder with NOT_FOUND and exit 1', async () => {
    const r = await run('eval', 'liveness', '--json', join(dir, 'o.json'), '--data-dir', join(dir, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [NOT_FOUND]');
    expect(r.err).toContain(join(dir, 'nowhere'));
  });
});
