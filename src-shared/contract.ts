/**
 * The kiosk's API contract: every handler's name, input schema and output type, in one table.
 * Both transports (Electron IPC and the 127.0.0.1 HTTP server) serve exactly these handlers, and
 * the renderer imports the types only (`import type`), never the runtime.
 *
 * Binary payloads travel as base64 strings so one JSON-shaped contract serves both transports;
 * camera frames are JPEG-encoded by the renderer (tens of kB) and microphone audio is Float32 PCM.
 */
import { z } from 'zod';
import type { KioskErrorCode } from './error-codes.js';
import {
  EMPLOYEE_CODE_MAX_CHARS,
  EMPLOYEE_CODE_PATTERN,
  FACE_POSES,
  LOCALES,
  PIN_PATTERN,
  type BiometricModality,
  type ChallengeInstruction,
  type ClockModality,
  type LivenessMode,
  type PunchDirection,
  type RecognitionMode,
} from './vocabulary.js';

/** Size limits enforced by validation, before any decoding happens. */
export const LIMITS = {
  /** A JPEG/PNG camera frame or enrollment photo (base64 characters). */
  imageBase64Chars: 8 * 1024 * 1024,
  /** Float32 PCM: 30 s at 48 kHz = 5.76 MB raw (base64 characters). */
  audioBase64Chars: 8 * 1024 * 1024,
  framesPerBurst: 8,
  nameChars: 100,
} as const;

const base64 = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const image = base64(LIMITS.imageBase64Chars);
const id = z.number().int().positive();
const employeeCode = z.string().trim().min(1).max(EMPLOYEE_CODE_MAX_CHARS).regex(EMPLOYEE_CODE_PATTERN, 'letters, digits, . _ - only');
const pin = z.string().regex(PIN_PATTERN, '4 to 12 digits');
const adminToken = z.string().min(16).max(200);
/** As ChallengeIssuer issues them (32 lowercase hex digits), with room for a longer id. */
const challengeId = z.string().regex(/^[0-9a-f]{16,64}$/, '16 to 64 lowercase hex digits');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const audio = z.object({
  pcmBase64: base64(LIMITS.audioBase64Chars),
  sampleRate: z.number().int().min(8000).max(192000),
});

