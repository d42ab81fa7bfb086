/**
 * The threshold a decision uses right now, and whether a modality searches everyone or verifies a
 * claimed code. A threshold is derived from the admin's false-accept target, the encoder's
 * calibration table and the number of templates the decision compares with — the whole gallery
 * for a search (N people × k templates), the claimed employee's own k templates for a
 * verification — or is the raw threshold setting when the target is off or the model has no
 * table. Recomputed at each decision, so it follows every enrollment and erasure.
 */
import type { BiometricModality, RecognitionMode } from '../../../src-shared/vocabulary.js';
import type { KioskSettings } from './settings.js';
import type { CalibratedBiometric, ServiceContext } from './service-context.js';
import { thresholdForTarget } from '../match/impostor-calibration.js';

export interface ThresholdInForce {
  readonly threshold: number;
  /** 'target' when derived from the modality's false-accept target, 'setting' when its raw threshold was used. */
  readonly from: 'target' | 'setting';
  /** Per-comparison false match rate the target needs; null for the raw setting. */
  readonly perComparisonFmr: number | null;
  /** False when that rate lies beyond the calibration table (its strictest score is used); null for the raw setting. */
  readonly withinTable: boolean | null;
}

type Context = Pick<ServiceContext, 'store' | 'face' | 'voice'>;

const SETTING_KEYS = {
  face: { threshold: 'faceThreshold', target: 'faceFalseAcceptTarget', mode: 'faceMode' },
  voice: { threshold: 'voiceThreshold', target: 'voiceFalseAcceptTarget', mode: 'voiceMode' },
} as const satisfies Record<BiometricModality, Record<string, keyof KioskSettings>>;

/** The threshold for a decision that compares the probe with `comparisons` templates. */
export function thresholdFor(context: Context, modality: BiometricModality, comparisons: number): ThresholdInForce {
  const keys = SETTING_KEYS[modality];
  const { settings } = context.store;
  const target = settings.get(keys.target);
  const calibration = biometricOf(context, modality)?.calibration ?? null;
  if (target === null || calibration === null || comparisons < 1) return { threshold: settings.get(keys.threshold), from: 'setting', perComparisonFmr: null, withinTable: null };
  const derived = thresholdForTarget(calibration, target, comparisons);
  return { threshold: derived.threshold, from: 'target', perComparisonFmr: derived.perComparisonFmr, withinTable: derived.withinTable };
}

/** The threshold of a search of everyone enrolled in the modality. */
export function identifyThreshold(context: Context, modality: BiometricModality): ThresholdInForce {
  return thresholdFor(context, modality, biometricOf(context, modality)?.gallery.templateCount ?? 0);
}

/** The threshold of one comparison with the claimed employee's own templates (at least one). */
export function verifyThreshold(context: Context, modality: BiometricModality, employeeId: number | undefined): ThresholdInForce {
  const templates = employeeId === undefined ? 0 : (biometricOf(context, modality)?.gallery.templatesOf(employeeId) ?? 0);
  return thresholdFor(context, modality, Math.max(1, templates));
}

export interface ModeInForce {
  readonly mode: RecognitionMode;
  /** What the admin asked for: differs from `mode` when voice identification is not vouched for. */
  readonly requested: RecognitionMode;
}

/**
 * Face follows its setting (a search threshold from the target always holds strangers to it, and
 * the raw face threshold stays an expert's choice). Voice identifies only while its calibration
 * vouches for the target at the gallery's size — a table, a target, and a per-comparison rate the
 * table measured; otherwise it verifies, because no raw voice threshold keeps a search of
 * hundreds of voices safe.
 */
export function recognitionModeInForce(context: Context, modality: BiometricModality): ModeInForce {
  const requested = context.store.settings.get(SETTING_KEYS[modality].mode);
  if (requested === 'verify' || modality === 'face') return { mode: requested, requested };
  const search = identifyThreshold(context, modality);
  return { mode: search.from === 'target' && search.withinTable === true ? 'identify' : 'verify', requested };
}

function biometricOf(context: Context, modality: BiometricModality): CalibratedBiometric<unknown> | null {
  return modality === 'face' ? context.face : context.voice;
}
