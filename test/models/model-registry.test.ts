import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKioskError, type KioskError } from '../../src-main/core/errors.js';
import { CALIBRATION_FORMAT, readCalibration } from '../../src-main/core/match/impostor-calibration.js';
import { ModelRegistry, type ModelEntry } from '../../src-main/core/runtime/model-registry.js';

const MODEL_BYTES = Buffer.from('not really an onnx model, but bytes with a known hash');

function entry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: 'tiny',
    file: 'tiny.onnx',
    sha256: createHash('sha256').update(MODEL_BYTES).digest('hex'),
    bytes: MODEL_BYTES.length,
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 2] }],
    preprocessing: { text: 'none', values: {} },
    source: { text: 'test fixture' },
    licence: 'MIT',
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<KioskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKioskError(error)) throw new Error(`expected a KioskError, got ${String(error)}`);
  return error;
}

describe('ModelRegistry', () => {
  let dir: string;
  const writeManifest = (models: Record<string, ModelEntry>): void =>
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ schemaVersion: 1, generatedBy: 'test', models }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-registry-'));
    writeFileSync(join(dir, 'tiny.onnx'), MODEL_BYTES);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("checks a model's calibration table against the manifest, and the table against the model it was measured on", async () => {
    const model = entry();
    const table = JSON.stringify({
      format: CALIBRATION_FORMAT,
      model: { id: model.id, sha256: model.sha256 },
      energy: 'cosine',
      source: { data: 'test', command: 'test', identities: 2, files: 2, impostorComparisons: 100 },
      tail: [{ fmr: 0.1, score: 0.2 }, { fmr: 0.01, score: 0.5 }],
    });
    writeFileSync(join(dir, 'tiny.calibration.json'), table);
    const calibration = { file: 'tiny.calibration.json', sha256: createHash('sha256').update(table).digest('hex') };
    writeManifest({ tiny: entry({ calibration }) });
    const path = await (await ModelRegistry.open(dir)).calibrationPathOf('tiny');
    expect(path).toBe(join(dir, 'tiny.calibration.json'));
    expect((await readCalibration(path!, { id: model.id, sha256: model.sha256 })).tail).toHaveLength(2);
    expect((await failure(readCalibration(path!, { id: model.id, sha256: 'f'.repeat(64) }))).code).toBe('MODEL_CORRUPT');

    writeManifest({ tiny: entry() });
    expect(await (await ModelRegistry.open(dir)).calibrationPathOf('tiny')).toBeNull();
    writeManifest({ tiny: entry({ calibration: { ...calibration, sha256: 'e'.repeat(64) } }) });
    expect((await failure((await ModelRegistry.open(dir)).calibrationPathOf('tiny'))).code).toBe('MODEL_CORRUPT');
    unlinkSync(join(dir, 'tiny.calibration.json'));
    writeManifest({ tiny: entry({ calibration }) });
    expect((await failure((await ModelRegistry.open(dir)).calibrationPathOf('tiny'))).code).toBe('MODEL_MISSING');
  });

  it('returns the verified path and manifest entry of a model whose file matches its sha256', async () => {
    writeManifest({ tiny: entry() });
    const registry = await ModelRegistry.open(dir);
    expect(registry.ids()).toEqual(['tiny']);
    expect(registry.entry('tiny').inputs[0]!.name).toBe('x');
    expect(await registry.pathOf('tiny')).toBe(join(dir, 'tiny.onnx'));
  });

  it('MODEL_MISSING when the manifest is absent', async () => {
    const error = await failure(ModelRegistry.open(dir));
    expect(error.code).toBe('MODEL_MISSING');
    expect(error.message).toContain(join(dir, 'manifest.json'));
  });

  it('MODEL_CORRUPT when the manifest is not valid JSON or not a manifest', async () => {
    writeFileSync(join(dir, 'manifest.json'), '{ "schemaVersion": 1, ');
    expect((await failure(ModelRegistry.open(dir))).code).toBe('MODEL_CORRUPT');
    writeManifest({ tiny: entry({ sha256: 'abc' }) });
    expect((await failure(ModelRegistry.open(dir))).code).toBe('MODEL_CORRUPT');
  });

  it('MODEL_MISSING, naming the file, when a listed model file is absent', async () => {
    writeManifest({ tiny: entry() });
    unlinkSync(join(dir, 'tiny.onnx'));
    const registry = await ModelRegistry.open(dir);
    const error = await failure(registry.pathOf('tiny'));
    expect(error.code).toBe('MODEL_MISSING');
    expect(error.message).toContain(join(dir, 'tiny.onnx'));
  });

  it('MODEL_MISSING for an id the manifest does not list', async () => {
    writeManifest({ tiny: entry() });
    const registry = await ModelRegistry.open(dir);
    expect(() => registry.entry('nope')).toThrow(expect.objectContaining({ code: 'MODEL_MISSING' }));
    expect((await failure(registry.pathOf('nope'))).code).toBe('MODEL_MISSING');
  });

  it('MODEL_CORRUPT, naming the file, when its bytes differ from the manifest sha256', async () => {
    writeManifest({ tiny: entry() });
    const tampered = Buffer.from(MODEL_BYTES);
    tampered[0] = tampered[0]! ^ 1;
    writeFileSync(join(dir, 'tiny.onnx'), tampered);
    const registry = await ModelRegistry.open(dir);
    const error = await failure(registry.pathOf('tiny'));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toContain(join(dir, 'tiny.onnx'));
  });

  it('retries verification after a failure, so a repaired file is accepted', async () => {
    writeManifest({ tiny: entry() });
    unlinkSync(join(dir, 'tiny.onnx'));
    const registry = await ModelRegistry.open(dir);
    expect((await failure(registry.pathOf('tiny'))).code).toBe('MODEL_MISSING');
    writeFileSync(join(dir, 'tiny.onnx'), MODEL_BYTES);
    expect(await registry.pathOf('tiny')).toBe(join(dir, 'tiny.onnx'));
  });
});
