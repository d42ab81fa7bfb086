/**
 * How well one plane explains how a set of points moved between two views. Every view of a
 * flat picture (a print held by hand, a phone screen) is a homography of every other view, so
 * its landmarks move by one 3x3 projective map up to the landmark detector's noise; a real head
 * is not flat (the nose stands ~0.4 eye-spacings in front of the eyes) and its jaw, lips and
 * lids move on their own, so part of its motion is left over after the best homography.
 */
import type { Point } from '../face/types.js';

/** Row-major 3x3 projective map with h[8] = 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export function applyHomography(h: Homography, p: Point): Point {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/**
 * Least-squares homography taking `from[i]` to `to[i]` (direct linear transform with h33 = 1,
 * on Hartley-normalised coordinates so the equations are well conditioned whatever the pixel
 * scale). Needs at least 4 point pairs in general position; undefined when the system is singular.
 */
export function fitHomography(from: readonly Point[], to: readonly Point[]): Homography | undefined {
  if (from.length !== to.length || from.length < 4) return undefined;
  const a = normaliser(from);
  const b = normaliser(to);
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (let i = 0; i < from.length; i++) {
    const { x, y } = a.apply(from[i]!);
    const { x: u, y: v } = b.apply(to[i]!);
    rows.push([x, y, 1, 0, 0, 0, -x * u, -y * u]);
    rhs.push(u);
    rows.push([0, 0, 0, x, y, 1, -x * v, -y * v]);
    rhs.push(v);
  }
  const solution = leastSquares(rows, rhs);
  if (solution === undefined) return undefined;
  const hn = [...solution, 1];
  // Undo the normalisations: H = Tb^-1 · Hn · Ta.
  const full = multiply3(multiply3(b.inverse, hn), a.matrix);
  const scale = full[8]!;
  if (!(Math.abs(scale) > 1e-12)) return undefined;
  return full.map((v) => v / scale) as unknown as Homography;
}

interface Normaliser {
  readonly matrix: number[];
  readonly inverse: number[];
  apply(p: Point): Point;
}

/** Moves the centroid to the origin and scales the mean distance from it to √2 (Hartley 1997). */
function normaliser(points: readonly Point[]): Normaliser {
  let cx = 0, cy = 0;
  for (const p of points) {
    cx += p.x;
    cy += p.y;
  }
  cx /= points.length;
  cy /= points.length;
  let spread = 0;
  for (const p of points) spread += Math.hypot(p.x - cx, p.y - cy);
  spread /= points.length;
  const s = spread > 0 ? Math.SQRT2 / spread : 1;
  return {
    matrix: [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1],
    inverse: [1 / s, 0, cx, 0, 1 / s, cy, 0, 0, 1],
    apply: (p) => ({ x: s * (p.x - cx), y: s * (p.y - cy) }),
  };
}

function multiply3(m: readonly number[], n: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += m[r * 3 + k]! * n[k * 3 + c]!;
  return out;
}

/** Solves the normal equations AᵀA x = Aᵀb by Gaussian elimination with partial pivoting. */
function leastSquares(rows: readonly number[][], rhs: readonly number[]): number[] | undefined {
  const n = rows[0]!.length;
  const m = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) m[i]![j]! += row[i]! * row[j]!;
      m[i]![n]! += row[i]! * rhs[r]!;
    }
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-10)) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
