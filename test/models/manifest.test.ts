/**
 * models/manifest.json (written by `npm run build:models`, run at install) against the files
 * it describes: hashes computed here, tensor contracts read back from onnxruntime, sources
 * against the installed packages.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src-main/core/runtime/model-registry.js';
import { repoRoot } from '../helpers/paths.js';

const modelsDir = join(repoRoot, 'models');
const manifestPath = join(modelsDir, 'manifest.json');
const readManifest = () => parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
const FACE_IDS = ['face-detector-ssd-mobilenet-v1', 'face-landmarks-68', 'face-encoder-dlib-resnet'];
const build = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'models/build/build-models.ts'], { cwd: repoRoot });

describe('models/manifest.json', () => {
  // As `npm install` / `npm run build:models` would: the trained voice encoder may have been
  // committed since the last build.
  beforeAll(build, 120_000);

  it('lists the face models, Silero VAD, and the trained voice encoder exactly when its file exists', () => {
    const ids = Object.keys(readManifest().models);
    expect(ids).toEqual(expect.arrayContaining([...FACE_IDS, 'voice-vad-silero-v5']));
    expect(ids.includes('voice-encoder')).toBe(existsSync(join(modelsDir, 'voice-encoder.onnx')));
  });

  it('records each file with its true sha256, size, provenance and licence', () => {
    for (const [id, entry] of Object.entries(readManifest().models)) {
      const path = join(modelsDir, entry.file);
      expect(entry.id).toBe(id);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex'), id).toBe(entry.sha256);
      expect(statSync(path).size, id).toBe(entry.bytes);
      expect(entry.licence.length, id).toBeGreaterThan(0);
      expect(entry.preprocessing.text.length, id).toBeGreaterThan(0);
    }
    const { models } = readManifest();
    for (const id of FACE_IDS) {
      expect(models[id]!.source).toMatchObject({ package: '@vladmandic/face-api', version: versionOf('@vladmandic/face-api') });
      expect(models[id]!.licence).toMatch(/MIT/);
    }
    expect(models['face-encoder-dlib-resnet']!.licence).toMatch(/public domain|CC0/);
    expect(models['voice-vad-silero-v5']!.source).toMatchObject({ package: '@ricky0123/vad-web', version: versionOf('@ricky0123/vad-web') });
    const sileroSource = readFileSync(join(repoRoot, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
    expect(readFileSync(join(modelsDir, 'voice-vad-silero-v5.onnx')).equals(sileroSource)).toBe(true);
    if (models['voice-encoder']) {
      expect(models['voice-encoder'].source.text).toMatch(/^trained by models\/training \(this project\)/);
      // Part of its training audio is GPL: the manifest must not state a clean licence.
      expect(models['voice-encoder'].licence).toMatch(/doubtful.*GPL/);
    }
  });

  it("declares the tensor names and shapes the ONNX files really have", async () => {
    for (const entry of Object.values(readManifest().models)) {
      const session = await ort.InferenceSession.create(join(modelsDir, entry.file));
      const actual = (meta: readonly ort.InferenceSession.ValueMetadata[]) =>
        meta.map((m) => ({ name: m.name, shape: m.isTensor ? m.shape.map((d) => (d === '' ? '?' : d)) : [] }));
      const declared = (specs: typeof entry.inputs) => specs.map((s) => ({ name: s.name, shape: s.shape }));
      expect(declared(entry.inputs), entry.id).toEqual(actual(session.inputMetadata));
      expect(declared(entry.outputs), entry.id).toEqual(actual(session.outputMetadata));
      await session.release();
    }
  });

  it('a second build run changes nothing and says so', async () => {
    const before = readFileSync(manifestPath);
    const mtimes = Object.values(readManifest().models).map((e) => statSync(join(modelsDir, e.file)).mtimeMs);
    const { stdout } = await build();
    expect(stdout).toMatch(/up to date/);
    expect(readFileSync(manifestPath).equals(before)).toBe(true);
    expect(Object.values(readManifest().models).map((e) => statSync(join(modelsDir, e.file)).mtimeMs)).toEqual(mtimes);
  });
});
