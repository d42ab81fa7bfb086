/** Synthetic 68-point landmarks built from dlib's mean face shape, for tests that need known geometry. */
import { MEAN_FACE_SHAPE_X, MEAN_FACE_SHAPE_Y } from '../../src-main/core/face/align.js';
import { applyAffine, type Affine2x3 } from '../../src-main/core/face/geometry.js';
import type { Point } from '../../src-main/core/face/types.js';

/**
 * Where dlib's chip puts landmark i (chip pixels, size x size chip with `padding`). Points
 * 0-16 (the jaw) are not in dlib's template and alignment ignores them: they get a
 * plausible U below the eyes.
 */
export function chipTemplatePoint(i: number, size = 150, padding = 0.25): Point {
  const unit =
    i >= 17
      ? { x: MEAN_FACE_SHAPE_X[i - 17]!, y: MEAN_FACE_SHAPE_Y[i - 17]! }
      : { x: 0.5 - 0.5 * Math.cos((i / 16) * Math.PI), y: 0.2 + 0.8 * Math.sin((i / 16) * Math.PI) };
  return { x: ((padding + unit.x) / (2 * padding + 1)) * size, y: ((padding + unit.y) / (2 * padding + 1)) * size };
}

/** The template's 68 points carried into the image by `chipToImage`. */
export function templateLandmarks(chipToImage: Affine2x3, size = 150, padding = 0.25): Point[] {
  return Array.from({ length: 68 }, (_, i) => applyAffine(chipToImage, chipTemplatePoint(i, size, padding)));
}

export const similarity = (angle: number, scale: number, tx: number, ty: number): Affine2x3 => [
  scale * Math.cos(angle), -scale * Math.sin(angle), tx,
  scale * Math.sin(angle), scale * Math.cos(angle), ty,
];

/** The similarity that puts the chip's centre (size/2, size/2) at `centre`. */
export function placeChip(angle: number, scale: number, centre: Point, size = 150): Affine2x3 {
  const m = similarity(angle, scale, 0, 0);
  const c = applyAffine(m, { x: size / 2, y: size / 2 });
  return similarity(angle, scale, centre.x - c.x, centre.y - c.y);
}

export interface HeadShape {
  readonly noseDepth: number;
  readonly lipDepth: number;
  readonly noseDrop: number;
  readonly lipDrop: number;
}

/**
 * 68 landmarks of a rigid head turned by yaw, pitch, roll (degrees) and seen orthographically:
 * dlib's mean face, flat, except the nose tip (30) and upper-lip top (51), which stand
 * forward of the eyes as `shape` says (distances in eye spacings, y down, z towards the
 * camera). Pitch turns about the eye line (positive: head tipped down), yaw about the
 * vertical (positive: nose to the image's right), then roll in the image plane (positive:
 * clockwise on screen).
 */
export function turnedHead(
  shape: HeadShape,
  angles: { yaw?: number; pitch?: number; roll?: number },
  eyeDistancePx = 100,
  centre: Point = { x: 500, y: 500 },
): Point[] {
  const rad = (deg = 0): number => (deg * Math.PI) / 180;
  const [yaw, pitch, roll] = [rad(angles.yaw), rad(angles.pitch), rad(angles.roll)];
  const unit = Array.from({ length: 68 }, (_, i) => chipTemplatePoint(i, 1, 0));
  const eyes = (from: number): Point => {
    const part = unit.slice(from, from + 6);
    return { x: part.reduce((s, p) => s + p.x, 0) / 6, y: part.reduce((s, p) => s + p.y, 0) / 6 };
  };
  const left = eyes(36), right = eyes(42);
  const spacing = right.x - left.x;
  const midX = (left.x + right.x) / 2, eyeY = (left.y + right.y) / 2;
  return unit.map((p, i) => {
    let x = (p.x - midX) / spacing, y = (p.y - eyeY) / spacing, z = 0;
    if (i === 30) [x, y, z] = [0, shape.noseDrop, shape.noseDepth];
    if (i === 51) [x, y, z] = [0, shape.lipDrop, shape.lipDepth];
    [y, z] = [y * Math.cos(pitch) + z * Math.sin(pitch), -y * Math.sin(pitch) + z * Math.cos(pitch)];
    [x, z] = [x * Math.cos(yaw) + z * Math.sin(yaw), -x * Math.sin(yaw) + z * Math.cos(yaw)];
    [x, y] = [x * Math.cos(roll) - y * Math.sin(roll), x * Math.sin(roll) + y * Math.cos(roll)];
    return { x: centre.x + x * eyeDistancePx, y: centre.y + y * eyeDistancePx };
  });
}
