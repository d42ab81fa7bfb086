/**
 * Voice engine: PCM or an audio file in, speaker embedding out. Validates the input, resamples to
 * 16 kHz, keeps speech only (Silero VAD), applies the quality gates, then embeds the
 * speech's log-mel frames with the project's ONNX speaker encoder.
 */
import { KioskError } from '../errors.js';
import { ModelRegistry } from '../runtime/model-registry.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { SpeakerEncoder } from './encoder.js';
import { logMel } from './features.js';
import { decodeAudioFile } from './audio-file.js';
import { type AudioLimits, DEFAULT_AUDIO_LIMITS, validatePcm } from './pcm.js';
import {
  DEFAULT_VOICE_QUALITY,
  type VoiceQuality,
  type VoiceQualityThresholds,
  assertVoiceQuality,
  measureVoiceQuality,
} from './quality.js';
import { VOICE_SAMPLE_RATE, resampleTo16k } from './resample.js';
import { enrollmentTemplate } from './template.js';
import { type VadOptions, VoiceActivityDetector } from './vad.js';

export const VOICE_ENCODER_ID = 'voice-encoder';
export const VOICE_VAD_ID = 'voice-vad-silero-v5';

export interface VoiceEngineOptions {
  readonly host: OnnxHost;
  /** Folder of the model manifest that lists VOICE_ENCODER_ID and VOICE_VAD_ID. */
  readonly modelsDir: string;
  /** Explicit model files instead of the manifest's (tools and tests). */
  readonly encoderPath?: string;
  readonly vadPath?: string;
  /** Engine-wide quality thresholds; a call may override them again. */
  readonly quality?: Partial<VoiceQualityThresholds>;
  readonly vad?: Partial<VadOptions>;
  readonly limits?: AudioLimits;
}

export interface EmbedOptions {
  /** Embed only the first this-many seconds of detected speech (evaluation of short probes). */
  readonly cropSeconds?: number;
  readonly quality?: Partial<VoiceQualityThresholds>;
}

export interface VoiceSample {
  /** Unit-norm speaker embedding. */
  readonly embedding: Float32Array;
  /** Seconds of speech that were embedded (after any crop). */
  readonly speechSeconds: number;
  /** What the gates measured on the whole recording. */
  readonly quality: VoiceQuality;
}

export class VoiceEngine {
  private constructor(
    private readonly vad: VoiceActivityDetector,
    private readonly encoder: SpeakerEncoder,
    private readonly quality: VoiceQualityThresholds,
    private readonly limits: AudioLimits,
  ) {}

  static async create(options: VoiceEngineOptions): Promise<VoiceEngine> {
    let registry: Promise<ModelRegistry> | undefined; // opened only when a path is not given
    const pathOf = (explicit: string | undefined, id: string): Promise<string> =>
      explicit !== undefined
        ? Promise.resolve(explicit)
        : (registry ??= ModelRegistry.open(options.modelsDir)).then((r) => r.pathOf(id));
    const [vadPath, encoderPath] = await Promise.all([
      pathOf(options.vadPath, VOICE_VAD_ID),
      pathOf(options.encoderPath, VOICE_ENCODER_ID),
    ]);
    const [vad, encoder] = await Promise.all([
      VoiceActivityDetector.create(options.host, vadPath, options.vad),
      SpeakerEncoder.create(options.host, encoderPath),
    ]);
    return new VoiceEngine(
      vad,
      encoder,
      { ...DEFAULT_VOICE_QUALITY, ...options.quality },
      options.limits ?? DEFAULT_AUDIO_LIMITS,
    );
  }

  /** Embeds mono Float32 PCM at any supported sample rate. */
  async embedPcm(pcm: Float32Array, sampleRate: number, opts: EmbedOptions = {}): Promise<VoiceSample> {
    const { speech, quality } = await this.speechOf(pcm, sampleRate, opts);
    const embedding = await this.encoder.embed(logMel(speech));
    return { embedding, speechSeconds: speech.length / VOICE_SAMPLE_RATE, quality };
  }

  /** Embeds an audio file's contents: WAV, FLAC, Ogg Opus or Vorbis, MP3 or WebM/Opus (audio-file.ts). */
  async embedAudio(bytes: Uint8Array, opts: EmbedOptions = {}): Promise<VoiceSample> {
    const { samples, sampleRate } = await decodeAudioFile(bytes, this.limits);
    return this.embedPcm(samples, sampleRate, opts);
  }

  /** Template from several enrollment phrases' embeddings. */
  enrollmentTemplate(embeddings: readonly Float32Array[]): Float32Array {
    return enrollmentTemplate(embeddings);
  }

  /**
   * The trivial baseline evaluation compares the encoder with: the mean log-mel vector
   * of the same kept (and cropped) speech, behind the same gates.
   */
  async meanLogMel(pcm: Float32Array, sampleRate: number, opts: EmbedOptions = {}): Promise<Float32Array> {
    const { speech } = await this.speechOf(pcm, sampleRate, opts);
    const { frames, mels, data } = logMel(speech);
    if (frames < 1) throw new KioskError('SPEECH_TOO_SHORT', 'The speech is too short to compute a single feature frame.');
    const mean = new Float32Array(mels);
    for (let t = 0; t < frames; t++) for (let m = 0; m < mels; m++) mean[m]! += data[t * mels + m]! / frames;
    return mean;
  }

  private async speechOf(
    pcm: Float32Array,
    sampleRate: number,
    opts: EmbedOptions,
  ): Promise<{ speech: Float32Array; quality: VoiceQuality }> {
    const input = validatePcm(pcm, sampleRate, this.limits);
    if (opts.cropSeconds !== undefined && !(opts.cropSeconds > 0 && Number.isFinite(opts.cropSeconds))) {
      throw new KioskError('INVALID_INPUT', `cropSeconds must be a positive number of seconds, got ${opts.cropSeconds}.`);
    }
    const thresholds = { ...this.quality, ...opts.quality };
    const kept = await this.vad.keepSpeech(resampleTo16k(input.samples, input.sampleRate));
    const quality = measureVoiceQuality(
      input.samples,
      input.sampleRate,
      kept.speech,
      VOICE_SAMPLE_RATE,
      thresholds.clipLevel,
    );
    assertVoiceQuality(quality, thresholds);
    return { speech: cropSpeech(kept.speech, opts.cropSeconds), quality };
  }
}

function cropSpeech(speech: Float32Array, cropSeconds: number | undefined): Float32Array {
  return cropSeconds === undefined ? speech : speech.subarray(0, Math.round(cropSeconds * VOICE_SAMPLE_RATE));
}