export const schemas = {
  'kiosk.status': z.object({}).strict(),
  'kiosk.phrase': z.object({ locale: z.enum(LOCALES).default('en') }).strict(),
  /** Fast per-frame detection for drawing the face box (no identification). */
  'face.detect': z.object({ image }).strict(),
  /** A random action (turn left, turn right, blink) whose frames must reach clock.face within its time limit. */
  'clock.face.challenge': z.object({}).strict(),
  /**
   * Decide on the best of several consecutive camera frames; challengeId when the kiosk is in
   * challenge liveness mode; employeeCode to verify that one employee (required in verify mode).
   */
  'clock.face': z.object({ frames: z.array(image).min(1).max(LIMITS.framesPerBurst), challengeId: challengeId.optional(), employeeCode: employeeCode.optional() }).strict(),
  /** employeeCode: the claimed employee, required while voice is in verify mode (kiosk.status). */
  'clock.voice': audio.extend({ phraseId: z.string().min(1).max(64), employeeCode: employeeCode.optional() }).strict(),
  'clock.pin': z.object({ code: employeeCode, pin }).strict(),
  /** "Not you?": voids the punch the token came with (audit-logged; the event stays, marked void). */
  'clock.undo': z.object({ undoToken: z.string().regex(/^[0-9a-f]{32}$/, '32 lowercase hex digits') }).strict(),

  'admin.login': z.object({ pin }).strict(),
  'admin.logout': z.object({ token: adminToken }).strict(),
  /** Needs the current PIN as well as the session; ends the admin's other sessions. */
  'admin.pin.change': z.object({ token: adminToken, currentPin: pin, newPin: pin }).strict(),
  'admin.employees.list': z.object({ token: adminToken, includeInactive: z.boolean().default(false) }).strict(),
  'admin.employees.create': z
    .object({
      token: adminToken,
      code: employeeCode,
      name: z.string().trim().min(1).max(LIMITS.nameChars),
      department: z.string().trim().max(LIMITS.nameChars).default(''),
      pin: pin.optional(),
    })
    .strict(),
  'admin.employees.consent': z.object({ token: adminToken, employeeId: id, textVersion: z.string().min(1).max(32) }).strict(),
  'admin.enroll.face': z
    .object({ token: adminToken, employeeId: id, image, pose: z.enum(FACE_POSES) })
    .strict(),
  'admin.enroll.voice': audio.extend({ token: adminToken, employeeId: id }).strict(),
  /** Removes current templates so the employee can be enrolled again. */
  'admin.employees.reenroll': z.object({ token: adminToken, employeeId: id }).strict(),
  'admin.employees.deactivate': z.object({ token: adminToken, employeeId: id }).strict(),
  /** Undoes a deactivation; templates kept under a current consent recognise the person again at once. */
  'admin.employees.reactivate': z.object({ token: adminToken, employeeId: id }).strict(),
  /** Erases every biometric template of the employee; attendance history stays. */
  'admin.employees.erase': z.object({ token: adminToken, employeeId: id }).strict(),
  /** Deletes an employee never enrolled and never punched (audit-logged); CONFLICT once anything refers to them. */
  'admin.employees.delete': z.object({ token: adminToken, employeeId: id }).strict(),
  /** Everything the kiosk holds about one employee, for their right of access (audit-logged). */
  'admin.employees.export': z.object({ token: adminToken, employeeId: id }).strict(),
  /** Recognition health of the enrolled staff, computed on the kiosk (audit-logged: it is derived from biometric data). */
  'admin.recognition.health': z.object({ token: adminToken }).strict(),
  /** Every kiosk of this kiosk's central server: last seen, clock offset, outbox, lost events (none on a standalone kiosk). */
  'admin.central.kiosks': z.object({ token: adminToken }).strict(),
  /** The newest recognition attempts (every face and voice decision: scores, threshold, outcome; no biometric data). */
  'admin.recognition.attempts': z.object({ token: adminToken, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  'admin.settings.get': z.object({ token: adminToken }).strict(),
  'admin.settings.set': z.object({ token: adminToken, settings: z.record(z.string(), z.unknown()) }).strict(),
  'reports.timesheet': z
    .object({ token: adminToken, from: day, to: day, employeeId: id.optional() })
    .strict(),
  'reports.csv': z.object({ token: adminToken, from: day, to: day }).strict(),
} as const;

export type HandlerName = keyof typeof schemas;
export type HandlerInput<N extends HandlerName> = z.input<(typeof schemas)[N]>;
export type ValidInput<N extends HandlerName> = z.output<(typeof schemas)[N]>;

// ---- output types -------------------------------------------------------------------------

export interface EmployeeSummary {
  id: number;
  code: string;
  name: string;
  department: string;
  active: boolean;
  consentedAt: string | null;
  faceTemplates: number;
  voiceTemplates: number;
  /** Never enrolled and never punched: admin.employees.delete would remove the record (absent: not known, so not offered). */
  deletable?: boolean;
}

export interface PunchEvent {
  employee: { id: number; code: string; name: string };
  direction: PunchDirection;
  modality: ClockModality;
  /** Match score (similarity) or null for PIN. */
  score: number | null;
  at: string;
  /**
   * Only on a kiosk of a central server that cannot reach it: the punch is kept and sent later, and
   * the direction is this kiosk's own reading (the server's merged log of every kiosk decides).
   */
  offline?: boolean;
}

export type ClockResult =
  /**
   * `undo` (face and voice punches): a single-use token for "Not you?", valid for `expiresInMs`.
   * `confidence` (face and voice): the score against the pass mark in force — 'clear', or 'near'
   * when it passed by less than NEAR_PASS_MARK (vocabulary.ts); the screen says this, never a bare percentage.
   */
  | { outcome: 'recorded'; event: PunchEvent; undo?: { token: string; expiresInMs: number }; confidence?: MatchConfidence }
  /**
   * Same employee punched again within the debounce window: nothing written. `event` is the earlier
   * punch; `nextPunchAt` (ISO-8601) is when the next punch is accepted, and `nextDirection` what it
   * would be then ('out' while the shift `event` opened is still open).
   */
  | { outcome: 'debounced'; event: PunchEvent; nextPunchAt: string; nextDirection: PunchDirection }
  /** not_verified: the employee code and the face or voice did not go together (which of them is never said). */
  | { outcome: 'not_recognised'; reason: 'below_threshold' | 'ambiguous' | 'no_enrolled_employees' | 'not_verified' };

/** How far above the pass mark (threshold) an accepted face or voice scored: `near` is within NEAR_PASS_MARK (vocabulary.ts). */
export type MatchConfidence = 'clear' | 'near';

/** What one face or voice decision came to (admin.recognition.attempts). */
export type AttemptOutcome = 'accepted' | 'below_threshold' | 'ambiguous' | 'not_verified' | 'no_enrolled_employees';

/**
 * One recognition attempt as the admin sees it. `employee` only for an accepted one (a refusal
 * names nobody); scores are null where no comparison was made (an unknown code, nobody enrolled).
 */
export interface RecognitionAttempt {
  id: number;
  at: string;
  modality: BiometricModality;
  mode: RecognitionMode;
  outcome: AttemptOutcome;
  employee: EmployeeRef | null;
  bestScore: number | null;
  secondScore: number | null;
  threshold: number | null;
  gallerySize: number;
  kioskId: string;
}

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface TimesheetRow {
  employeeId: number;
  code: string;
  name: string;
  day: string;
  firstIn: string | null;
  lastOut: string | null;
  hours: number;
}

/**
 * One employee's own data (admin.employees.export). Biometric templates appear as metadata
 * only: a vector is meaningful only to this kiosk's model, and a copy outside the encrypted
 * store would be a portable biometric identifier (see README, "Security and privacy").
 */
export interface EmployeeDataExport {
  format: 'attendance-kiosk/employee-data/v3';
  exportedAt: string;
  kioskId: string;
  employee: {
    id: number;
    code: string;
    name: string;
    department: string;
    active: boolean;
    createdAt: string;
    deactivatedAt: string | null;
    /** Whether a clock-in PIN is set (its scrypt hash is not exported). */
    hasClockInPin: boolean;
  };
  consents: { textVersion: string; consentedAt: string; withdrawnAt: string | null }[];
  attendance: {
    direction: PunchDirection;
    modality: ClockModality;
    score: number | null;
    modelId: string | null;
    /** How a biometric punch was decided: search or verification, runner-up score, threshold in force, employees enrolled then. */
    decision: { mode: RecognitionMode; secondScore: number | null; threshold: number; gallerySize: number } | null;
    /** Set when the person at the kiosk said "Not you?": the punch counts nowhere. */
    voidedAt: string | null;
    kioskId: string;
    occurredAt: string;
    recordedAt: string;
  }[];
  biometricTemplates: {
    id: number;
    modality: BiometricModality;
    modelId: string;
    modelSha256: string;
    dimensions: number;
    /** What the capture measured: the face detector's score (0..1), or the seconds of speech heard. */
    capture: { detectionScore: number } | { speechSeconds: number };
    createdAt: string;
  }[];
  /** Enrollment photos and phrases kept while storeRawCaptures was on: the person's own captures. */
  rawCaptures: { id: number; kind: 'face-image' | 'voice-pcm'; mediaType: string; bytes: number; createdAt: string; contentBase64: string }[];
  /** The kept recognition attempts accepted as this employee (refused attempts name nobody), newest first. */
  recognitionAttempts: RecognitionAttempt[];
  /** Audit-log entries about this employee (who did what, when). */
  history: { at: string; actor: string; action: string; details: Record<string, unknown> }[];
}

export interface EmployeeRef {
  id: number;
  code: string;
  name: string;
}

/** One modality's recognition health (admin.recognition.health). Rates are null without a calibration table. */
export interface ModalityHealth {
  modality: BiometricModality;
  enrolled: number;
  templates: { total: number; minPerPerson: number; maxPerPerson: number };
  /** The search threshold in force; `target` is the false-accept target it was derived from, if any. */
  threshold: { value: number; from: 'target' | 'setting'; target: number | null; perComparisonFmr: number | null };
  /**
   * Search everyone or verify a code: the setting, the mode in force, and the one the staff's own
   * captures suggest. ownCapturesRefused: the share of captures (each scored against the rest of
   * the same person's) below the search and the verification thresholds — a same-session, so
   * optimistic, estimate of genuine clock-ins refused; null with nobody enrolled twice.
   */
  mode: {
    setting: RecognitionMode;
    inForce: RecognitionMode;
    recommended: RecognitionMode;
    verifyThreshold: number;
    ownCapturesRefused: { identify: number | null; verify: number | null; captures: number };
  };
  /** Chance that a stranger's clock-in is accepted as somebody. */
  strangerAcceptance: { perSearch: number | null; per1000: number | null };
  /** Chance that an employee's clock-in is credited to a colleague, per clock-in and over a month at the rate seen. */
  wrongColleague: { perSearch: number | null; per1000: number | null; perMonth: number | null };
  /** Biometric clock-ins per day over the last 30 days. */
  clockInsPerDay: number;
  /** The most alike pairs of different employees, most alike first. */
  closestPairs: { a: EmployeeRef; b: EmployeeRef; score: number; aboveThreshold: boolean }[];
  weakEnrollments: { employee: EmployeeRef; templates: number; selfAgreement: number | null; reasons: ('few_templates' | 'low_agreement')[] }[];
}

/**
 * A kiosk's link to its central server, for the status line: online, offline since when (it keeps
 * clocking in and queues the punches), or refused (wrong or revoked kiosk key); punches waiting.
 */
export interface CentralLink {
  state: 'online' | 'offline' | 'refused';
  offlineSince: string | null;
  punchesWaiting: number;
  lastSyncAt: string | null;
  /** Server clock minus kiosk clock at the last sync, in ms. */
  clockOffsetMs: number | null;
}

/** One kiosk of the central server as the admin screen lists it. */
export interface CentralKioskRow {
  kioskId: string;
  revoked: boolean;
  lastSeen: string | null;
  clockOffsetMs: number | null;
  /** Offset beyond 2 minutes: that kiosk's punches are flagged. */
  clockFlagged: boolean;
  outboxDepth: number | null;
  punches: number;
  flaggedPunches: number;
  /** Sequence numbers the kiosk issued that never arrived (inclusive ranges). */
  lost: { from: number; to: number }[];
}

export interface Outputs {
  /**
   * livenessMode tells the screen whether to ask clock.face.challenge for an action first;
   * recognition, whether each modality asks for the employee code first ('verify'; voice is
   * null when the voice models are missing).
   */
  'kiosk.status': {
    ready: boolean;
    kioskId: string;
    models: { id: string; provider: string }[];
    enrolled: number;
    livenessMode: LivenessMode;
    recognition: { face: RecognitionMode; voice: RecognitionMode | null };
    /** Only on a kiosk of a central server (serve --central): its link to the server. */
    central?: CentralLink;
  };
  'kiosk.phrase': { phraseId: string; text: string };
  /** blank: the frame is black almost everywhere (the camera shows nothing); absent from older services. */
  'face.detect': { width: number; height: number; faces: FaceBox[]; blank?: boolean };
  'clock.face.challenge': { challengeId: string; instruction: ChallengeInstruction; timeLimitMs: number };
  'clock.face': ClockResult;
  'clock.voice': ClockResult;
  'clock.pin': ClockResult;
  'clock.undo': { voided: PunchEvent };
  /** pinIsDefault: the admin PIN is still the documented first-run default and should be changed. */
  'admin.login': { token: string; expiresAt: string; pinIsDefault?: boolean };
  'admin.logout': { ok: true };
  'admin.pin.change': { ok: true };
  'admin.employees.list': { employees: EmployeeSummary[] };
  'admin.employees.create': { employee: EmployeeSummary };
  'admin.employees.consent': { employee: EmployeeSummary };
  'admin.enroll.face': { employee: EmployeeSummary; quality: Record<string, number>; shotsNeeded: number };
  'admin.enroll.voice': { employee: EmployeeSummary; speechSeconds: number; phrasesNeeded: number };
  'admin.employees.reenroll': { employee: EmployeeSummary };
  'admin.employees.deactivate': { employee: EmployeeSummary };
  'admin.employees.reactivate': { employee: EmployeeSummary };
  'admin.employees.erase': { employee: EmployeeSummary; templatesErased: number };
  'admin.employees.delete': { deleted: { id: number; code: string } };
  'admin.employees.export': { filename: string; data: EmployeeDataExport };
  'admin.recognition.health': { computedAt: string; clockInsPerDay: number; face: ModalityHealth; voice: ModalityHealth | null };
  /** link: null on a standalone kiosk (then kiosks is empty). */
  'admin.central.kiosks': { link: CentralLink | null; kiosks: CentralKioskRow[] };
  /** Newest first; `kept`: how many attempts the kiosk keeps at most (older ones are dropped). */
  'admin.recognition.attempts': { attempts: RecognitionAttempt[]; kept: number };
  'admin.settings.get': { settings: Record<string, unknown> };
  'admin.settings.set': { settings: Record<string, unknown> };
  'reports.timesheet': { rows: TimesheetRow[] };
  'reports.csv': { filename: string; csv: string };
}

/** Every reply on either transport: a value or a typed error. */
export type Reply<N extends HandlerName> =
  | { ok: true; value: Outputs[N] }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
