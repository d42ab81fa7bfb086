/**
 * What the attendance services share: the store, the engines behind narrow interfaces (the
 * real FaceEngine and VoiceEngine satisfy them), the live galleries, and the kiosk's identity,
 * clock and time zone.
 */
import { KioskError } from '../errors.js';
import type { DetectedFaces, FaceAnalysis, FaceMode } from '../face/engine.js';
import type { Store } from '../store/store.js';
import type { ModelRef } from '../runtime/model-ref.js';
import type { VoiceSample } from '../voice/engine.js';
import type { ImpostorCalibration } from '../match/impostor-calibration.js';
import type { ModalityGallery } from '../match/modality-gallery.js';
import type { KioskSettings } from './settings.js';

export interface FaceAnalyzer {
  readonly encoderModel: ModelRef;
  analyzeBytes(bytes: Uint8Array, mode: Exclude<FaceMode, 'evaluate'>): Promise<FaceAnalysis>;
  detectBytes(bytes: Uint8Array): Promise<DetectedFaces>;
}

export interface VoiceAnalyzer {
  embedPcm(pcm: Float32Array, sampleRate: number): Promise<VoiceSample>;
  enrollmentTemplate(embeddings: readonly Float32Array[]): Float32Array;
}

export interface Biometric<E> {
  readonly engine: E;
  readonly model: ModelRef;
  readonly gallery: ModalityGallery;
}

/**
 * A modality with its encoder's impostor-score table: face thresholds follow a false-accept target
 * through it (threshold-in-force.ts); for both modalities it gives the health report its rates.
 */
export interface CalibratedBiometric<E> extends Biometric<E> {
  /** null when the model ships no table: raw thresholds apply and risks are unknown. */
  readonly calibration: ImpostorCalibration | null;
}

export interface ServiceContext {
  readonly store: Store<KioskSettings>;
  readonly face: CalibratedBiometric<FaceAnalyzer>;
  /** null when the voice models are not installed: voice handlers answer VOICE_UNAVAILABLE. */
  readonly voice: CalibratedBiometric<VoiceAnalyzer> | null;
  /** Recorded on every attendance event. */
  readonly kioskId: string;
  /** IANA zone whose calendar days the in/out toggle and the timesheets use. */
  readonly timeZone: string;
  readonly now: () => Date;
}

/** VOICE_UNAVAILABLE when the kiosk runs without the voice models. */
export function requireVoice(voice: Biometric<VoiceAnalyzer> | null): Biometric<VoiceAnalyzer> {
  if (voice === null) throw new KioskError('VOICE_UNAVAILABLE', 'Voice recognition is not available on this kiosk (voice models missing).');
  return voice;
}
