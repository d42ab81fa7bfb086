/**
 * The attendance services as the kiosk wires them (src-main/app/open-kiosk.ts) with only the
 * engines faked: a real SQLite store in memory with sealed templates, real galleries (face:
 * euclidean, every shot a row; voice: cosine, one mean row per person built by the engine's
 * enrollmentTemplate), a manual clock, and scrypt at its cheapest accepted cost.
 */
import { randomBytes } from 'node:crypto';
import type { ChallengeInstruction } from '../../src-shared/vocabulary.js';
import { ClockService } from '../../src-main/core/attendance/clock-service.js';
import { EnrollmentService } from '../../src-main/core/attendance/enrollment-service.js';
import { PhraseIssuer } from '../../src-main/core/attendance/phrases.js';
import type { ScryptCost } from '../../src-main/core/auth/pin-hash.js';
import type { CalibratedBiometric, ServiceContext, VoiceAnalyzer } from '../../src-main/core/context/service-context.js';
import { KIOSK_SETTINGS, type KioskSettings } from '../../src-main/core/context/settings.js';
import type { Landmarks68 } from '../../src-main/core/face/types.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { CALIBRATION_FORMAT, type ImpostorCalibration } from '../../src-main/core/match/impostor-calibration.js';
import { ModalityGallery } from '../../src-main/core/match/modality-gallery.js';
import type { AttendanceEvent } from '../../src-main/core/store/attendance-repository.js';
import type { AuditEntry } from '../../src-main/core/store/audit-log.js';
import { openStore, type Store } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { closeEyes, head, openMouth } from '../liveness/synthetic-faces.js';
import { FACE_MODEL, FakeFaceEngine, FakeVoiceEngine, VOICE_MODEL } from './fake-engines.js';

/** verifyPin refuses hashes below N = 2^10, so this is as cheap as a PIN hash can be. */
const CHEAP_SCRYPT: ScryptCost = { log2N: 10, r: 1, p: 1 };
export const KIOSK_ID = 'test-kiosk';
export const ACTOR = 'admin';
export const START = '2025-03-10T00:00:00.000Z';
export const PHRASE_TTL_MS = 60_000;
export const SAMPLE_RATE = 16_000;

/** A face impostor table whose answers are easy to work out: the score rises 0.16 per decade of FMR, 0.1 at 1e-1 … 0.9 at 1e-6. */
export const SYNTHETIC_CALIBRATION: ImpostorCalibration = {
  format: CALIBRATION_FORMAT,
  model: FACE_MODEL,
  energy: 'euclidean',
  source: { data: 'synthetic', command: 'none', identities: 0, files: 0, impostorComparisons: 0 },
  tail: [-1, -2, -3, -4, -5, -6].map((e) => ({ fmr: 10 ** e, score: 0.1 + 0.16 * (-1 - e) })),
};

export class ManualClock {
  private t = Date.parse(START);
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Services {
  readonly store: Store<KioskSettings>;
  readonly context: ServiceContext;
  readonly face: FakeFaceEngine;
  readonly voice: FakeVoiceEngine;
  readonly clock: ManualClock;
  readonly clocking: ClockService;
  readonly enrollment: EnrollmentService;
  close(): void;
}

/**
 * `voice: false` is a kiosk without the voice models (context.voice === null); `calibration` and
 * `voiceCalibration` are the encoders' impostor tables (none by default: the raw thresholds apply).
 */
export function openServices(options: { voice?: boolean; calibration?: ImpostorCalibration; voiceCalibration?: ImpostorCalibration } = {}): Services {
  const clock = new ManualClock();
  const store = openStore(':memory:', { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS, now: clock.now });
  const face = new FakeFaceEngine();
  const voice = new FakeVoiceEngine();
  const voiceBiometric: CalibratedBiometric<VoiceAnalyzer> = {
    calibration: options.voiceCalibration ?? null,
    engine: voice,
    model: VOICE_MODEL,
    gallery: new ModalityGallery('voice', VOICE_MODEL, createSimilarity({ energy: 'cosine' }), {
      kind: 'mean',
      combine: (vectors) => voice.enrollmentTemplate(vectors),
    }),
  };
  const context: ServiceContext = {
    store,
    face: {
      engine: face,
      model: FACE_MODEL,
      gallery: new ModalityGallery('face', FACE_MODEL, createSimilarity({ energy: 'euclidean' }), { kind: 'each' }),
      calibration: options.calibration ?? null,
    },
    voice: options.voice === false ? null : voiceBiometric,
    kioskId: KIOSK_ID,
    timeZone: 'Asia/Seoul',
    now: clock.now,
  };
  return {
    store,
    context,
    face,
    voice,
    clock,
    clocking: new ClockService(context, new PhraseIssuer({ now: clock.now, ttlMs: PHRASE_TTL_MS }), CHEAP_SCRYPT),
    enrollment: new EnrollmentService(context, CHEAP_SCRYPT),
    close: () => store.close(),
  };
}

/** A new employee with consent recorded; returns the id. */
export async function hire(s: Services, code: string, name: string, pin?: string): Promise<number> {
  const { id } = await s.enrollment.create(ACTOR, { code, name, ...(pin === undefined ? {} : { pin }) });
  s.enrollment.recordConsent(ACTOR, id, 'consent-v1');
  return id;
}

/** A consented employee with one face shot of `embedding`, enrolled through EnrollmentService. */
export async function enrolFace(s: Services, code: string, name: string, embedding: readonly number[]): Promise<number> {
  const id = await hire(s, code, name);
  await s.enrollment.enrollFace(ACTOR, id, s.face.face(embedding), 'front');
  return id;
}

/** Every attendance row, oldest first. */
export function attendance(s: Services): AttendanceEvent[] {
  return s.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') });
}

export function auditOf(s: Services, employeeId: number): AuditEntry[] {
  return s.store.audit.listForSubject(`employee:${employeeId}`);
}

/** 1 − euclidean distance: the face score convention (src-main/core/match/energy.ts), computed here independently. */
export function faceScore(a: readonly number[], b: readonly number[]): number {
  return 1 - Math.hypot(...a.map((x, i) => x - b[i]!));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
}

/** The same landmarks in every frame: a frozen or injected picture. */
export function stillLandmarks(frames = 4): Landmarks68[] {
  return Array.from({ length: frames }, () => head());
}

/** A face that speaks: the lower lip and chin drop in every other frame. */
export function speakingLandmarks(frames = 5): Landmarks68[] {
  return Array.from({ length: frames }, (_, k) => openMouth(head(), k % 2 === 1 ? 0.1 : 0));
}

/** Landmarks of a head that performs `instruction` (positive yaw: the person turns to their left). */
export function performingLandmarks(instruction: ChallengeInstruction): Landmarks68[] {
  if (instruction === 'blink') return [head(), head(), closeEyes(head(), 0.2), head()];
  const side = instruction === 'turn_left' ? 1 : -1;
  return [0, 10, 20, 30].map((yaw) => head({ yaw: side * yaw }));
}
