/**
 * The shipped voice models through the engine, resolved by the model manifest as the
 * kiosk resolves them. Skips while the trained encoder is not in the manifest yet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { VOICE_ENCODER_ID, VOICE_VAD_ID, VoiceEngine } from '../../src-main/core/voice/engine.js';
import { repoRoot } from '../helpers/paths.js';
import { gridDir, hasGrid, readBytes, wavFiles } from './audio-helpers.js';

const modelsDir = join(repoRoot, 'models');
const listed = ((): string[] => {
  try {
    return Object.keys(JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')).models);
  } catch {
    return [];
  }
})();
const hasModels = listed.includes(VOICE_ENCODER_ID) && listed.includes(VOICE_VAD_ID);
if (!hasModels) console.warn('[tests] models/manifest.json lists no trained voice encoder yet: trained-encoder tests are skipped.');

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe.skipIf(!hasModels || !hasGrid)('VoiceEngine with the trained encoder (GRID speakers)', () => {
  const host = new OnnxHost();
  let engine: VoiceEngine;
  const embeddings = new Map<string, Float32Array[]>();

  beforeAll(async () => {
    engine = await VoiceEngine.create({ host, modelsDir });
    for (const speaker of ['s1', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08', 'p09', 'p10']) {
      const files = wavFiles(join(gridDir, speaker)).slice(0, 4);
      embeddings.set(speaker, await Promise.all(files.map(async (f) => (await engine.embedAudio(readBytes(f))).embedding)));
    }
  });
  afterAll(() => host.release());

  it('produces deterministic unit-norm embeddings', async () => {
    const file = wavFiles(join(gridDir, 's1'))[0]!;
    const again = (await engine.embedAudio(readBytes(file))).embedding;
    expect(Array.from(again)).toEqual(Array.from(embeddings.get('s1')![0]!));
    for (const list of embeddings.values()) for (const e of list) expect(Math.hypot(...e)).toBeCloseTo(1, 4);
  });

  it('scores clips of the same speaker higher, on average, than clips of other speakers', () => {
    const own = embeddings.get('s1')!;
    const genuine: number[] = [];
    for (let i = 0; i < own.length; i++) for (let j = i + 1; j < own.length; j++) genuine.push(dot(own[i]!, own[j]!));
    const impostor: number[] = [];
    for (const [speaker, list] of embeddings) {
      if (speaker === 's1') continue;
      for (const e of list) for (const o of own) impostor.push(dot(e, o));
    }
    expect(mean(genuine)).toBeGreaterThan(mean(impostor));
  });
});
