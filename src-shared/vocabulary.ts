/**
 * The words both processes must agree on: what the main process validates and stores, and what
 * the renderer offers, labels and checks before sending. One list each, imported by both sides.
 */

/** Languages of the screens and of the spoken phrases. */
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

/** Ways to clock in; the first two are biometric and have templates. */
export const CLOCK_MODALITIES = ['face', 'voice', 'pin'] as const;
export type ClockModality = (typeof CLOCK_MODALITIES)[number];
export const BIOMETRIC_MODALITIES = ['face', 'voice'] as const;
export type BiometricModality = (typeof BIOMETRIC_MODALITIES)[number];

export const PUNCH_DIRECTIONS = ['in', 'out'] as const;
export type PunchDirection = (typeof PUNCH_DIRECTIONS)[number];

/**
 * Face liveness before identification: 'off'; 'passive' (the burst must show motion a flat
 * picture cannot make); 'challenge' (a random action to perform).
 */
export const LIVENESS_MODES = ['off', 'passive', 'challenge'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];

/**
 * How a biometric clock-in finds the person: 'identify' searches everyone enrolled (1:N);
 * 'verify' takes the employee's code first and compares with that one person only (1:1).
 */
export const RECOGNITION_MODES = ['identify', 'verify'] as const;
export type RecognitionMode = (typeof RECOGNITION_MODES)[number];

/** Score points above the threshold within which an accepted face or voice is 'near' the pass mark. */
export const NEAR_PASS_MARK = 0.05;

/** Challenge actions; turn_left and turn_right are the person's own left and right. */
export const CHALLENGE_INSTRUCTIONS = ['turn_left', 'turn_right', 'blink'] as const;
export type ChallengeInstruction = (typeof CHALLENGE_INSTRUCTIONS)[number];

/** The guided enrollment shots, in the order the wizard asks for them. */
export const FACE_POSES = ['front', 'left', 'right'] as const;
export type FacePose = (typeof FACE_POSES)[number];

/** What one enrollment captures: a shot per guided pose, and three phrases of about 3 s. */
export const ENROLL_FACE_SHOTS = FACE_POSES.length;
export const ENROLL_VOICE_PHRASES = 3;

/** Admin and clock-in PINs: digits only. */
export const PIN_PATTERN = /^\d{4,12}$/;
export const PIN_MAX_DIGITS = 12;

/** Employee codes: letters of any script, digits, '.', '_' and '-'. */
export const EMPLOYEE_CODE_PATTERN = /^[\p{L}\p{N}._-]+$/u;
export const EMPLOYEE_CODE_MAX_CHARS = 32;
