/** The typed error code a synchronous call throws; anything other than a KioskError fails the test. */
import { KioskError } from '../../src-main/core/errors.js';

export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
  throw new Error('expected a KioskError');
}
