/**
 * 2-D transforms for face alignment, with dlib's conventions (dlib/geometry/point_transforms.h,
 * dlib/geometry/drectangle.h, dlib 19.24) so the chip geometry can match dlib's exactly.
 */
import type { Point } from './types.js';

/** Row-major 2x3 affine matrix [a, b, tx, c, d, ty]: x' = a x + b y + tx, y' = c x + d y + ty. */
export type Affine2x3 = readonly [number, number, number, number, number, number];

export function applyAffine(m: Affine2x3, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/**
 * Least-squares similarity transform (rotation, uniform scale, translation; no reflection)
 * mapping `from` onto `to`. dlib's find_similarity_transform uses Umeyama's SVD formulas;
 * in 2-D, with reflections excluded, they reduce to this closed form: the rotation angle is
 * atan2(sum cross, sum dot) of the centred point pairs and the scale is
 * |(sum dot, sum cross)| / sum |from - mean|^2 (trace(D S) equals that norm whatever det(cov)'s sign).
 */
export function findSimilarityTransform(from: readonly Point[], to: readonly Point[]): Affine2x3 {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new RangeError('findSimilarityTransform needs two equal-length lists of at least 2 points');
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x; fy += from[i]!.y;
    tx += to[i]!.x; ty += to[i]!.y;
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  let dot = 0, cross = 0, spread = 0;
  for (let i = 0; i < n; i++) {
    const ax = from[i]!.x - fx, ay = from[i]!.y - fy;
    const bx = to[i]!.x - tx, by = to[i]!.y - ty;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
    spread += ax * ax + ay * ay;
  }
  // As dlib: with all `from` points equal the scale stays 1 and only the rotation is fitted.
  const norm = Math.hypot(dot, cross);
  const scale = spread === 0 ? 1 : norm / spread;
  const cos = norm === 0 ? 1 : dot / norm;
  const sin = norm === 0 ? 0 : cross / norm;
  const a = scale * cos, b = -scale * sin, c = scale * sin, d = scale * cos;
  return [a, b, tx - (a * fx + b * fy), c, d, ty - (c * fx + d * fy)];
}

/**
 * The affine map taking (0,0), (w,0), (0,h) to p0, p1, p2: the exact solution dlib's
 * find_affine_transform finds for the three chip corners it is given.
 */
export function affineFromCorners(w: number, h: number, p0: Point, p1: Point, p2: Point): Affine2x3 {
  return [(p1.x - p0.x) / w, (p2.x - p0.x) / h, p0.x, (p1.y - p0.y) / w, (p2.y - p0.y) / h, p0.y];
}

/** dlib's rotate_point: p rotated by `angle` radians about `center` (y down, so positive turns clockwise on screen). */
export function rotatePoint(center: Point, p: Point, angle: number): Point {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const x = p.x - center.x, y = p.y - center.y;
  return { x: cos * x - sin * y + center.x, y: sin * x + cos * y + center.y };
}

/** dlib's drectangle: inclusive edges, so width = right - left + 1; empty when left > right or top > bottom. */
export interface DRect {
  readonly l: number;
  readonly t: number;
  readonly r: number;
  readonly b: number;
}

export const drectWidth = (d: DRect): number => (isEmptyDRect(d) ? 0 : d.r - d.l + 1);
export const drectHeight = (d: DRect): number => (isEmptyDRect(d) ? 0 : d.b - d.t + 1);
export const drectArea = (d: DRect): number => drectWidth(d) * drectHeight(d);
export const isEmptyDRect = (d: DRect): boolean => d.t > d.b || d.l > d.r;
export const drectCenter = (d: DRect): Point => ({ x: (d.l + d.r) / 2, y: (d.t + d.b) / 2 });

/** dlib's centered_drect: a `width` x `height` rectangle (inclusive edges) centred on p. */
export function centeredDRect(p: Point, width: number, height: number): DRect {
  const w = width - 1, h = height - 1;
  return { l: p.x - w / 2, t: p.y - h / 2, r: p.x + w / 2, b: p.y + h / 2 };
}

export function boundingDRect(points: readonly Point[]): DRect {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  return { l: Math.min(...xs), t: Math.min(...ys), r: Math.max(...xs), b: Math.max(...ys) };
}

export function growDRect(d: DRect, n: number): DRect {
  return { l: d.l - n, t: d.t - n, r: d.r + n, b: d.b + n };
}

export function intersectDRect(a: DRect, b: DRect): DRect {
  return { l: Math.max(a.l, b.l), t: Math.max(a.t, b.t), r: Math.min(a.r, b.r), b: Math.min(a.b, b.b) };
}

export function translateDRect(d: DRect, dx: number, dy: number): DRect {
  return { l: d.l + dx, t: d.t + dy, r: d.r + dx, b: d.b + dy };
}

/** dlib's drectangle -> rectangle conversion: each edge rounded half up. */
export function roundDRect(d: DRect): DRect {
  return { l: Math.floor(d.l + 0.5), t: Math.floor(d.t + 0.5), r: Math.floor(d.r + 0.5), b: Math.floor(d.b + 0.5) };
}
