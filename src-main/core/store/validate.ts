/** Input checks shared by the repositories: every rejection is an INVALID_INPUT KioskError. */
import { KioskError } from '../errors.js';

// C0/C1 controls, and the bidi overrides that let a name display as something else.
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Trimmed, NFC-normalised text of 1..maxLength characters without control characters. NFC
 * matters for Hangul: macOS and some IMEs produce decomposed jamo, which would otherwise
 * compare unequal to the same name typed elsewhere.
 */
export function requireText(field: string, value: unknown, maxLength: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const text = value.normalize('NFC').trim();
  if (!allowEmpty && text.length === 0) throw invalid(field, 'must not be empty');
  if (text.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  if (FORBIDDEN_CHARS.test(text)) throw invalid(field, 'must not contain control characters');
  return text;
}

/** A positive integer row id. */
export function requireId(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(field, 'must be a positive integer id');
  }
  return value;
}

export function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * ISO-8601 UTC with milliseconds. Years outside 0000-9999 would change the string's length and
 * break "text order = time order", so they are refused.
 */
export function toIsoTime(field: string, value: unknown): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(field, 'must be a valid Date');
  const year = value.getUTCFullYear();
  if (year < 0 || year > 9999) throw invalid(field, 'must be between years 0000 and 9999');
  return value.toISOString();
}

export function invalid(field: string, problem: string): KioskError {
  return new KioskError('INVALID_INPUT', `${field} ${problem}`, { field });
}
