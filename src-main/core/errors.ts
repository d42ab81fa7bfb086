/**
 * Typed errors shared by every room of the core. Every failure a user or a caller can
 * cause is a KioskError with a stable `code`, so transports can map it to a reply
 * without parsing messages, and tests can assert the exact failure.
 */
import type { KioskErrorCode } from '../../src-shared/error-codes.js';

export type { KioskErrorCode };

export class KioskError extends Error {
  readonly code: KioskErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: KioskErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KioskError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: KioskErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isKioskError(value: unknown, code?: KioskErrorCode): value is KioskError {
  return value instanceof KioskError && (code === undefined || value.code === code);
}
