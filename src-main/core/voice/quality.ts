/**
 * Voice quality gates: a recording the encoder would embed badly is refused with a
 * typed error telling the user what to change, instead of yielding a poor template.
 */
import { KioskError } from '../errors.js';

export interface VoiceQualityThresholds {
  /** Less detected speech than this is refused (SPEECH_TOO_SHORT). */
  readonly minSpeechSeconds: number;
  /** |x| at or above this counts as a clipped sample. */
  readonly clipLevel: number;
  /** Clipped samples per sample of speech above this is refused (CLIPPING). */
  readonly maxClippedFraction: number;
  /** Speech RMS below this, in dB relative to full scale, is refused (TOO_QUIET). */
  readonly minSpeechDbfs: number;
  /**
   * Clipped samples over the whole input above this mean a saturated microphone: when too little
   * speech is then found, the reason is the overload (CLIPPING, "too loud"), not "no speech heard".
   */
  readonly maxInputClippedFraction: number;
}

/**
 * Clean recordings of the shared data sets clip at most 4e-4 of their samples (a peak
 * normalised to full scale); a voice overdriving the microphone clips several percent.
 * Conversational speech near a microphone sits around -30..-15 dBFS.
 */
export const DEFAULT_VOICE_QUALITY: VoiceQualityThresholds = {
  minSpeechSeconds: 1.0,
  clipLevel: 0.999,
  maxClippedFraction: 0.005,
  minSpeechDbfs: -45,
  maxInputClippedFraction: 0.01,
};

export interface VoiceQuality {
  /** Seconds of speech the detector found. */
  readonly speechSeconds: number;
  /** RMS level of the speech in dBFS (-Infinity for none). */
  readonly speechDbfs: number;
  /** Clipped samples of the input over its number of speech samples. */
  readonly clippedFraction: number;
  /** Clipped samples of the input over all its samples (absent: not measured). */
  readonly inputClippedFraction?: number;
}

/**
 * Measures a recording. Clipping is counted on the input at its own rate, since
 * resampling smooths flat-topped peaks away; it is divided by the speech length because
 * only speech clips, and silence around it would dilute the ratio.
 */
export function measureVoiceQuality(
  input: Float32Array,
  inputRate: number,
  speech: Float32Array,
  speechRate: number,
  clipLevel: number = DEFAULT_VOICE_QUALITY.clipLevel,
): VoiceQuality {
  let clipped = 0;
  for (let i = 0; i < input.length; i++) if (Math.abs(input[i]!) >= clipLevel) clipped++;
  const speechSeconds = speech.length / speechRate;
  const speechAtInputRate = speechSeconds * inputRate;
  return {
    speechSeconds,
    speechDbfs: rmsDbfs(speech),
    clippedFraction: speechAtInputRate > 0 ? Math.min(1, clipped / speechAtInputRate) : 0,
    inputClippedFraction: input.length > 0 ? clipped / input.length : 0,
  };
}

/**
 * Throws the first failed gate: NO_SPEECH, SPEECH_TOO_SHORT, CLIPPING, TOO_QUIET — except that a
 * saturated input with too little speech found is CLIPPING: the overload hid the speech, and
 * "no speech heard" would send a person who spoke loudly to speak up.
 */
export function assertVoiceQuality(q: VoiceQuality, t: VoiceQualityThresholds = DEFAULT_VOICE_QUALITY): void {
  if (q.speechSeconds < t.minSpeechSeconds && (q.inputClippedFraction ?? 0) > t.maxInputClippedFraction) {
    throw new KioskError(
      'CLIPPING',
      `The microphone is overloaded (${((q.inputClippedFraction ?? 0) * 100).toFixed(1)}% of the recording is clipped). Please speak a little further from the microphone or more softly, or lower its input level.`,
      { ...q, maxInputClippedFraction: t.maxInputClippedFraction },
    );
  }
  if (q.speechSeconds === 0) {
    throw new KioskError('NO_SPEECH', 'No speech was heard. Please speak the phrase clearly towards the microphone.');
  }
  if (q.speechSeconds < t.minSpeechSeconds) {
    throw new KioskError(
      'SPEECH_TOO_SHORT',
      `Only ${q.speechSeconds.toFixed(1)} s of speech was heard; at least ${t.minSpeechSeconds} s is needed. Please say the whole phrase.`,
      { ...q, minSpeechSeconds: t.minSpeechSeconds },
    );
  }
  if (q.clippedFraction > t.maxClippedFraction) {
    throw new KioskError(
      'CLIPPING',
      `The recording is distorted (${(q.clippedFraction * 100).toFixed(1)}% of the speech is clipped). Please speak a little further from the microphone or more softly.`,
      { ...q, maxClippedFraction: t.maxClippedFraction },
    );
  }
  if (q.speechDbfs < t.minSpeechDbfs) {
    throw new KioskError(
      'TOO_QUIET',
      `The speech is too quiet (${q.speechDbfs.toFixed(0)} dBFS; at least ${t.minSpeechDbfs} dBFS is needed). Please speak louder or closer to the microphone.`,
      { ...q, minSpeechDbfs: t.minSpeechDbfs },
    );
  }
}

/** Root-mean-square level in dB relative to a full-scale square wave (RMS 1). */
export function rmsDbfs(samples: Float32Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return 10 * Math.log10(sum / samples.length);
}
