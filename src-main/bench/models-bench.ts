/**
 * Each model on its own: MACs per inference (flops.ts), time per inference at each CPU thread
 * setting, the achieved MACs/s and its fraction of the measured peak (a 512^3 MatMul at the
 * same thread setting, timed in the same rounds). Also which execution provider loads: CUDA
 * is tried and, where it cannot load, onnxruntime's reason is reported.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../core/face/decode.js';
import { squareResize } from '../core/face/resize.js';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import { OnnxHost } from '../core/runtime/onnx-host.js';
import { VOICE_ENCODER_ID, VOICE_VAD_ID } from '../core/voice/engine.js';
import { logMel } from '../core/voice/features.js';
import { decodeWav } from '../core/voice/pcm.js';
import { resampleTo16k } from '../core/voice/resample.js';
import { FACE_MODEL_IDS } from '../core/face/engine.js';
import { countModelFlops, type ModelFlops } from './flops.js';
import { faceInputs, modelsDir, speechFiles } from './inputs.js';
import { matMulModel } from './onnx-writer.js';
import { summarize, type Summary } from './stats.js';
import { interleaved, loadAverage, measure, type Repetitions } from './timing.js';

type Feeds = Record<string, ort.Tensor>;

interface ModelCase {
  readonly id: string;
  readonly input: string;
  readonly path: string;
  readonly feeds: () => Feeds;
}

export interface ThreadTiming {
  readonly intraOpThreads: number;
  readonly ms: Summary;
  /** MACs / median time. */
  readonly macsPerSecond: number;
  /** macsPerSecond / the peak MatMul's at the same setting. */
  readonly fractionOfPeak: number;
}

export interface ModelRow {
  readonly id: string;
  readonly input: string;
  readonly flops: ModelFlops;
  readonly timings: ThreadTiming[];
}

export interface ModelsBenchResult {
  readonly peak: { size: number; timings: ThreadTiming[] };
  readonly models: ModelRow[];
  readonly threadSettings: number[];
  /** Where CUDA loads, each model timed on it too. */
  readonly cuda: { provider: string; skipped: { provider: string; reason: string }[]; timings: { id: string; ms: Summary }[] };
  readonly loadAverage: [number, number, number];
}

/** 512: three 1 MiB matrices stay in cache, so the figure is arithmetic, not memory, throughput. */
const PEAK_SIZE = 512;
/** 0 = onnxruntime's default (one thread per physical core), what the kiosk runs with. */
export const THREAD_SETTINGS = [1, 2, 0];

const tensor = (data: Float32Array, dims: number[]): ort.Tensor => new ort.Tensor('float32', data, dims);

async function modelCases(): Promise<ModelCase[]> {
  const registry = await ModelRegistry.open(modelsDir);
  const photo = decodeImage(readFileSync(faceInputs().framePhoto.path));
  const detectorInput = squareResize(photo, 512, false);
  const landmarksInput = squareResize(photo, 112, true);
  const chip = squareResize(photo, 150, true);
  const speech = speechFiles(1)[0];
  let pcm16k: Float32Array;
  if (speech) {
    const wav = decodeWav(readFileSync(speech.path));
    pcm16k = resampleTo16k(wav.samples, wav.sampleRate);
  } else {
    // Without recordings the encoder's cost is the same on any 3 s of audio: a chirp.
    pcm16k = Float32Array.from({ length: 48_000 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * (200 + i / 40) * (i / 16_000)));
  }
  const features = logMel(pcm16k);
  const vadWindow = pcm16k.slice(8_000, 8_000 + 576);
  return [
    { id: FACE_MODEL_IDS.detector, input: '1x512x512x3', path: await registry.pathOf(FACE_MODEL_IDS.detector), feeds: () => ({ image: tensor(detectorInput, [1, 512, 512, 3]) }) },
    { id: FACE_MODEL_IDS.landmarks, input: '1x112x112x3', path: await registry.pathOf(FACE_MODEL_IDS.landmarks), feeds: () => ({ image: tensor(landmarksInput, [1, 112, 112, 3]) }) },
    { id: FACE_MODEL_IDS.encoder, input: '1x150x150x3', path: await registry.pathOf(FACE_MODEL_IDS.encoder), feeds: () => ({ image: tensor(chip, [1, 150, 150, 3]) }) },
    {
      id: VOICE_ENCODER_ID,
      input: `1x${features.frames}x${features.mels} (3 s)`,
      path: await registry.pathOf(VOICE_ENCODER_ID),
      feeds: () => ({ features: tensor(features.data, [1, features.frames, features.mels]) }),
    },
    {
      id: VOICE_VAD_ID,
      input: '1x576 (one 32 ms frame)',
      path: await registry.pathOf(VOICE_VAD_ID),
      feeds: () => ({
        input: tensor(vadWindow, [1, 576]),
        state: tensor(new Float32Array(256), [2, 1, 128]),
        sr: new ort.Tensor('int64', BigInt64Array.from([16_000n]), []),
      }),
    },
  ];
}

