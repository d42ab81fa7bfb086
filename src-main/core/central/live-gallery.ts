/**
 * After a gallery batch from the central server is applied to the cache, the live galleries
 * (what clock-ins search) reload the employees it touched: an erased or deactivated person stops
 * being recognised at once, a newly enrolled one is recognised at once.
 */
import type { Biometric } from '../context/service-context.js';
import type { ServiceContext } from '../context/service-context.js';

export function refreshGalleries(context: ServiceContext, employeeIds: readonly number[]): void {
  const { store } = context;
  const biometrics: Biometric<unknown>[] = [context.face, ...(context.voice === null ? [] : [context.voice])];
  for (const id of employeeIds) {
    let active = false;
    try {
      active = store.employees.get(id).active;
    } catch {
      active = false;
    }
    for (const biometric of biometrics) {
      biometric.gallery.removeEmployee(id);
      if (!active) continue;
      for (const template of store.templates.listForEmployee(id, biometric.gallery.modality, biometric.model)) {
        biometric.gallery.add(id, template.id, template.vector);
      }
    }
  }
}
