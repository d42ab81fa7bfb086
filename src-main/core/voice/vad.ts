/**
 * Voice activity detection with Silero VAD v5 (the model @ricky0123/vad-web ships), run
 * the way vad-web's `Silero` class runs it: 512-sample frames at 16 kHz, each prefixed
 * with the last 64 samples of the previous frame, and the recurrent state carried from
 * frame to frame. Frame probabilities become segments with hysteresis, like vad-web's
 * frame processor, but with tight padding: the kiosk keeps speech, not whole utterances.
 *
 * Silero misses speech recorded 50-60 dB below full scale, yet "too quiet" is a verdict
 * for the quality gate to give, with its own message; so the detector looks at a
 * gain-normalised copy and the segments are cut from the signal as it came.
 */
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { VOICE_SAMPLE_RATE } from './resample.js';

export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const STATE_DIMS = [2, 1, 128] as const;
/** Quiet input is amplified to this peak before detection (loud input is left as is). */
const DETECTION_PEAK = 0.5;
/** Below this peak (-80 dBFS, a few LSB of 16-bit audio) the input is silence: no gain. */
const SILENCE_PEAK = 1e-4;

/** A stretch of speech in 16 kHz samples: [start, end). */
export interface Segment {
  readonly start: number;
  readonly end: number;
}

export interface VadOptions {
  /** A frame at or above this probability is speech; it opens a segment. */
  readonly positiveSpeechThreshold: number;
  /** Only frames below this probability count as silence; in between, the state holds. */
  readonly negativeSpeechThreshold: number;
  /** Silence that must last this long before a segment closes (vad-web's "redemption"). */
  readonly redemptionMs: number;
  /** Segments with fewer speech frames than this are dropped as misfires. */
  readonly minSpeechMs: number;
  /** Kept on both sides of each segment so word onsets and tails are not cut. */
  readonly speechPadMs: number;
}

/** Silero's own recommended thresholds (0.5 / 0.35) with short gaps and pads. */
export const DEFAULT_VAD_OPTIONS: VadOptions = {
  positiveSpeechThreshold: 0.5,
  negativeSpeechThreshold: 0.35,
  redemptionMs: 256,
  minSpeechMs: 250,
  speechPadMs: 64,
};

export interface KeptSpeech {
  /** The speech segments concatenated. */
  readonly speech: Float32Array;
  readonly speechSeconds: number;
  readonly segments: readonly Segment[];
}

export class VoiceActivityDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: VadOptions,
  ) {}

  static async create(host: OnnxHost, modelPath: string, options: Partial<VadOptions> = {}): Promise<VoiceActivityDetector> {
    const { session } = await host.load(modelPath);
    const expected = { inputs: ['input', 'state', 'sr'], outputs: ['output', 'stateN'] };
    const missing = [
      ...expected.inputs.filter((n) => !session.inputNames.includes(n)),
      ...expected.outputs.filter((n) => !session.outputNames.includes(n)),
    ];
    if (missing.length > 0) {
      throw new KioskError('MODEL_CORRUPT', `${modelPath} is not a Silero VAD v5 model (missing ${missing.join(', ')}).`, {
        path: modelPath,
      });
    }
    return new VoiceActivityDetector(session, { ...DEFAULT_VAD_OPTIONS, ...options });
  }

  /** Speech probability of each 512-sample frame (the last frame zero-padded). */
  async frameProbabilities(pcm16k: Float32Array): Promise<Float32Array> {
    const frames = Math.ceil(pcm16k.length / VAD_FRAME_SAMPLES);
    const probs = new Float32Array(frames);
    // Per-call state: concurrent calls on one detector never share a recurrence.
    let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(STATE_DIMS[0] * STATE_DIMS[1] * STATE_DIMS[2]), STATE_DIMS);
    const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VOICE_SAMPLE_RATE)]), []);
    const window = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
    for (let f = 0; f < frames; f++) {
      const frame = pcm16k.subarray(f * VAD_FRAME_SAMPLES, (f + 1) * VAD_FRAME_SAMPLES);
      // window = [context | frame]; the frame's tail becomes the next context.
      window.copyWithin(0, VAD_FRAME_SAMPLES);
      window.fill(0, CONTEXT_SAMPLES);
      window.set(frame, CONTEXT_SAMPLES);
      const input = new ort.Tensor('float32', window.slice(), [1, window.length]);
      let out: ort.InferenceSession.OnnxValueMapType;
      try {
        out = await this.session.run({ input, state, sr });
      } catch (cause) {
        throw new KioskError('RUNTIME_ERROR', 'The voice activity detector failed to run.', { cause: String(cause) });
      }
      const prob = (out['output']?.data as Float32Array | undefined)?.[0];
      const next = out['stateN'] as ort.Tensor | undefined;
      if (prob === undefined || next === undefined) {
        throw new KioskError('RUNTIME_ERROR', 'The voice activity detector returned no probability or state.');
      }
      probs[f] = prob;
      state = next;
    }
    return probs;
  }

  /** Speech segments of a 16 kHz signal, padded and merged where the pads meet. */
  async speechSegments(pcm16k: Float32Array): Promise<Segment[]> {
    const probs = await this.frameProbabilities(normaliseQuietInput(pcm16k));
    return segmentsFromProbabilities(probs, pcm16k.length, this.options);
  }

  /** The signal with everything but speech removed. */
  async keepSpeech(pcm16k: Float32Array): Promise<KeptSpeech> {
    const segments = await this.speechSegments(pcm16k);
    const total = segments.reduce((n, s) => n + (s.end - s.start), 0);
    const speech = new Float32Array(total);
    let at = 0;
    for (const s of segments) {
      speech.set(pcm16k.subarray(s.start, s.end), at);
      at += s.end - s.start;
    }
    return { speech, speechSeconds: total / VOICE_SAMPLE_RATE, segments };
  }
}

