import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { loadFrontendConfig } from '../../src-main/core/voice/features.js';
import { repoRoot } from '../helpers/paths.js';

interface EncoderCase {
  name: string;
  frames: number;
  mels: number;
  features: number[];
  embedding: number[];
}

interface EncoderFixture {
  onnxSha256: string;
  embeddingDim: number;
  cases: EncoderCase[];
}

/** The kiosk's encoder (v2; v1 is in the history), checked against the embeddings torch computed at export. */
const encoders = [['models/voice-encoder.onnx', 'test/fixtures/voice/encoder-fixture.json']].filter(([model]) => existsSync(resolve(repoRoot, model!)));

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe.each(encoders)('voice encoder ONNX parity with torch: %s', (modelFile, fixtureFile) => {
  const modelPath = resolve(repoRoot, modelFile!);
  const fixture = JSON.parse(readFileSync(resolve(repoRoot, fixtureFile!), 'utf8')) as EncoderFixture;
  const host = new OnnxHost();
  let session: ort.InferenceSession;

  async function embed(features: Float32Array, frames: number, mels: number): Promise<Float32Array> {
    const out = await session.run({ features: new ort.Tensor('float32', features, [1, frames, mels]) });
    const embedding = out['embedding'];
    if (!embedding) throw new Error('no "embedding" output');
    expect(embedding.dims).toEqual([1, fixture.embeddingDim]);
    return embedding.data as Float32Array;
  }

  beforeAll(async () => {
    session = (await host.load(modelPath)).session;
  });
  afterAll(() => host.release());

  it('is the exact file the fixture was exported with', () => {
    const digest = createHash('sha256').update(readFileSync(modelPath)).digest('hex');
    expect(digest).toBe(fixture.onnxSha256);
  });

  it('declares features [1, T, nMels] in and embedding out', () => {
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['embedding']);
    const input = session.inputMetadata[0];
    expect(input?.isTensor && input.shape[2]).toBe(loadFrontendConfig().nMels);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('reproduces torch on %s to 1e-4', async (_, c) => {
    const got = await embed(Float32Array.from(c.features), c.frames, c.mels);
    expect(maxAbsDiff(got, c.embedding)).toBeLessThanOrEqual(1e-4);
    const norm = Math.hypot(...got);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('ignores a constant per-band offset (mean normalisation happens inside the model)', async () => {
    const c = fixture.cases[0]!;
    const base = Float32Array.from(c.features);
    const shifted = base.map((v, i) => v + 0.5 + 0.05 * (i % c.mels));
    const a = await embed(base, c.frames, c.mels);
    const b = await embed(shifted, c.frames, c.mels);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
  });
});
