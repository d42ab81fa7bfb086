/**
 * Merging the detections of one image made at two scales. SSD MobileNet (trained on scenes)
 * misses a face that fills much of the frame — someone leaning into the kiosk camera, a tight
 * portrait — and may then report only a small face behind them; on a copy framed by a border the
 * large face is found. The two lists overlap where both scales saw a face: keep the more
 * confident box of each overlapping pair.
 */
import type { Box, Detection } from './types.js';

/**
 * Boxes of one face at two scales differ in size more than two boxes of one scale, so overlap is
 * judged against the smaller box (intersection over the smaller area) as well as by IoU.
 */
const SAME_FACE_IOU = 0.3;
const SAME_FACE_COVERAGE = 0.7;

export function intersectionArea(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

export function sameFace(a: Box, b: Box): boolean {
  const inter = intersectionArea(a, b);
  if (inter === 0) return false;
  const areaA = a.width * a.height;
  const areaB = b.width * b.height;
  return inter / (areaA + areaB - inter) > SAME_FACE_IOU || inter / Math.min(areaA, areaB) > SAME_FACE_COVERAGE;
}

/** Detections of both lists (same coordinates), one per face, most confident first. */
export function mergeDetections(...lists: readonly (readonly Detection[])[]): Detection[] {
  const byScore = lists.flat().sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of byScore) if (!kept.some((k) => sameFace(k.box, d.box))) kept.push(d);
  return kept;
}
