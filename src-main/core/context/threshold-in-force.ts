/**
 * The face threshold a decision uses right now: derived from the admin's false-accept target, the
 * encoder's calibration table and the gallery's current size (every enrolled template is one
 * comparison of a search), or the raw faceThreshold setting when the target is off or the model
 * has no table. Recomputed at each decision, so it follows every enrollment and erasure.
 */
import type { ServiceContext } from './service-context.js';
import { thresholdForTarget } from '../match/impostor-calibration.js';

export interface ThresholdInForce {
  readonly threshold: number;
  /** 'target' when derived from faceFalseAcceptTarget, 'setting' when faceThreshold was used. */
  readonly from: 'target' | 'setting';
}

export function faceThresholdInForce(context: Pick<ServiceContext, 'store' | 'face'>): ThresholdInForce {
  const { store, face } = context;
  const { settings } = store;
  const target = settings.get('faceFalseAcceptTarget');
  // Every enrolled template is one comparison of a search (N people × their templates).
  const comparisons = face.gallery.templateCount;
  if (target === null || face.calibration === null || comparisons === 0) return { threshold: settings.get('faceThreshold'), from: 'setting' };
  return { threshold: thresholdForTarget(face.calibration, target, comparisons).threshold, from: 'target' };
}