function normaliseQuietInput(pcm: Float32Array): Float32Array {
  let peak = 0;
  for (let i = 0; i < pcm.length; i++) peak = Math.max(peak, Math.abs(pcm[i]!));
  if (peak < SILENCE_PEAK || peak >= DETECTION_PEAK) return pcm;
  const gain = DETECTION_PEAK / peak;
  return pcm.map((v) => v * gain);
}

/**
 * Hysteresis over frame probabilities: a segment opens on a frame >= positive threshold
 * and closes where a run of frames < negative threshold began, once that run has lasted
 * `redemptionMs`; a frame >= positive threshold cancels the run. Pure, so it is tested
 * on hand-made probability sequences.
 */
export function segmentsFromProbabilities(probs: ArrayLike<number>, totalSamples: number, options: VadOptions): Segment[] {
  const msPerFrame = (VAD_FRAME_SAMPLES / VOICE_SAMPLE_RATE) * 1000;
  const redemptionFrames = Math.max(1, Math.round(options.redemptionMs / msPerFrame));
  const minSpeechFrames = Math.round(options.minSpeechMs / msPerFrame);
  const raw: { start: number; end: number }[] = [];
  let start = -1; // first frame of the open segment, -1 when none is open
  let silenceStart = -1; // first frame of the current run below the negative threshold
  let speechFrames = 0;
  const close = (endFrame: number): void => {
    if (speechFrames >= minSpeechFrames) raw.push({ start, end: endFrame });
    start = -1;
    silenceStart = -1;
    speechFrames = 0;
  };
  for (let f = 0; f < probs.length; f++) {
    const p = probs[f]!;
    if (p >= options.positiveSpeechThreshold) {
      if (start < 0) start = f;
      speechFrames++;
      silenceStart = -1;
    } else if (start >= 0 && p < options.negativeSpeechThreshold) {
      if (silenceStart < 0) silenceStart = f;
      if (f - silenceStart + 1 >= redemptionFrames) close(silenceStart);
    }
  }
  if (start >= 0) close(silenceStart >= 0 ? silenceStart : probs.length);

  const pad = Math.round((options.speechPadMs / 1000) * VOICE_SAMPLE_RATE);
  const merged: Segment[] = [];
  for (const r of raw) {
    const s = Math.max(0, r.start * VAD_FRAME_SAMPLES - pad);
    const e = Math.min(totalSamples, r.end * VAD_FRAME_SAMPLES + pad);
    const previous = merged[merged.length - 1];
    if (previous !== undefined && s <= previous.end) merged[merged.length - 1] = { start: previous.start, end: e };
    else if (e > s) merged.push({ start: s, end: e });
  }
  return merged;
}
