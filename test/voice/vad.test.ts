import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Silero } from '@ricky0123/vad-web/dist/models/silero.js';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/build/onnx/graph-builder.js';
import { isKioskError } from '../../src-main/core/errors.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { decodeWav } from '../../src-main/core/voice/pcm.js';
import {
  DEFAULT_VAD_OPTIONS,
  VAD_FRAME_SAMPLES,
  type VadOptions,
  VoiceActivityDetector,
  segmentsFromProbabilities,
} from '../../src-main/core/voice/vad.js';
import { SILERO_V5, gridDir, hasGrid, readBytes, sine, wavFiles, whiteNoise, withSilence } from './audio-helpers.js';

const F = VAD_FRAME_SAMPLES;

describe('segmentsFromProbabilities (hysteresis)', () => {
  // 32 ms frames: redemption 3 frames, min speech 2 frames, no padding, to reason frame by frame.
  const options: VadOptions = {
    positiveSpeechThreshold: 0.5,
    negativeSpeechThreshold: 0.3,
    redemptionMs: 96,
    minSpeechMs: 64,
    speechPadMs: 0,
  };

  it('opens on the first frame above the positive threshold and closes where silence began', () => {
    const probs = [0.1, 0.9, 0.8, 0.9, 0.1, 0.1, 0.1, 0.1];
    expect(segmentsFromProbabilities(probs, probs.length * F, options)).toEqual([{ start: 1 * F, end: 4 * F }]);
  });

  it('bridges silences shorter than the redemption time', () => {
    const probs = [0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1];
    expect(segmentsFromProbabilities(probs, probs.length * F, options)).toEqual([{ start: 0, end: 6 * F }]);
  });

  it('splits at silences that last the redemption time', () => {
    const probs = [0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.9];
    expect(segmentsFromProbabilities(probs, probs.length * F, options)).toEqual([
      { start: 0, end: 2 * F },
      { start: 5 * F, end: 7 * F },
    ]);
  });

  it('holds its state between the two thresholds', () => {
    // 0.4 neither opens a segment (below 0.5) nor counts as silence (above 0.3).
    expect(segmentsFromProbabilities([0.4, 0.4, 0.4], 3 * F, options)).toEqual([]);
    const probs = [0.9, 0.9, 0.4, 0.4, 0.4, 0.4, 0.1, 0.1, 0.1];
    expect(segmentsFromProbabilities(probs, probs.length * F, options)).toEqual([{ start: 0, end: 6 * F }]);
  });

  it('drops segments with fewer speech frames than the minimum (misfires)', () => {
    const probs = [0.1, 0.9, 0.1, 0.1, 0.1, 0.1];
    expect(segmentsFromProbabilities(probs, probs.length * F, options)).toEqual([]);
  });

  it('closes a segment still open at the end of the signal, clamped to its length', () => {
    expect(segmentsFromProbabilities([0.1, 0.9, 0.9], 2 * F + 100, options)).toEqual([{ start: F, end: 2 * F + 100 }]);
  });

  it('pads both sides and merges segments whose pads meet', () => {
    const padded = { ...options, speechPadMs: 64 }; // 1024 samples = 2 frames
    const probs = [0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1];
    expect(segmentsFromProbabilities(probs, probs.length * F, padded)).toEqual([{ start: 1 * F, end: 12 * F }]);
    expect(segmentsFromProbabilities([0.9, 0.9], 2 * F, padded)).toEqual([{ start: 0, end: 2 * F }]);
  });
});

