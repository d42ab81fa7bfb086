/**
 * VoiceEngine end to end with the real Silero VAD and a stand-in encoder built with
 * GraphBuilder (mean over frames, then L2 norm), whose output can be computed
 * independently: it must equal the normalised mean log-mel of the same kept speech. The
 * trained encoder is exercised in engine-trained.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/build/onnx/graph-builder.js';
import { isKioskError } from '../../src-main/core/errors.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { VoiceEngine, type VoiceEngineOptions } from '../../src-main/core/voice/engine.js';
import { decodeWav } from '../../src-main/core/voice/pcm.js';
import { resample } from '../../src-main/core/voice/resample.js';
import { enrollmentTemplate } from '../../src-main/core/voice/template.js';
import { VoiceActivityDetector } from '../../src-main/core/voice/vad.js';
import { SILERO_V5, buildWav, fsddDir, gridDir, hasFsdd, hasGrid, readBytes, wavFiles, whiteNoise } from './audio-helpers.js';

const NMELS = 64;

function writeMeanPoolEncoder(dir: string): string {
  const g = new GraphBuilder('mean-pool-voice-encoder');
  const features = g.input('features', [1, 'T', NMELS]);
  const mean = g.node('ReduceMean', [features], { axes: [1], keepdims: 0 });
  g.output(g.node('LpNormalization', [mean], { axis: 1, p: 2 }, 'embedding'), [1, NMELS]);
  const path = join(dir, 'mean-pool.onnx');
  writeFileSync(path, g.toModel({ producer: 'voice engine test' }));
  return path;
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return isKioskError(e) ? e.code : `not a KioskError: ${String(e)}`;
  }
  return 'no error';
}

const unit = (v: Float32Array): Float32Array => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

const host = new OnnxHost();
const dir = mkdtempSync(join(tmpdir(), 'voice-engine-'));
const encoderPath = writeMeanPoolEncoder(dir);
const options: VoiceEngineOptions = { host, modelsDir: dir, vadPath: SILERO_V5, encoderPath };
let engine: VoiceEngine;

beforeAll(async () => {
  engine = await VoiceEngine.create(options);
});
afterAll(() => host.release());

describe('VoiceEngine: bad input gets typed errors', () => {
  it('NaN samples -> BAD_AUDIO', async () => {
    const pcm = new Float32Array(16000).fill(0.1);
    pcm[123] = Number.NaN;
    expect(await errorCode(engine.embedPcm(pcm, 16000))).toBe('BAD_AUDIO');
  });
  it('a wrong sample format or sample rate -> BAD_AUDIO', async () => {
    expect(await errorCode(engine.embedPcm(new Int16Array(16000) as unknown as Float32Array, 16000))).toBe('BAD_AUDIO');
    expect(await errorCode(engine.embedPcm(new Float32Array(16000), 0))).toBe('BAD_AUDIO');
    expect(await errorCode(engine.embedPcm(new Float32Array(16000), 44100.5))).toBe('BAD_AUDIO');
  });
  it('oversized input -> PAYLOAD_TOO_LARGE', async () => {
    expect(await errorCode(engine.embedPcm(new Float32Array(48000 * 31), 48000))).toBe('PAYLOAD_TOO_LARGE');
  });
  it('zero bytes -> EMPTY_INPUT; an empty sample array -> EMPTY_INPUT', async () => {
    expect(await errorCode(engine.embedAudio(new Uint8Array(0)))).toBe('EMPTY_INPUT');
    expect(await errorCode(engine.embedPcm(new Float32Array(0), 16000))).toBe('EMPTY_INPUT');
  });
  it('a corrupt WAV header -> CORRUPT_AUDIO', async () => {
    const wav = buildWav({ data: new Uint8Array(3200) });
    wav.set([0, 0, 0, 0], 8); // "WAVE" wiped
    expect(await errorCode(engine.embedAudio(wav))).toBe('CORRUPT_AUDIO');
  });
  it('silence and noise -> NO_SPEECH (also for the baseline)', async () => {
    expect(await errorCode(engine.embedPcm(new Float32Array(3 * 16000), 16000))).toBe('NO_SPEECH');
    expect(await errorCode(engine.embedPcm(whiteNoise(3 * 48000, 0.05), 48000))).toBe('NO_SPEECH');
    expect(await errorCode(engine.meanLogMel(new Float32Array(3 * 16000), 16000))).toBe('NO_SPEECH');
  });
  it('a crop that is not a positive number of seconds -> INVALID_INPUT', async () => {
    expect(await errorCode(engine.embedPcm(new Float32Array(16000), 16000, { cropSeconds: 0 }))).toBe('INVALID_INPUT');
  });
});

describe('VoiceEngine: models', () => {
  it('a missing encoder file -> MODEL_MISSING; a models folder without a manifest -> MODEL_MISSING', async () => {
    expect(await errorCode(VoiceEngine.create({ ...options, encoderPath: join(dir, 'absent.onnx') }))).toBe('MODEL_MISSING');
    expect(await errorCode(VoiceEngine.create({ host, modelsDir: dir }))).toBe('MODEL_MISSING');
  });
  it('a model that is not a voice encoder -> MODEL_CORRUPT', async () => {
    expect(await errorCode(VoiceEngine.create({ ...options, encoderPath: SILERO_V5 }))).toBe('MODEL_CORRUPT');
  });
});

describe.skipIf(!hasGrid)('VoiceEngine on real speech (GRID)', () => {
  const clipPath = hasGrid ? wavFiles(`${gridDir}/s1`)[1]! : '';
  const clip = hasGrid ? decodeWav(readBytes(clipPath)).samples : new Float32Array(0);

  it('embeds the kept speech: unit norm, equal to the normalised mean log-mel of the same speech', async () => {
    const sample = await engine.embedPcm(clip, 16000);
    expect(sample.embedding.length).toBe(NMELS);
    expect(Math.hypot(...sample.embedding)).toBeCloseTo(1, 5);
    const baseline = unit(await engine.meanLogMel(clip, 16000));
    for (let i = 0; i < NMELS; i++) expect(sample.embedding[i]).toBeCloseTo(baseline[i]!, 5);
    const vad = await VoiceActivityDetector.create(host, SILERO_V5);
    const kept = await vad.keepSpeech(clip);
    expect(sample.speechSeconds).toBe(kept.speechSeconds);
    expect(sample.quality.speechSeconds).toBe(kept.speechSeconds);
    expect(sample.quality.clippedFraction).toBeLessThan(0.001);
    expect(sample.quality.speechDbfs).toBeGreaterThan(-30);
  });

  it('embedAudio equals embedPcm of the decoded file', async () => {
    const fromWav = await engine.embedAudio(readBytes(clipPath));
    const fromPcm = await engine.embedPcm(clip, 16000);
    expect(Array.from(fromWav.embedding)).toEqual(Array.from(fromPcm.embedding));
  });

  it('treats the clip delivered at 48 kHz like the clip at 16 kHz', async () => {
    const at48 = resample(clip, 16000, 48000);
    const [sample16, sample48] = await Promise.all([engine.embedPcm(clip, 16000), engine.embedPcm(at48, 48000)]);
    // The detector may flip one borderline 32 ms frame after the round trip.
    expect(Math.round(Math.abs(sample48.speechSeconds - sample16.speechSeconds) * 16000)).toBeLessThanOrEqual(512);
    const [mean16, mean48] = await Promise.all([engine.meanLogMel(clip, 16000), engine.meanLogMel(at48, 48000)]);
    // Bands 0-61 end below 7 kHz, inside the resampler's flat pass band (the top two reach
    // its transition band, crossed twice by the round trip). A flipped frame moves a band's
    // mean by a few tenths of a nat; 48 kHz samples read as 16 kHz move the bands by 4-5 on average.
    for (let m = 0; m < 62; m++) expect(Math.abs(mean48[m]! - mean16[m]!)).toBeLessThan(0.5);
  });

  it('embeds only the first cropSeconds of speech when asked', async () => {
    const full = await engine.embedPcm(clip, 16000);
    const cropped = await engine.embedPcm(clip, 16000, { cropSeconds: 1 });
    expect(cropped.speechSeconds).toBe(1);
    expect(cropped.quality).toEqual(full.quality);
    expect(dot(cropped.embedding, full.embedding)).toBeLessThan(1 - 1e-6);
  });

  it('runs concurrent calls independently (per-call VAD state)', async () => {
    const other = decodeWav(readBytes(wavFiles(`${gridDir}/p03`)[0]!)).samples;
    const [a, b] = await Promise.all([engine.embedPcm(clip, 16000), engine.embedPcm(other, 16000)]);
    expect(Array.from(a.embedding)).toEqual(Array.from((await engine.embedPcm(clip, 16000)).embedding));
    expect(Array.from(b.embedding)).toEqual(Array.from((await engine.embedPcm(other, 16000)).embedding));
  });

  it('0.5 s of speech cut from a real clip -> SPEECH_TOO_SHORT, unless the caller lowers the minimum', async () => {
    const vad = await VoiceActivityDetector.create(host, SILERO_V5);
    const [first] = await vad.speechSegments(clip);
    const cut = clip.slice(first!.start, first!.start + 8000);
    expect(await errorCode(engine.embedPcm(cut, 16000))).toBe('SPEECH_TOO_SHORT');
    const relaxed = await engine.embedPcm(cut, 16000, { quality: { minSpeechSeconds: 0.25 } });
    expect(relaxed.speechSeconds).toBeGreaterThan(0.25);
    expect(relaxed.speechSeconds).toBeLessThanOrEqual(0.5);
  });

  it('a real clip amplified x20 and hard-clipped -> CLIPPING', async () => {
    const loud = clip.map((v) => Math.max(-1, Math.min(1, v * 20)));
    expect(await errorCode(engine.embedPcm(loud, 16000))).toBe('CLIPPING');
  });

  it('a real clip x0.001 -> TOO_QUIET', async () => {
    expect(await errorCode(engine.embedPcm(clip.map((v) => v * 0.001), 16000))).toBe('TOO_QUIET');
  });

  it('builds the enrollment template with the shared rule', async () => {
    const a = (await engine.embedPcm(clip, 16000)).embedding;
    const b = (await engine.embedPcm(clip, 16000, { cropSeconds: 1 })).embedding;
    expect(Array.from(engine.enrollmentTemplate([a, b]))).toEqual(Array.from(enrollmentTemplate([a, b])));
  });
});

describe.skipIf(!hasFsdd)('VoiceEngine on 8 kHz speech (FSDD)', () => {
  it('embeds an 8 kHz WAV digit once the minimum speech is lowered to its length', async () => {
    const bytes = readBytes(wavFiles(`${fsddDir}/jackson`)[0]!);
    expect(await errorCode(engine.embedAudio(bytes))).toBe('SPEECH_TOO_SHORT');
    const sample = await engine.embedAudio(bytes, { quality: { minSpeechSeconds: 0.1 } });
    expect(Math.hypot(...sample.embedding)).toBeCloseTo(1, 5);
    expect(sample.speechSeconds).toBeGreaterThan(0.1);
  });
});
