/**
 * The kiosk's settings: what an admin may read and change (`KIOSK_SETTINGS`), and the security
 * state that must never leave the service (`SECURITY_SETTINGS`: the admin PIN hash and the
 * lockout counters). Both live in the store's settings table under distinct keys, each behind
 * its own SettingsRepository, so `admin.settings.get` cannot leak a hash. A setting is added
 * only together with the code that honours it: the admin screen never shows a dead switch.
 */
import { z } from 'zod';
import { LIVENESS_MODES, RECOGNITION_MODES, type LivenessMode, type RecognitionMode } from '../../../src-shared/vocabulary.js';
import type { SettingsSpec } from '../store/settings-repository.js';

export type KioskSettings = {
  /**
   * Face similarity (1 − euclidean distance of dlib descriptors) needed to accept. 0.45 is a
   * distance of 0.55, a little stricter than dlib's 0.6 verification threshold because a kiosk
   * searches every employee (open set), so each probe has many chances of a false match.
   */
  faceThreshold: number;
  /**
   * Accepted risk per face clock-in that a stranger or the wrong colleague is accepted. When set,
   * the face threshold is derived from it, the encoder's calibration table and the current
   * gallery size (core/match/impostor-calibration.ts), and faceThreshold is only the fallback for a
   * model without a table; null uses faceThreshold as given (expert override).
   */
  faceFalseAcceptTarget: number | null;
  /** Best − second-best employee score below which a face match is refused as ambiguous. */
  faceMargin: number;
  /** 'identify' searches everyone by face; 'verify' asks for the employee code first (threshold-in-force.ts). */
  faceMode: RecognitionMode;
  /**
   * Cosine similarity of voice embeddings needed to accept when no target applies (no
   * calibration table, or the target set to null): the expert override.
   */
  voiceThreshold: number;
  voiceMargin: number;
  /** As faceFalseAcceptTarget, for voice: the accepted risk per voice clock-in; null uses voiceThreshold. */
  voiceFalseAcceptTarget: number | null;
  /**
   * 'verify' (code, then one comparison) or 'identify'. Voice identification is used only while
   * the voice calibration vouches for the target at the gallery's size; otherwise the kiosk asks
   * for the code (threshold-in-force.ts, recognitionModeInForce).
   */
  voiceMode: RecognitionMode;
  /** A second punch by the same employee within this many minutes is ignored (nothing written). */
  debounceMinutes: number;
  /**
   * Longest shift, in hours: a punch this long after an open 'in' starts a new shift ('in')
   * instead of closing it — a forgotten clock-out is not paired with the next morning, while
   * night shifts that cross midnight still close with 'out'.
   */
  maxShiftHours: number;
  /**
   * Days after an employee's deactivation when their biometric templates (and any kept raw
   * captures) are erased by the retention sweep (core/privacy/retention.ts); 0 = at the next sweep.
   */
  retentionDays: number;
  /**
   * Keep the enrollment photos and phrases (sealed like the templates) besides the templates.
   * Off by default: then no photo or audio outlives the request that carried it.
   */
  storeRawCaptures: boolean;
  /**
   * Face liveness before identification: 'off'; 'passive' (the burst must show motion a flat
   * picture cannot make, core/liveness/passive.ts); 'challenge' (a random action to perform,
   * core/liveness/challenge.ts).
   */
  livenessMode: LivenessMode;
};

const score = z.number().min(-1).max(1);
const margin = z.number().min(0).max(1);

export const KIOSK_SETTINGS: SettingsSpec<KioskSettings> = {
  // Scores are 1 - energy. Face: 1 - euclidean distance; 0.45 (distance 0.55) sits below the LFW cross-validated
  // threshold (distance 0.61) and the FAR 1e-3 point (0.57). Voice: cosine; on the talking-head clips
  // with 3 enrolled phrases (README: eval voice, K = 3) EER falls at 0.45 and FAR 1e-2 at 0.50; 0.45
  // sits between every other speaker's score against GRID s1's 3-phrase template (<= 0.40) and every
  // genuine file score of s1 (>= 0.50), leaving room for live microphone recordings, which score
  // lower than the files.
  faceThreshold: { schema: score, default: 0.45 },
  faceMargin: { schema: margin, default: 0.05 },
  // 1e-3: one stranger or wrong colleague accepted per 1,000 face clock-ins, whatever the staff size.
  faceFalseAcceptTarget: { schema: z.number().gt(0).lt(0.5).nullable(), default: 1e-3 },
  // Identify: a 500-person gallery still keeps strangers to the target (README, "Recognition at company scale").
  faceMode: { schema: z.enum(RECOGNITION_MODES), default: 'identify' },
  voiceThreshold: { schema: score, default: 0.45 },
  voiceMargin: { schema: margin, default: 0.05 },
  // 1e-2 per attempt of a claimed identity: the employee's code is a first factor, five failed
  // attempts lock the code, and a stricter level refuses most genuine speakers (README, voice).
  voiceFalseAcceptTarget: { schema: z.number().gt(0).lt(0.5).nullable(), default: 1e-2 },
  // Verify: no speaker encoder keeps strangers out of a search of hundreds of voices (issue 12).
  voiceMode: { schema: z.enum(RECOGNITION_MODES), default: 'verify' },
  debounceMinutes: { schema: z.number().min(0).max(24 * 60), default: 1 },
  // 14 h: covers 12-hour night shifts, while a clock-in after lunch left open is not closed by
  // the next morning's punch (13:30 + 14 h = 03:30).
  maxShiftHours: { schema: z.number().min(1).max(24), default: 14 },
  // 30 days leaves time to undo a mistaken deactivation; 10 years is the upper bound accepted.
  retentionDays: { schema: z.number().int().min(0).max(3650), default: 30 },
  storeRawCaptures: { schema: z.boolean(), default: false },
  // Off until an admin opts in: the passive check still refuses a third of live held-out clips
  // (README, "Face liveness"), which would turn staff away at the door every day.
  livenessMode: { schema: z.enum(LIVENESS_MODES), default: 'off' },
};

export type SecuritySettings = {
  /** scrypt hash string of the admin PIN (see pin-hash.ts); null until the first start sets it. */
  'security.adminPinHash': string | null;
  /** True while the PIN is still the first-run default, so the UI can ask for a new one. */
  'security.adminPinIsDefault': boolean;
  /** Consecutive failed admin logins since the last success or lockout. */
  'security.adminFailures': number;
  /** ISO time until which admin logins are refused, or null. */
  'security.adminLockedUntil': string | null;
};

export const SECURITY_SETTINGS: SettingsSpec<SecuritySettings> = {
  'security.adminPinHash': { schema: z.string().min(1).max(512).nullable(), default: null },
  'security.adminPinIsDefault': { schema: z.boolean(), default: true },
  'security.adminFailures': { schema: z.number().int().min(0), default: 0 },
  'security.adminLockedUntil': { schema: z.iso.datetime().nullable(), default: null },
};
