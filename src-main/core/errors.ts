/**
 * Typed errors shared by every room of the core. Every failure a user or a caller can
 * cause is a KioskError with a stable `code`, so transports can map it to a reply
 * without parsing messages, and tests can assert the exact failure.
 */
export type KioskErrorCode =
  // input decoding / limits
  | 'EMPTY_INPUT'
  | 'CORRUPT_IMAGE'
  | 'UNSUPPORTED_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'BAD_FRAME'
  | 'INVALID_INPUT'
  | 'PAYLOAD_TOO_LARGE'
  // face quality gates
  | 'NO_FACE'
  | 'MULTIPLE_FACES'
  | 'FACE_TOO_SMALL'
  | 'TOO_DARK'
  | 'OVEREXPOSED'
  | 'BLURRED'
  | 'STRONG_POSE'
  // face liveness (presentation-attack detection)
  | 'LIVENESS_FAILED'
  | 'CHALLENGE_EXPIRED'
  // voice quality gates
  | 'NO_SPEECH'
  | 'SPEECH_TOO_SHORT'
  | 'CLIPPING'
  | 'TOO_QUIET'
  | 'BAD_AUDIO'
  | 'CORRUPT_AUDIO'
  // models / runtime
  | 'MODEL_MISSING'
  | 'MODEL_CORRUPT'
  | 'RUNTIME_ERROR'
  // store
  | 'DB_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'DB_CORRUPT'
  // templates at rest
  | 'TEMPLATE_TAMPERED'
  | 'KEY_INSECURE'
  | 'KEY_INVALID'
  // services and transports
  | 'CONSENT_REQUIRED'
  | 'UNAUTHORIZED'
  | 'LOCKED_OUT'
  | 'PIN_REJECTED'
  | 'PHRASE_EXPIRED'
  | 'VOICE_UNAVAILABLE'
  | 'UNKNOWN_HANDLER'
  | 'FORBIDDEN_ORIGIN'
  | 'INTERNAL';

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
