/**
 * Engines behind the services' ports without any model: a test prepares what a frame or a
 * recording "shows" and gets the bytes (or samples) that stand for it, so "this frame shows
 * person A" is said by what the test passes. Unprepared input throws a plain Error, never a
 * KioskError, so a mistake in a test cannot pass for a frame the service may skip.
 */
import type { FaceAnalyzer, VoiceAnalyzer } from '../../src-main/core/context/service-context.js';
import { KioskError, type KioskErrorCode } from '../../src-main/core/errors.js';
import type { DetectedFaces, FaceAnalysis, FaceMode } from '../../src-main/core/face/engine.js';
import type { FaceQuality } from '../../src-main/core/face/quality.js';
import type { Detection, Landmarks68 } from '../../src-main/core/face/types.js';
import type { ModelRef } from '../../src-main/core/runtime/model-ref.js';
import type { VoiceSample } from '../../src-main/core/voice/engine.js';
import { enrollmentTemplate } from '../../src-main/core/voice/template.js';
import { head } from '../liveness/synthetic-faces.js';

export const FACE_MODEL: ModelRef = { id: 'fake-face-encoder', sha256: 'a'.repeat(64) };
export const VOICE_MODEL: ModelRef = { id: 'fake-voice-encoder', sha256: 'b'.repeat(64) };

const FRAME_WIDTH = 640;
const FRAME_HEIGHT = 480;

const GOOD_QUALITY: FaceQuality = {
  faceSizePx: { interOcular: 80, box: 220 },
  brightness: 125,
  overexposedFraction: 0.01,
  sharpness: 0.05,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  issues: [],
};

export interface FaceShown {
  /** Defaults to a frontal head (test/liveness/synthetic-faces.ts). */
  readonly landmarks?: Landmarks68;
  readonly detectionScore?: number;
  readonly quality?: Partial<FaceQuality>;
}

export class FakeFaceEngine implements FaceAnalyzer {
  readonly encoderModel = FACE_MODEL;
  /** Every analysis asked for, in order, with the gates it was asked under. */
  readonly calls: { readonly mode: Exclude<FaceMode, 'evaluate'> }[] = [];
  private readonly prepared = new Map<string, FaceAnalysis | KioskError>();
  private frames = 0;

  /** Bytes of a new frame that shows one face with this embedding. */
  face(embedding: readonly number[], shown: FaceShown = {}): Uint8Array {
    const detection: Detection = { box: { x: 200, y: 130, width: 240, height: 240 }, score: shown.detectionScore ?? 0.99 };
    return this.prepare({
      embedding: Float32Array.from(embedding),
      detection,
      landmarks: shown.landmarks ?? head(),
      quality: { ...GOOD_QUALITY, ...shown.quality },
      chip: { image: { width: 1, height: 1, data: new Uint8Array(3) }, chipToImage: [1, 0, 0, 0, 1, 0] },
    });
  }

  /** One frame per landmark set, all showing the same embedding: a camera burst. */
  burst(embedding: readonly number[], landmarks: readonly Landmarks68[]): Uint8Array[] {
    return landmarks.map((l) => this.face(embedding, { landmarks: l }));
  }

  /** Bytes of a new frame the engine refuses with `code` (e.g. NO_FACE, BLURRED). */
  failing(code: KioskErrorCode): Uint8Array {
    return this.prepare(new KioskError(code, `fake engine: ${code}`));
  }

  async analyzeBytes(bytes: Uint8Array, mode: Exclude<FaceMode, 'evaluate'>): Promise<FaceAnalysis> {
    this.calls.push({ mode });
    const outcome = this.lookup(bytes);
    if (outcome instanceof KioskError) throw outcome;
    // A copy, so nothing the service does to a vector can leak into the next analysis.
    return { ...outcome, embedding: Float32Array.from(outcome.embedding) };
  }

  async detectBytes(bytes: Uint8Array): Promise<DetectedFaces> {
    const outcome = this.lookup(bytes);
    const failed = outcome instanceof KioskError;
    return { width: FRAME_WIDTH, height: FRAME_HEIGHT, detections: failed ? [] : [outcome.detection], blank: failed && outcome.code === 'CAMERA_BLANK' };
  }

  private prepare(outcome: FaceAnalysis | KioskError): Uint8Array {
    const bytes = new TextEncoder().encode(`fake-frame-${++this.frames}`);
    this.prepared.set(keyOf(bytes), outcome);
    return bytes;
  }

  private lookup(bytes: Uint8Array): FaceAnalysis | KioskError {
    const outcome = this.prepared.get(keyOf(bytes));
    if (outcome === undefined) throw new Error('fake face engine: this frame was never prepared');
    return outcome;
  }
}

export class FakeVoiceEngine implements VoiceAnalyzer {
  /** Sample rate of every embedPcm call, in order. */
  readonly calls: number[] = [];
  private readonly prepared = new Map<string, VoiceSample>();
  private recordings = 0;

  /** Samples of a new recording whose speaker embedding is `embedding`. */
  utterance(embedding: readonly number[], speechSeconds = 2.5): Float32Array {
    const pcm = Float32Array.of(++this.recordings);
    this.prepared.set(keyOf(pcm), {
      embedding: Float32Array.from(embedding),
      speechSeconds,
      quality: { speechSeconds, speechDbfs: -22, clippedFraction: 0 },
    });
    return pcm;
  }

  async embedPcm(pcm: Float32Array, sampleRate: number): Promise<VoiceSample> {
    this.calls.push(sampleRate);
    const sample = this.prepared.get(keyOf(pcm));
    if (sample === undefined) throw new Error('fake voice engine: this recording was never prepared');
    return { ...sample, embedding: Float32Array.from(sample.embedding) };
  }

  /** The real rule (a pure function): the voice gallery's 'mean' row is built exactly as in the kiosk. */
  enrollmentTemplate(embeddings: readonly Float32Array[]): Float32Array {
    return enrollmentTemplate(embeddings);
  }
}

function keyOf(data: Uint8Array | Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}
