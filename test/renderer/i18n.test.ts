// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { KioskApiError } from '../../src-renderer/lib/api.js';
import { DeviceError } from '../../src-renderer/lib/devices.js';
import { MESSAGE_KEYS, translate, type MessageKey, type Params } from '../../src-renderer/lib/i18n.js';
import { confidencePercent, dayPart, errorText } from '../../src-renderer/lib/messages.js';
import { KIOSK_ERROR_CODES } from '../../src-shared/error-codes.js';
import type { ClientErrorCode } from '../../src-renderer/lib/api.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const HANGUL = /[\uac00-\ud7a3]/;

describe('messages', () => {
  it('has real Korean for every message (only "PIN" may stay as it is)', () => {
    expect(MESSAGE_KEYS.length).toBeGreaterThan(150);
    const untranslated = MESSAGE_KEYS.filter((k) => !HANGUL.test(translate('ko', k)) && translate('ko', k) !== 'PIN');
    expect(untranslated).toEqual([]);
  });

  it('uses 출근 / 퇴근 for in / out and 인식되지 않았습니다 for not recognised', () => {
    expect(translate('ko', 'result.in')).toBe('출근');
    expect(translate('ko', 'result.out')).toBe('퇴근');
    expect(translate('ko', 'result.notRecognised')).toBe('인식되지 않았습니다');
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'result.greeting.morning', { name: '김민준' })).toBe('Good morning, 김민준');
    expect(translate('en', 'attempts.points', {})).toBe('{value} points');
  });

  it('words greetings by the hour and confidence as a clamped percentage', () => {
    const at = (h: number) => new Date(2025, 4, 12, h, 0);
    // Never "Good evening" at 3 a.m.: the night gets a plain hello.
    expect([0, 3, 4, 11, 12, 17, 18, 21, 22, 23].map((h) => dayPart(at(h)))).toEqual([
      'night',
      'night',
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
      'night',
      'night',
    ]);
    expect([0.874, 0.875, 1.2, -0.3].map(confidencePercent)).toEqual([87, 88, 100, 0]);
  });

  it('explains errors: context first, then the code, then the service message', () => {
    const t = (key: MessageKey, params?: Params) => translate('en', key, params);
    const duplicate = new KioskApiError('DUPLICATE', 'This face already matches Ana (E2)', { name: '김민준', code: 'E1001' });
    expect(errorText(t, duplicate, ['wizard.face'])).toBe('This face already matches 김민준 (E1001) — enrollment refused.');
    expect(errorText(t, duplicate, ['wizard.details'])).toBe('That employee code is already in use.');
    // Without the details that fill the blanks, the message's plain variant; never the service's English sentence.
    expect(errorText(t, new KioskApiError('DUPLICATE', 'service text'), ['wizard.face'])).toBe(translate('en', 'wizard.face.DUPLICATE.plain'));
    expect(errorText(t, new KioskApiError('LOCKED_OUT', 'locked', { retryAfterSeconds: 181 }))).toBe('Too many wrong attempts — try again in 4 min.');
    expect(errorText(t, new KioskApiError('BLURRED', 'blur 12.3 < 40'), ['wizard.face'])).toBe('Blurred — hold still for a moment.');
    expect(errorText(t, new KioskApiError('LOCKED_OUT', 'Try again in 5 minutes'))).toBe('Too many wrong attempts — wait a few minutes, then try again.');
    // A code nobody wrote words for, and an error that is not the kiosk's: the general message, not the raw text.
    expect(errorText(t, new KioskApiError('SOMETHING_NEW', 'raw internal text'))).toBe(translate('en', 'error.unknown'));
    expect(errorText(t, new Error('TypeError: x is undefined'))).toBe(translate('en', 'error.unknown'));
    expect(errorText(t, new DeviceError('microphone', 'denied', 'x'))).toBe('Microphone permission denied — ask an administrator');
  });

  it('walks every error code the handlers can return and checks both catalogues have a message for it', () => {
    // Every code the main process throws (KioskError is typed by this list) and every code the client raises itself.
    const thrown = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/KioskError\(\s*'([A-Z_]+)'/g)) thrown.add(m[1]!);
      }
    };
    walk(join(__dirname, '../../src-main'));
    expect(thrown.size).toBeGreaterThan(30);
    const known = new Set<string>(KIOSK_ERROR_CODES);
    expect([...thrown].filter((code) => !known.has(code))).toEqual([]);
    const client: ClientErrorCode[] = ['NETWORK', 'TIMEOUT', 'BAD_REPLY'];
    const raw = 'Landmarks are degenerate: the mouth is not below the eyes';
    for (const code of [...KIOSK_ERROR_CODES, ...client]) {
      const key = `error.${code}` as MessageKey;
      expect(MESSAGE_KEYS, `no message for ${code}`).toContain(key);
      for (const lang of ['en', 'ko'] as const) {
        const t = (k: MessageKey, params?: Params) => translate(lang, k, params);
        // With no details at all (what a reply without them gives), still the person's language, no blanks, never the raw text.
        const text = errorText(t, new KioskApiError(code, raw));
        expect(text, `${lang} ${code}`).not.toBe(raw);
        expect(text, `${lang} ${code}`).not.toMatch(/\{\w+\}/);
        if (lang === 'ko') expect(text, code).toMatch(HANGUL);
        // A next step: every message says what to do, after the dash (EN) or in a second sentence (KO).
        if (lang === 'en') expect(text, code).toMatch(/—|\. [A-Z]|, then /);
      }
    }
  });
});
