import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCaptured;

describe('kiosk command dispatch', () => {
  it('help lists the commands and exits 0', async () => {
    const r = await run('help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('eval face');
    expect(r.out).toContain('eval voice');
  });

  it.each([[[]], [['frobnicate']], [['eval']], [['eval', 'smell']]])('%j → usage on stderr, exit 2', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: npm run kiosk');
  });

  it('a command\'s --help prints its options and exits 0', async () => {
    const r = await run('eval', 'voice', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--enroll-count <K>');
  });
});

describe('kiosk eval: argument errors exit 2 with the command usage', () => {
  it.each([
    [['eval', 'face', '--lfw-pairs', 'p.txt', '--images', 'd'], 'missing required option --json'],
    [['eval', 'face', '--json', 'o.json'], 'give either --lfw-pairs'],
    [['eval', 'face', '--json', 'o.json', '--lfw-pairs', 'p', '--gallery', 'g'], 'give either --lfw-pairs'],
    [['eval', 'face', '--json', 'o.json', '--lfw-pairs', 'p'], 'missing required option --images'],
    [['eval', 'face', '--json', 'o.json', '--gallery', 'g', '--energy', 'manhattan'], '--energy must be euclidean or cosine'],
    [['eval', 'face', '--json', 'o.json', '--gallery', 'g', '--images', 'd'], 'belong to --lfw-pairs'],
    [['eval', 'face', '--json', 'o.json', '--bogus'], 'unknown option --bogus'],
    [['eval', 'voice', '--gallery', 'g'], 'missing required option --json'],
    [['eval', 'voice', '--gallery', 'g', '--json', 'o.json', '--enroll-count', '0'], '--enroll-count must be a positive integer'],
    [['eval', 'voice', '--gallery', 'g', '--json', 'o.json', '--crop-seconds', 'abc'], 'needs a number'],
    [['eval', 'identify', '--gallery', 'g', '--json', 'o.json'], 'missing required option --modality'],
    [['eval', 'identify', '--modality', 'iris', '--gallery', 'g', '--json', 'o.json'], '--modality must be face or voice'],
    [['eval', 'identify', '--modality', 'face', '--gallery', 'g', '--json', 'o.json', '--sizes', '100,ten'], "--sizes takes positive integers and 'all'"],
    [['eval', 'identify', '--modality', 'face', '--gallery', 'g', '--json', 'o.json', '--sizes', '0'], "--sizes takes positive integers and 'all'"],
    [['eval', 'identify', '--modality', 'face', '--gallery', 'g', '--json', 'o.json', '--non-mated-fraction', '1'], '--non-mated-fraction must be in [0, 1)'],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage:');
  });
});

describe('kiosk eval: input errors exit 1 with the typed code, before any model loads', () => {
  const json = join(dir, 'never.json');

  it('a nonexistent pairs file', async () => {
    const r = await run('eval', 'face', '--lfw-pairs', join(dir, 'missing.txt'), '--images', dir, '--json', json);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error [NOT_FOUND]: pairs file ${join(dir, 'missing.txt')} cannot be read`);
    expect(existsSync(json)).toBe(false);
  });

  it('a malformed pairs file names the line', async () => {
    const pairs = join(dir, 'bad-pairs.txt');
    writeFileSync(pairs, '1 1\nAnn 1 2 3\nAnn 1 Bob 1\n');
    const r = await run('eval', 'face', '--lfw-pairs', pairs, '--images', dir, '--json', json);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error [INVALID_INPUT]: ${pairs}:2:`);
  });

  it('an image pattern with an unknown token', async () => {
    const r = await run('eval', 'face', '--lfw-pairs', 'p.txt', '--images', dir, '--image-pattern', '{who}/{i}.jpg', '--json', json);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [INVALID_INPUT]: image pattern "{who}/{i}.jpg" has unknown token {who}');
  });

  it('a nonexistent gallery, for faces and voices', async () => {
    for (const modality of ['face', 'voice']) {
      const r = await run('eval', modality, '--gallery', join(dir, 'nowhere'), '--json', json);
      expect(r.code).toBe(1);
      expect(r.err).toContain('error [NOT_FOUND]: gallery folder');
    }
  });

  it('a gallery with one identity', async () => {
    mkdirSync(join(dir, 'solo', 'only'), { recursive: true });
    writeFileSync(join(dir, 'solo', 'only', 'a.wav'), '');
    const r = await run('eval', 'voice', '--gallery', join(dir, 'solo'), '--json', json);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [INVALID_INPUT]: gallery');
  });

  it('eval identify: a gallery with one identity, and one where nobody has a file to search with', async () => {
    mkdirSync(join(dir, 'solo-identify', 'only'), { recursive: true });
    writeFileSync(join(dir, 'solo-identify', 'only', 'a.wav'), '');
    const solo = await run('eval', 'identify', '--modality', 'voice', '--gallery', join(dir, 'solo-identify'), '--json', json);
    expect(solo.code).toBe(1);
    expect(solo.err).toContain('error [INVALID_INPUT]: gallery');
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, 'singles', name), { recursive: true });
      writeFileSync(join(dir, 'singles', name, '1.wav'), '');
    }
    mkdirSync(join(dir, 'singles', 'empty'));
    const singles = await run('eval', 'identify', '--modality', 'voice', '--gallery', join(dir, 'singles'), '--json', json);
    expect(singles.code).toBe(1);
    expect(singles.err).toContain('error [INVALID_INPUT]: no identity has more files than the enroll count');
    expect(existsSync(json)).toBe(false);
  });

  it('models that are not there: a typed error, not a crash', async () => {
    const pairs = join(dir, 'ok-pairs.txt');
    writeFileSync(pairs, '1 1\nAnn 1 2\nAnn 1 Bob 1\n');
    const missingModels = await run('eval', 'face', '--lfw-pairs', pairs, '--images', dir, '--models-dir', join(dir, 'no-models'), '--json', json);
    expect(missingModels.code).toBe(1);
    expect(missingModels.err).toMatch(/^error \[(MODEL_MISSING|RUNTIME_ERROR)\]: /);
    expect(missingModels.err).not.toMatch(/\n\s+at /);
  });
});

describe('the kiosk process (npm run kiosk entry point)', () => {
  const kiosk = (...argv: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts'), ...argv], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

  it('exits 2 on an unknown command, with usage and no stack trace', () => {
    const r = kiosk('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: unknown command "frobnicate"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits non-zero with a clear message for a nonexistent pairs file', () => {
    const r = kiosk('eval', 'face', '--lfw-pairs', join(dir, 'missing.txt'), '--images', dir, '--json', join(dir, 'x.json'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`error [NOT_FOUND]: pairs file ${join(dir, 'missing.txt')} cannot be read`);
  });
});
