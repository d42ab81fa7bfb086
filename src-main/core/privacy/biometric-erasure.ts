/**
 * Erasing a person's biometric data, one rule for every path that does it (re-enrollment, an
 * admin's erasure, the retention sweep): every template of every modality and model version,
 * and every kept raw capture. Erasure for good also withdraws the consent, so any new capture
 * needs a new one; re-enrollment keeps it. Runs inside the caller's transaction, which also
 * writes the caller's audit entry.
 */
import type { KioskSettings } from '../context/settings.js';
import type { Store } from '../store/store.js';

export interface BiometricErasure {
  readonly templatesErased: number;
  readonly rawCapturesErased: number;
}

export function eraseBiometrics(
  store: Store<KioskSettings>,
  employeeId: number,
  consent: 'keep' | 'withdraw',
): BiometricErasure {
  const templatesErased = store.templates.deleteForEmployee(employeeId);
  const rawCapturesErased = store.rawCaptures.deleteForEmployee(employeeId);
  if (consent === 'withdraw') store.consents.withdraw(employeeId);
  return { templatesErased, rawCapturesErased };
}