describe('VoiceActivityDetector (Silero v5)', () => {
  const host = new OnnxHost();
  let vad: VoiceActivityDetector;
  beforeAll(async () => {
    vad = await VoiceActivityDetector.create(host, SILERO_V5);
  });
  afterAll(() => host.release());

  it('matches vad-web\'s own Silero runner frame by frame (state and 64-sample context carried)', async () => {
    const reference = await Silero.new(ort as never, async () => readFileSync(SILERO_V5).buffer as ArrayBuffer);
    // A chirp-like signal whose frames differ, so a dropped state or context changes the output.
    const signal = Float32Array.from({ length: 20 * F }, (_, i) => 0.3 * Math.sin(i * (0.02 + i * 1e-6)) * Math.sin(i / 700));
    const ours = await vad.frameProbabilities(signal);
    expect(ours.length).toBe(20);
    for (let f = 0; f < 20; f++) {
      const { isSpeech } = await reference.process(signal.slice(f * F, (f + 1) * F));
      expect(ours[f]).toBeCloseTo(isSpeech, 5);
    }
  });

  it('finds no speech in digital silence, white noise or a hum', async () => {
    const n = 3 * 16000;
    for (const signal of [new Float32Array(n), whiteNoise(n, 0.001), whiteNoise(n, 0.05, 7), whiteNoise(n, 0.5, 3), sine(50, 16000, 3, 0.3)]) {
      expect(await vad.speechSegments(signal)).toEqual([]);
    }
  });

  it('refuses a model that is not Silero v5 with MODEL_CORRUPT', async () => {
    const g = new GraphBuilder('not-vad');
    g.output(g.node('Identity', [g.input('x', [1])], {}, 'y'), [1]);
    const path = join(mkdtempSync(join(tmpdir(), 'vad-')), 'other.onnx');
    writeFileSync(path, g.toModel({ producer: 'test' }));
    const error = await VoiceActivityDetector.create(host, path).catch((e: unknown) => e);
    expect(isKioskError(error, 'MODEL_CORRUPT')).toBe(true);
  });

  describe.skipIf(!hasGrid)('on real speech (GRID)', () => {
    const clips = hasGrid ? ['s1', 'p03', 'p07'].map((p) => wavFiles(`${gridDir}/${p}`)[0]!) : [];

    it('finds the speech of a real clip padded with 1 s of silence, inside the padding', async () => {
      const pad = 16000;
      for (const path of clips) {
        const clip = decodeWav(readBytes(path)).samples;
        const signal = withSilence(clip, pad, pad);
        const segments = await vad.speechSegments(signal);
        expect(segments.length).toBeGreaterThan(0);
        const tolerance = (DEFAULT_VAD_OPTIONS.speechPadMs / 1000) * 16000 + F;
        expect(segments[0]!.start).toBeGreaterThanOrEqual(pad - tolerance);
        expect(segments.at(-1)!.end).toBeLessThanOrEqual(pad + clip.length + tolerance);
        const seconds = segments.reduce((s, g) => s + g.end - g.start, 0) / 16000;
        // A GRID sentence is six words spoken within its 3 s clip.
        expect(seconds).toBeGreaterThan(1);
        expect(seconds).toBeLessThan(clip.length / 16000);
      }
    });

    it('keepSpeech returns exactly the samples of the segments, concatenated', async () => {
      const signal = withSilence(decodeWav(readBytes(clips[0]!)).samples, 16000, 16000);
      const kept = await vad.keepSpeech(signal);
      const expected = kept.segments.flatMap((s) => Array.from(signal.subarray(s.start, s.end)));
      expect(Array.from(kept.speech)).toEqual(expected);
      expect(kept.speechSeconds).toBe(expected.length / 16000);
    });

    it('finds the same speech in a recording 60 dB quieter (level is the quality gate\'s business)', async () => {
      const clip = decodeWav(readBytes(clips[1]!)).samples;
      const loud = await vad.speechSegments(clip);
      const quiet = await vad.speechSegments(clip.map((v) => v * 0.001));
      expect(quiet.length).toBeGreaterThan(0);
      const total = (s: typeof loud): number => s.reduce((n, g) => n + g.end - g.start, 0);
      expect(Math.abs(total(quiet) - total(loud))).toBeLessThanOrEqual(2 * F);
    });

    it('finds no speech in white noise as loud as the speech', async () => {
      const clip = decodeWav(readBytes(clips[2]!)).samples;
      let energy = 0;
      for (const v of clip) energy += v * v;
      const rms = Math.sqrt(energy / clip.length);
      expect(await vad.speechSegments(whiteNoise(clip.length, rms * Math.sqrt(3), 11))).toEqual([]);
    });
  });
});
