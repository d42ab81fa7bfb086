/**
 * Turns results and failures into what the screen says: greetings by time of day, match
 * confidence as a percentage, times in the kiosk's clock, and errors in plain words.
 */
import { KioskApiError } from './api.js';
import { DeviceError } from './devices.js';
import type { Locale } from '../../src-shared/vocabulary.js';
import { intlLocale, isMessageKey, type MessageKey, type Params, type Translate } from './i18n.js';

export type DayPart = 'morning' | 'afternoon' | 'evening' | 'night';

/** Night (22:00–03:59) gets a plain "Hello": "Good evening" at 3 a.m. reads wrong to a night shift. */
export function dayPart(at: Date): DayPart {
  const hour = at.getHours();
  if (hour >= 4 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 22) return 'evening';
  return 'night';
}

/** Similarity score as a whole percentage, clamped to 0–100 (scores may be cosine, in -1..1). */
export function confidencePercent(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 100);
}

/** HH:MM on a 24-hour clock; a value that is not a date is shown as it came. */
export function formatTime(value: string | Date | null, lang: Locale): string {
  if (value === null) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(intlLocale(lang), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

export function formatDay(day: string, lang: Locale): string {
  const date = new Date(`${day}T12:00:00`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(intlLocale(lang), { weekday: 'short', month: 'short', day: 'numeric' }).format(date);
}

/** YYYY-MM-DD of a local date (the contract's day format). */
export function isoDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * An error in plain words, always in the person's language: the message for its code in the given
 * contexts (most specific first), then the general one for the code; for each, a `.plain` variant
 * is used when the error's details cannot fill the message's blanks. A code without a message, or
 * an error that is not the kiosk's, gets the general "something went wrong" with its next step:
 * the service's own sentence is English, internal, and never shown (it goes to the console).
 */
export function errorText(t: Translate, err: unknown, contexts: readonly string[] = []): string {
  if (err instanceof DeviceError) return t(`device.${err.device}.${err.problem}` as MessageKey);
  if (err instanceof KioskApiError) {
    const params = detailParams(err.details);
    for (const base of [...contexts.map((c) => `${c}.${err.code}`), `error.${err.code}`]) {
      for (const key of [base, `${base}.plain`]) {
        if (!isMessageKey(key)) continue;
        const text = t(key, params);
        if (!/\{\w+\}/.test(text)) return text;
      }
    }
  }
  if (typeof console !== 'undefined') console.warn('[kiosk] error without a message of its own:', err);
  return t('error.unknown');
}

/**
 * Something a screen tells the user, kept untranslated (a message key with its blanks, or the
 * error itself) and worded only when shown, so it follows a language switch.
 */
export type Notice = { key: MessageKey; params?: Params | undefined } | { error: unknown; contexts?: readonly string[] | undefined };

export const say = (key: MessageKey, params?: Params): Notice => ({ key, params });
export const failure = (error: unknown, contexts?: readonly string[]): Notice => ({ error, contexts });

export function noticeText(t: Translate, notice: Notice): string {
  return 'key' in notice ? t(notice.key, notice.params) : errorText(t, notice.error, notice.contexts);
}

function detailParams(details: Record<string, unknown> | undefined): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') params[key] = value;
  }
  // Lockouts come in seconds; people think in minutes.
  if (typeof params.retryAfterSeconds === 'number') params.minutes = Math.max(1, Math.ceil(params.retryAfterSeconds / 60));
  return params;
}
