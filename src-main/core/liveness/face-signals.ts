/**
 * Scalar signals read from the 68 iBUG landmarks for the liveness checks. Both are ratios of
 * distances measured along the face, so a flat picture tilted, turned or moved in front of the
 * camera (an affine or nearly affine change of every point) leaves them nearly unchanged (a
 * point on a line stays on it; lengths along one direction scale alike), while a real head
 * turning or real lids closing change them a lot.
 */
import { KioskError } from '../errors.js';
import { eyeCentres, interOcularDistance, isFinitePoint } from '../face/landmark-measures.js';
import type { Landmarks68, Point } from '../face/types.js';

/**
 * Sideways offset of the nose tip (30) from the line through the eyes' midpoint and the
 * mouth's midpoint (48, 54), in inter-ocular distances. Positive when the nose points to the
 * image's right: with the camera's unmirrored frames, the person turning to *their* left. The
 * nose stands ~0.4 eye spacings in front of that line, so a turn by θ moves it by about 0.4·sin θ;
 * a flat picture's nose stays on its line however the picture is turned.
 */
export function noseOffset(landmarks: Landmarks68): number {
  assertLandmarks(landmarks);
  const { left, right } = eyeCentres(landmarks);
  const eyes = midpoint(left, right);
  const mouth = midpoint(landmarks[48]!, landmarks[54]!);
  const nose = landmarks[30]!;
  const axis = { x: mouth.x - eyes.x, y: mouth.y - eyes.y };
  const length = Math.hypot(axis.x, axis.y);
  const spacing = interOcularDistance(landmarks);
  if (!(length > 0) || !(spacing > 0)) throw new KioskError('INVALID_INPUT', 'Landmarks are degenerate: eyes and mouth coincide');
  // Signed distance of the nose from the eye-mouth line; image x grows right, y grows down.
  const cross = (axis.x * (nose.y - eyes.y) - axis.y * (nose.x - eyes.x)) / length;
  return -cross / spacing;
}

/**
 * Eye aspect ratio (Soukupová & Čech 2016) averaged over both eyes: lid-to-lid height over eye
 * width. About 0.25-0.35 for an open eye, near 0.1 or below for a closed one; NaN when an eye
 * has no width (degenerate landmarks), which blinkDepth skips.
 */
export function eyeOpenness(landmarks: Landmarks68): number {
  assertLandmarks(landmarks);
  const ratio = (p: number): number => {
    const d = (a: number, b: number): number => Math.hypot(landmarks[p + a]!.x - landmarks[p + b]!.x, landmarks[p + a]!.y - landmarks[p + b]!.y);
    const width = d(0, 3);
    return width > 0 ? (d(1, 5) + d(2, 4)) / (2 * width) : Number.NaN;
  };
  return (ratio(36) + ratio(42)) / 2;
}

/**
 * The deepest dip of the openness below the open eyes on both sides of it: 1 − closed / min(open
 * before, open after). Eyes that close and stay closed, or open from closed, are no blink.
 */
export function blinkDepth(openness: readonly number[]): number {
  const values = openness.filter(Number.isFinite);
  let deepest = 0;
  for (let j = 1; j < values.length - 1; j++) {
    const open = Math.min(Math.max(...values.slice(0, j)), Math.max(...values.slice(j + 1)));
    if (open > 0) deepest = Math.max(deepest, 1 - values[j]! / open);
  }
  return deepest;
}

export function assertLandmarks(landmarks: unknown): asserts landmarks is Landmarks68 {
  if (!Array.isArray(landmarks) || landmarks.length !== 68 || !landmarks.every(isFinitePoint)) {
    throw new KioskError('INVALID_INPUT', 'Liveness needs 68 finite landmarks per frame');
  }
}

const midpoint = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
