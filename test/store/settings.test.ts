import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../src-main/core/store/database.js';
import { SettingsRepository, type SettingsSpec } from '../../src-main/core/store/settings-repository.js';
import { codeOf, tempDir } from './helpers.js';

interface KioskSettings extends Record<string, unknown> {
  faceThreshold: number;
  language: 'en' | 'ko';
  camera: { deviceId: string | null };
}

const spec: SettingsSpec<KioskSettings> = {
  faceThreshold: { schema: z.number().min(0).max(1), default: 0.4 },
  language: { schema: z.enum(['en', 'ko']), default: 'en' },
  camera: { schema: z.object({ deviceId: z.string().nullable() }), default: { deviceId: null } },
};

describe('SettingsRepository', () => {
  it('reads defaults until set, then the stored value, also after reopening', () => {
    const path = join(tempDir(), 'kiosk.db');
    const db = openDatabase(path);
    const settings = new SettingsRepository(db, spec);
    expect(settings.getAll()).toEqual({ faceThreshold: 0.4, language: 'en', camera: { deviceId: null } });
    settings.set('language', 'ko');
    settings.set('camera', { deviceId: 'usb-0' });
    db.close();
    const reopened = openDatabase(path);
    const again = new SettingsRepository(reopened, spec);
    expect(again.get('language')).toBe('ko');
    expect(again.get('camera')).toEqual({ deviceId: 'usb-0' });
    again.reset('language');
    expect(again.get('language')).toBe('en');
    reopened.close();
  });

  it('refuses values the schema rejects and unknown keys with INVALID_INPUT', () => {
    const db = openDatabase(join(tempDir(), 'kiosk.db'));
    const settings = new SettingsRepository(db, spec);
    expect(codeOf(() => settings.set('faceThreshold', 1.5))).toBe('INVALID_INPUT');
    expect(codeOf(() => settings.set('language', 'fr' as 'en'))).toBe('INVALID_INPUT');
    expect(codeOf(() => settings.get('nope' as 'language'))).toBe('INVALID_INPUT');
    expect(codeOf(() => settings.get('toString' as 'language'))).toBe('INVALID_INPUT');
    expect(settings.get('faceThreshold')).toBe(0.4);
    db.close();
  });

  it('reads a stored value that a tightened schema no longer accepts as the default', () => {
    const db = openDatabase(join(tempDir(), 'kiosk.db'));
    new SettingsRepository(db, { ...spec, faceThreshold: { schema: z.number(), default: 0.4 } }).set('faceThreshold', 7);
    expect(new SettingsRepository(db, spec).get('faceThreshold')).toBe(0.4);
    db.close();
  });
});
