/**
 * Voice: 3-second real sentences to a speaker embedding, stage by stage (WAV decode, Silero
 * VAD, log-mel features, encoder) and end to end through VoiceEngine.embedAudio, with the
 * real-time factor (processing time / audio duration).
 */
import { readFileSync } from 'node:fs';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import type { OnnxHost } from '../core/runtime/onnx-host.js';
import { SpeakerEncoder } from '../core/voice/encoder.js';
import { VOICE_ENCODER_ID, VOICE_VAD_ID, VoiceEngine } from '../core/voice/engine.js';
import { logMel } from '../core/voice/features.js';
import { decodeWav } from '../core/voice/pcm.js';
import { resampleTo16k } from '../core/voice/resample.js';
import { VoiceActivityDetector } from '../core/voice/vad.js';
import { modelsDir, speechFiles } from './inputs.js';
import { summarize, type Summary } from './stats.js';
import { loadAverage, type Repetitions } from './timing.js';

export const VOICE_STAGES = ['decode', 'vad', 'features', 'encoder', 'total'] as const;
type VoiceStage = (typeof VOICE_STAGES)[number];

export interface VoiceBenchResult {
  readonly files: { label: string; seconds: number; speechSeconds: number }[];
  readonly embeddingDim: number;
  readonly stages: { stage: VoiceStage; ms: Summary }[];
  /** VoiceEngine.embedAudio end to end (its quality gates included). */
  readonly endToEnd: Summary;
  /** endToEnd median / audio duration. */
  readonly realTimeFactor: number;
  readonly loadAverage: [number, number, number];
}

export async function benchVoice(host: OnnxHost, reps: Repetitions, log: (line: string) => void): Promise<VoiceBenchResult | null> {
  const files = speechFiles(4).map((f) => ({ ...f, bytes: readFileSync(f.path) }));
  if (files.length === 0) return null;
  const registry = await ModelRegistry.open(modelsDir);
  const vad = await VoiceActivityDetector.create(host, await registry.pathOf(VOICE_VAD_ID));
  const encoder = await SpeakerEncoder.create(host, await registry.pathOf(VOICE_ENCODER_ID));
  const engine = await VoiceEngine.create({ host, modelsDir });

  const samples: Record<VoiceStage, number[]> = { decode: [], vad: [], features: [], encoder: [], total: [] };
  const endToEnd: number[] = [];
  const described: VoiceBenchResult['files'] = [];
  let embeddingDim = 0;
  let audioSeconds = 0;
  for (let round = 0; round < reps.warmup + reps.runs; round++) {
    log(`voice: round ${round + 1}/${reps.warmup + reps.runs}`);
    for (const f of files) {
      let t = performance.now();
      const pcm = decodeWav(f.bytes);
      const pcm16k = resampleTo16k(pcm.samples, pcm.sampleRate);
      const decode = performance.now() - t;
      t = performance.now();
      const kept = await vad.keepSpeech(pcm16k);
      const vadMs = performance.now() - t;
      t = performance.now();
      const features = logMel(kept.speech);
      const featuresMs = performance.now() - t;
      t = performance.now();
      const embedding = await encoder.embed(features);
      const encoderMs = performance.now() - t;
      t = performance.now();
      await engine.embedAudio(f.bytes);
      const whole = performance.now() - t;
      if (round === 0) {
        embeddingDim = embedding.length;
        const seconds = pcm.samples.length / pcm.sampleRate;
        audioSeconds += seconds;
        described.push({ label: f.label, seconds, speechSeconds: kept.speechSeconds });
      }
      if (round < reps.warmup) continue;
      samples.decode.push(decode);
      samples.vad.push(vadMs);
      samples.features.push(featuresMs);
      samples.encoder.push(encoderMs);
      samples.total.push(decode + vadMs + featuresMs + encoderMs);
      endToEnd.push(whole);
    }
  }
  const e2e = summarize(endToEnd);
  return {
    files: described,
    embeddingDim,
    stages: VOICE_STAGES.map((stage) => ({ stage, ms: summarize(samples[stage]) })),
    endToEnd: e2e,
    realTimeFactor: e2e.median / ((audioSeconds / files.length) * 1000),
    loadAverage: loadAverage(),
  };
}
