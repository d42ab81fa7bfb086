/**
 * Measures on the 68 iBUG landmarks shared by the quality gates (face/quality.ts) and the
 * liveness checks (liveness/): centroids, the eye centres and the distance between them.
 */
import type { Landmarks68, Point } from './types.js';

export function isFinitePoint(p: unknown): p is Point {
  return typeof p === 'object' && p !== null && Number.isFinite((p as Point).x) && Number.isFinite((p as Point).y);
}

export function centroid(points: readonly Point[]): Point {
  let x = 0, y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Centres of the left (points 36-41) and right (42-47) eyes, in the image's left-to-right order. */
export function eyeCentres(landmarks: Landmarks68): { left: Point; right: Point } {
  return { left: centroid(landmarks.slice(36, 42)), right: centroid(landmarks.slice(42, 48)) };
}

/** Distance between the eye centres, pixels. */
export function interOcularDistance(landmarks: Landmarks68): number {
  const { left, right } = eyeCentres(landmarks);
  return Math.hypot(right.x - left.x, right.y - left.y);
}
