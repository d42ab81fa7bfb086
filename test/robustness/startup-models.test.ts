/**
 * Missing or corrupt model files at start-up: the kiosk refuses to start with a typed error that
 * names the file (never a crash, never a kiosk that would compute wrong embeddings), both through
 * openKiosk (what the desktop app runs) and through `kiosk serve` as a process. Only a missing
 * voice model is tolerated: voice is optional, so the kiosk starts without it and says so.
 * (test/models/model-registry.test.ts checks the registry itself on a toy manifest.)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openKiosk } from '../../src-main/app/open-kiosk.js';
import { openDatabase } from '../../src-main/core/store/database.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { FAST_SCRYPT, hasModels, modelsDir } from '../attendance/kiosk-fixture.js';
import { repoRoot } from '../helpers/paths.js';
import { hasVoiceModels } from '../privacy/helpers.js';

const manifest = hasModels
  ? (JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { models: Record<string, { file: string; calibration?: { file: string } }> })
  : { models: {} };
const fileOf = (id: string): string => manifest.models[id]!.file;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A models folder like the shipped one, where `id`'s file is removed or has one byte flipped. */
function damagedModels(id: string, damage: 'missing' | 'corrupt'): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-models-'));
  made.push(dir);
  copyFileSync(join(modelsDir, 'manifest.json'), join(dir, 'manifest.json'));
  for (const entry of Object.values(manifest.models)) {
    if (entry.file !== fileOf(id)) symlinkSync(join(modelsDir, entry.file), join(dir, entry.file));
    if (entry.calibration) symlinkSync(join(modelsDir, entry.calibration.file), join(dir, entry.calibration.file));
  }
  const path = join(dir, fileOf(id));
  if (damage === 'corrupt') {
    const bytes = readFileSync(join(modelsDir, fileOf(id)));
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path, bytes);
  }
  return { dir, path };
}

async function startFailure(models: string): Promise<{ code: string; message: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
  made.push(dataDir);
  const error = await openKiosk({ dbPath: join(dataDir, 'kiosk.db'), cipher: new Aes256GcmCipher(Buffer.alloc(32, 7)), modelsDir: models, kioskId: 't', scryptCost: FAST_SCRYPT }).then(
    async (kiosk) => {
      await kiosk.close();
      throw new Error('the kiosk started');
    },
    (e: unknown) => e as { code: string; message: string },
  );
  return { code: error.code, message: error.message, dataDir };
}

describe.skipIf(!hasModels)('start-up with missing or corrupt model files', () => {
  it.each([
    ['face-landmarks-68', 'corrupt', 'MODEL_CORRUPT'],
    ['face-encoder-dlib-resnet', 'corrupt', 'MODEL_CORRUPT'],
    ['face-detector-ssd-mobilenet-v1', 'missing', 'MODEL_MISSING'],
    ['face-encoder-dlib-resnet', 'missing', 'MODEL_MISSING'],
  ] as const)('%s %s → %s naming the file', async (id, damage, code) => {
    const { dir, path } = damagedModels(id, damage);
    const failure = await startFailure(dir);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(path);
    expect(failure.message).toContain('npm run build:models');
    // The refused start left the database closed and sound.
    const db = openDatabase(join(failure.dataDir, 'kiosk.db'));
    expect(db.checkIntegrity().ok).toBe(true);
    db.close();
  });

  it.skipIf(!hasVoiceModels)('a voice model that is present but corrupt also stops start-up, naming the file', async () => {
    const { dir, path } = damagedModels('voice-encoder', 'corrupt');
    const failure = await startFailure(dir);
    expect(failure).toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringContaining(path) });
  });

  it.skipIf(!hasVoiceModels)('a missing voice model only turns voice off: the kiosk starts and the log names the file', async () => {
    const { dir, path } = damagedModels('voice-encoder', 'missing');
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
    made.push(dataDir);
    const warnings: string[] = [];
    const kiosk = await openKiosk({
      dbPath: join(dataDir, 'kiosk.db'),
      cipher: new Aes256GcmCipher(Buffer.alloc(32, 7)),
      modelsDir: dir,
      kioskId: 't',
      scryptCost: FAST_SCRYPT,
      log: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    try {
      expect(kiosk.context.voice).toBeNull();
      expect((await kiosk.status()).models.map((m) => m.id)).not.toContain('voice-encoder');
      expect(warnings.join('\n')).toContain(path);
    } finally {
      await kiosk.close();
    }
  });

  it('`kiosk serve` exits with status 1 and one line naming the corrupt file, without a stack trace', () => {
    const { dir, path } = damagedModels('face-landmarks-68', 'corrupt');
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
    made.push(dataDir);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts'), 'serve', '--port', '0', '--db', join(dataDir, 'kiosk.db'), '--models', dir, '--static', dataDir],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error [MODEL_CORRUPT]: Model file ${path} (face-landmarks-68) does not match its manifest sha256.`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('Kiosk running');
  });
});
