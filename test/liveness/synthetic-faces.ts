/**
 * Landmark sequences with known geometry for the liveness tests: a rigid 3-D head (dlib's mean
 * face with the nose and upper lip standing forward, from test/face/landmarks.ts), a flat
 * picture of a face seen through a pinhole camera at any pose, and the non-rigid motions of a
 * live face (mouth opening, eyelids closing). Built here from first principles, independently
 * of the code under test.
 */
import type { Point } from '../../src-main/core/face/types.js';
import { turnedHead, type HeadShape } from '../face/landmarks.js';

export { mulberry32 as seeded } from '../../src-main/eval/mulberry32.js';

/** Depths and drops in eye spacings: nose 0.4 in front of the eyes, as a mean adult head. */
export const HEAD: HeadShape = { noseDepth: 0.4, lipDepth: 0.2, noseDrop: 0.62, lipDrop: 1 };
export const EYE_DISTANCE_PX = 80;

export const head = (angles: { yaw?: number; pitch?: number; roll?: number } = {}): Point[] =>
  turnedHead(HEAD, angles, EYE_DISTANCE_PX, { x: 320, y: 240 });

/**
 * `points` drawn on a flat picture (in its own pixel frame, centred at `centre`), the picture
 * turned by yaw/pitch/roll (degrees) and moved, then seen by a pinhole camera with focal length
 * `focal` pixels at `distance` pixels (picture units) from it.
 */
export function pictureView(
  points: readonly Point[],
  pose: { yaw?: number; pitch?: number; roll?: number; shiftX?: number; shiftY?: number; approach?: number },
  centre: Point = { x: 320, y: 240 },
  focal = 550,
  distance = 600,
): Point[] {
  const rad = (d = 0): number => (d * Math.PI) / 180;
  const [yaw, pitch, roll] = [rad(pose.yaw), rad(pose.pitch), rad(pose.roll)];
  return points.map((p) => {
    let [x, y, z] = [p.x - centre.x, p.y - centre.y, 0];
    [x, z] = [x * Math.cos(yaw) + z * Math.sin(yaw), -x * Math.sin(yaw) + z * Math.cos(yaw)];
    [y, z] = [y * Math.cos(pitch) - z * Math.sin(pitch), y * Math.sin(pitch) + z * Math.cos(pitch)];
    [x, y] = [x * Math.cos(roll) - y * Math.sin(roll), x * Math.sin(roll) + y * Math.cos(roll)];
    x += pose.shiftX ?? 0;
    y += pose.shiftY ?? 0;
    const depth = distance - (pose.approach ?? 0) - z;
    return { x: centre.x + (focal * x) / depth, y: centre.y + (focal * y) / depth };
  });
}

/** The lower lip and chin dropped by `amount` eye spacings, the mouth corners by half of it (speech). */
export function openMouth(points: readonly Point[], amount: number): Point[] {
  const full = new Set([7, 8, 9, 56, 57, 58, 65, 66, 67]);
  const half = new Set([6, 10, 55, 59, 64]);
  const eye = eyeSpacing(points);
  return points.map((p, i) => ({ x: p.x, y: p.y + (full.has(i) ? amount : half.has(i) ? amount / 2 : 0) * eye }));
}

/** Upper and lower lids of both eyes moved towards each other so the eyes' openness is `fraction` of what it was. */
export function closeEyes(points: readonly Point[], fraction: number): Point[] {
  const out = points.map((p) => ({ ...p }));
  for (const start of [36, 42]) {
    const centreY = (points[start]!.y + points[start + 3]!.y) / 2;
    for (const lid of [1, 2, 4, 5]) {
      const p = points[start + lid]!;
      out[start + lid] = { x: p.x, y: centreY + (p.y - centreY) * fraction };
    }
  }
  return out;
}

/** Independent Gaussian jitter of standard deviation `sigma` eye spacings on every coordinate (the landmark net's noise). */
export function jitter(points: readonly Point[], sigma: number, random: () => number): Point[] {
  const eye = eyeSpacing(points);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return points.map((p) => ({ x: p.x + sigma * eye * gauss(), y: p.y + sigma * eye * gauss() }));
}


function eyeSpacing(points: readonly Point[]): number {
  const c = (from: number): Point => {
    const part = points.slice(from, from + 6);
    return { x: part.reduce((s, p) => s + p.x, 0) / 6, y: part.reduce((s, p) => s + p.y, 0) / 6 };
  };
  const [l, r] = [c(36), c(42)];
  return Math.hypot(r.x - l.x, r.y - l.y);
}
