/**
 * The admin's view of the kiosk settings: read them, and change several at once, all or
 * nothing (one refused value leaves every setting as it was), with the change audit-logged
 * under the admin's actor in the same transaction.
 */
import type { KioskSettings } from '../context/settings.js';
import type { Store } from '../store/store.js';

export class SettingsService {
  constructor(private readonly store: Store<KioskSettings>) {}

  get<K extends keyof KioskSettings>(key: K): KioskSettings[K] {
    return this.store.settings.get(key);
  }

  getAll(): KioskSettings {
    return this.store.settings.getAll();
  }

  /** INVALID_INPUT for an unknown key or a value its schema refuses (the repository checks both). */
  update(actor: string, changes: Readonly<Record<string, unknown>>): KioskSettings {
    const { db, settings, audit } = this.store;
    db.transaction(() => {
      for (const [key, value] of Object.entries(changes)) settings.set(key as keyof KioskSettings, value as KioskSettings[keyof KioskSettings]);
      audit.append({ actor, action: 'settings.set', details: { changed: JSON.parse(JSON.stringify(changes)) } });
    });
    return this.getAll();
  }
}
