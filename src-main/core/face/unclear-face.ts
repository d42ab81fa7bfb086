/**
 * FACE_UNCLEAR: a face box whose landmarks make no face.
 */
import { isKioskError, KioskError } from '../errors.js';

/**
 * The landmarks here are the landmark net's own output, so landmarks that align no face (the mouth
 * not below the eyes, every point in one place) are not a caller's invalid input: the net did not
 * make out a face in that box. Said as FACE_UNCLEAR, a frame problem the kiosk skips and words
 * ("face the camera"), instead of INVALID_INPUT with an internal sentence.
 */
export function landmarksMakeAFace<T>(use: () => T): T {
  try {
    return use();
  } catch (error) {
    if (!isKioskError(error, 'INVALID_INPUT')) throw error;
    throw new KioskError('FACE_UNCLEAR', 'The face could not be made out. Face the camera with your whole face in view.', { cause: error.message });
  }
}
