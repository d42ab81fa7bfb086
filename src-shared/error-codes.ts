/**
 * Every error code a reply can carry, as data: the main process raises them (KioskError), the
 * renderer maps each to words in the person's language, and tests can enumerate them.
 */
export const KIOSK_ERROR_CODES = [
  // input decoding / limits
  'EMPTY_INPUT',
  'CORRUPT_IMAGE',
  'UNSUPPORTED_FORMAT',
  'IMAGE_TOO_LARGE',
  'BAD_FRAME',
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  // face quality gates
  'NO_FACE',
  'MULTIPLE_FACES',
  'FACE_TOO_SMALL',
  'TOO_DARK',
  'OVEREXPOSED',
  'BLURRED',
  'STRONG_POSE',
  /** A face was found but its landmarks make no face (turned away, half out of view, a face-like pattern). */
  'FACE_UNCLEAR',
  /** The camera delivers black frames (covered lens, dead capture): nothing to look for a face in. */
  'CAMERA_BLANK',
  // enrollment poses: the shot is not the pose the wizard asked for (the person's own left / right)
  'POSE_TURN_LEFT',
  'POSE_TURN_RIGHT',
  'POSE_LOOK_STRAIGHT',
  // face liveness (presentation-attack detection)
  'LIVENESS_FAILED',
  'CHALLENGE_EXPIRED',
  // voice quality gates
  'NO_SPEECH',
  'SPEECH_TOO_SHORT',
  'CLIPPING',
  'TOO_QUIET',
  'BAD_AUDIO',
  'CORRUPT_AUDIO',
  // models / runtime
  'MODEL_MISSING',
  'MODEL_CORRUPT',
  'RUNTIME_ERROR',
  // store
  'DB_TOO_NEW',
  'MIGRATION_FAILED',
  'NOT_FOUND',
  'DUPLICATE',
  'CONFLICT',
  'DB_CORRUPT',
  // templates at rest
  'TEMPLATE_TAMPERED',
  'KEY_INSECURE',
  'KEY_INVALID',
  // central server (several kiosks)
  'CENTRAL_UNREACHABLE',
  'CENTRAL_REFUSED',
  'KIOSK_KEY_REFUSED',
  'CENTRAL_ONLY',
  // services and transports
  'CONSENT_REQUIRED',
  'UNAUTHORIZED',
  'LOCKED_OUT',
  'PIN_REJECTED',
  'PHRASE_EXPIRED',
  'CODE_REQUIRED',
  'UNDO_EXPIRED',
  'VOICE_UNAVAILABLE',
  'UNKNOWN_HANDLER',
  'FORBIDDEN_ORIGIN',
  'INTERNAL',
] as const;

export type KioskErrorCode = (typeof KIOSK_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(KIOSK_ERROR_CODES);

export function isKioskErrorCode(value: unknown): value is KioskErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
