/**
 * Is an enrollment shot the pose the wizard asked for? The yaw is the one quality.ts already
 * estimates from the landmarks (positive: the nose points to the image's right). On a camera
 * frame as captured (the preview is mirrored, the frame is not), a person who turns to their
 * own left shows the camera their right cheek and their nose points to the image's right: positive
 * yaw. Checked on real turned faces (test/face/pose-check.test.ts): ORL s1/2, turned to his own
 * left, reads +29.5 deg; s1/6, turned to his right, −25.0 deg; s1/3, facing the camera, 0.0 deg.
 */
import type { FacePose } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';

/** A 'slightly left/right' shot must be turned at least this far that way. */
export const POSE_MIN_TURN_DEG = 8;
/**
 * A 'front' shot may be turned at most this far. Generous: people facing a kiosk camera that sits
 * beside the screen read 10–20 deg; the point is to refuse a clearly turned shot, not to demand
 * a passport photo (STRONG_POSE refuses beyond 40 deg in any pose).
 */
export const POSE_MAX_FRONT_DEG = 25;

/** The person's own left or right, or neither, as the yaw reads. */
export function turnOf(yawDeg: number): 'left' | 'right' | 'none' {
  return yawDeg >= POSE_MIN_TURN_DEG ? 'left' : yawDeg <= -POSE_MIN_TURN_DEG ? 'right' : 'none';
}

/**
 * POSE_TURN_LEFT / POSE_TURN_RIGHT when a turned shot is not turned that way (frontal, or turned
 * the other way), POSE_LOOK_STRAIGHT when a front shot is clearly turned; details say what was
 * asked, what the yaw read and which way the head was turned.
 */
export function enforcePose(asked: FacePose, yawDeg: number): void {
  const details = { asked, yawDeg: Math.round(yawDeg * 10) / 10, turnedTo: Number.isFinite(yawDeg) ? turnOf(yawDeg) : 'none' };
  if (asked === 'left' && !(yawDeg >= POSE_MIN_TURN_DEG)) {
    throw new KioskError('POSE_TURN_LEFT', 'This shot is not turned to the person\'s left: turn the head slightly to your own left and take it again.', { ...details, minTurnDeg: POSE_MIN_TURN_DEG });
  }
  if (asked === 'right' && !(yawDeg <= -POSE_MIN_TURN_DEG)) {
    throw new KioskError('POSE_TURN_RIGHT', 'This shot is not turned to the person\'s right: turn the head slightly to your own right and take it again.', { ...details, minTurnDeg: POSE_MIN_TURN_DEG });
  }
  if (asked === 'front' && !(Math.abs(yawDeg) <= POSE_MAX_FRONT_DEG)) {
    throw new KioskError('POSE_LOOK_STRAIGHT', 'This shot is turned to the side: look straight at the camera and take it again.', { ...details, maxFrontDeg: POSE_MAX_FRONT_DEG });
  }
}