export async function benchModels(reps: Repetitions, log: (line: string) => void): Promise<ModelsBenchResult> {
  const cases = await modelCases();
  log('models: counting MACs from the graphs');
  const flops = new Map<string, ModelFlops>();
  for (const c of cases) flops.set(c.id, await countModelFlops(c.id, c.path, c.feeds()));

  const peakWeights = Float32Array.from({ length: PEAK_SIZE * PEAK_SIZE }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const peakModel = matMulModel(PEAK_SIZE, peakWeights);
  const peakInput = tensor(peakWeights.slice(), [PEAK_SIZE, PEAK_SIZE]);
  log(`models: timing ${cases.length} models and the peak MatMul at intraOpThreads ${THREAD_SETTINGS.join(', ')} (0 = default)`);
  // One block per setting with only that setting's sessions alive, as the kiosk runs (every
  // session alike): idle thread pools of another setting would spin and steal the cores.
  // The settings run forwards, then backwards, half the runs each, so load drift cancels.
  const samples: Record<string, number[]> = {};
  const half = { warmup: reps.warmup, runs: Math.ceil(reps.runs / 2) };
  for (const t of [...THREAD_SETTINGS, ...[...THREAD_SETTINGS].reverse()]) {
    const host = new OnnxHost({ intraOpThreads: t });
    const peak = await ort.InferenceSession.create(peakModel, { intraOpNumThreads: t, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    try {
      const candidates: Record<string, () => Promise<unknown>> = { [`peak/${t}`]: () => peak.run({ a: peakInput }) };
      for (const c of cases) {
        const { session } = await host.load(c.path);
        const feeds = c.feeds();
        candidates[`${c.id}/${t}`] = () => session.run(feeds);
      }
      for (const [key, values] of Object.entries(await interleaved(candidates, half))) (samples[key] ??= []).push(...values);
    } finally {
      await Promise.all([host.release(), peak.release()]);
    }
  }
  const rate = (key: string, macs: number): { ms: Summary; macsPerSecond: number } => {
    const ms = summarize(samples[key]!);
    return { ms, macsPerSecond: macs / (ms.median / 1000) };
  };
  const peakRate = new Map(THREAD_SETTINGS.map((t) => [t, rate(`peak/${t}`, PEAK_SIZE ** 3)] as const));
  const timing = (id: string, macs: number, t: number): ThreadTiming => {
    const r = rate(`${id}/${t}`, macs);
    return { intraOpThreads: t, ...r, fractionOfPeak: r.macsPerSecond / peakRate.get(t)!.macsPerSecond };
  };
  return {
    peak: { size: PEAK_SIZE, timings: THREAD_SETTINGS.map((t) => timing('peak', PEAK_SIZE ** 3, t)) },
    models: cases.map((c) => ({ id: c.id, input: c.input, flops: flops.get(c.id)!, timings: THREAD_SETTINGS.map((t) => timing(c.id, flops.get(c.id)!.macs, t)) })),
    threadSettings: THREAD_SETTINGS,
    cuda: await benchCuda(cases, reps),
    loadAverage: loadAverage(),
  };
}

/** Tries the CUDA provider; where it loads (a GPU machine with the CUDA build of onnxruntime), times each model on it. */
async function benchCuda(cases: readonly ModelCase[], reps: Repetitions): Promise<ModelsBenchResult['cuda']> {
  const host = new OnnxHost({ providers: ['cuda'] });
  try {
    const first = await host.load(cases[0]!.path);
    const skipped = first.skipped.map((s) => ({ provider: s.provider, reason: s.reason.split('\n')[0]!.slice(0, 300) }));
    if (first.provider !== 'cuda') return { provider: first.provider, skipped, timings: [] };
    const timings: { id: string; ms: Summary }[] = [];
    for (const c of cases) {
      const { session } = await host.load(c.path);
      const feeds = c.feeds();
      timings.push({ id: c.id, ms: await measure(() => session.run(feeds), reps) });
    }
    return { provider: 'cuda', skipped, timings };
  } finally {
    await host.release();
  }
}
