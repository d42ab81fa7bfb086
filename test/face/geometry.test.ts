import { describe, expect, it } from 'vitest';
import {
  affineFromCorners,
  applyAffine,
  centeredDRect,
  drectArea,
  drectWidth,
  findSimilarityTransform,
  rotatePoint,
  roundDRect,
  type Affine2x3,
} from '../../src-main/core/face/geometry.js';
import type { Point } from '../../src-main/core/face/types.js';

const similarity = (angle: number, scale: number, tx: number, ty: number): Affine2x3 => [
  scale * Math.cos(angle), -scale * Math.sin(angle), tx,
  scale * Math.sin(angle), scale * Math.cos(angle), ty,
];

const cloud: Point[] = [
  { x: 0, y: 0 }, { x: 10, y: 1 }, { x: 4, y: 9 }, { x: -3, y: 5 }, { x: 7, y: -6 }, { x: 2, y: 2 },
];

const sse = (m: Affine2x3, from: Point[], to: Point[]): number =>
  from.reduce((sum, p, i) => {
    const q = applyAffine(m, p);
    return sum + (q.x - to[i]!.x) ** 2 + (q.y - to[i]!.y) ** 2;
  }, 0);

describe('findSimilarityTransform', () => {
  it.each([
    [0.3, 2.5, 40, -7],
    [-2.8, 0.4, -100, 250],
    [Math.PI, 1, 0, 0],
  ])('recovers an exact similarity (angle %s, scale %s, shift %s,%s)', (angle, scale, tx, ty) => {
    const truth = similarity(angle, scale, tx, ty);
    const found = findSimilarityTransform(cloud, cloud.map((p) => applyAffine(truth, p)));
    found.forEach((v, i) => expect(v).toBeCloseTo(truth[i]!, 9));
  });

  it('is the least-squares optimum for noisy points: any small change of angle, scale or shift fits worse', () => {
    const truth = similarity(0.7, 1.8, 12, 30);
    const wobble = [0.4, -0.3, 0.25, -0.5, 0.1, 0.35, -0.2, 0.45, -0.15, 0.3, 0.05, -0.4];
    const to = cloud.map((p, i) => {
      const q = applyAffine(truth, p);
      return { x: q.x + wobble[2 * i]!, y: q.y + wobble[2 * i + 1]! };
    });
    const found = findSimilarityTransform(cloud, to);
    const angle = Math.atan2(found[3], found[0]);
    const scale = Math.hypot(found[0], found[3]);
    const best = sse(found, cloud, to);
    for (const [da, ds, dx, dy] of [[1e-3, 0, 0, 0], [-1e-3, 0, 0, 0], [0, 1e-3, 0, 0], [0, -1e-3, 0, 0], [0, 0, 1e-3, 0], [0, 0, 0, -1e-3]]) {
      const other = similarity(angle + da!, scale + ds!, found[2] + dx!, found[5] + dy!);
      expect(sse(other, cloud, to)).toBeGreaterThan(best);
    }
  });

  it('never reflects: a mirrored point set still gives a rotation (positive determinant)', () => {
    const mirrored = cloud.map((p) => ({ x: -p.x, y: p.y }));
    const m = findSimilarityTransform(cloud, mirrored);
    expect(m[0] * m[4] - m[1] * m[3]).toBeGreaterThanOrEqual(0);
  });

  it('rejects lists that do not pair up', () => {
    expect(() => findSimilarityTransform(cloud, cloud.slice(1))).toThrow(RangeError);
    expect(() => findSimilarityTransform(cloud.slice(0, 1), cloud.slice(0, 1))).toThrow(RangeError);
  });
});

describe('dlib geometry helpers', () => {
  it('affineFromCorners sends the three corners where asked and is affine in between', () => {
    const p0 = { x: 5, y: 7 }, p1 = { x: 25, y: 9 }, p2 = { x: 3, y: 40 };
    const m = affineFromCorners(149, 149, p0, p1, p2);
    expect(applyAffine(m, { x: 0, y: 0 })).toEqual(p0);
    expect(applyAffine(m, { x: 149, y: 0 }).x).toBeCloseTo(25, 12);
    expect(applyAffine(m, { x: 0, y: 149 }).y).toBeCloseTo(40, 12);
    const far = applyAffine(m, { x: 149, y: 149 }); // parallelogram's fourth corner p1 + p2 - p0
    expect(far.x).toBeCloseTo(23, 12);
    expect(far.y).toBeCloseTo(42, 12);
  });

  it('rotatePoint turns clockwise on screen (y down) for a positive angle', () => {
    const p = rotatePoint({ x: 10, y: 10 }, { x: 20, y: 10 }, Math.PI / 2);
    expect(p.x).toBeCloseTo(10, 12);
    expect(p.y).toBeCloseTo(20, 12);
  });

  it('drectangle edges are inclusive: centred 150-wide rectangle spans 149 between edges', () => {
    const r = centeredDRect({ x: 75, y: 75 }, 150, 150);
    expect(r).toEqual({ l: 0.5, t: 0.5, r: 149.5, b: 149.5 });
    expect(drectWidth(r)).toBe(150);
    expect(drectArea(r)).toBe(22500);
    expect(roundDRect({ l: 0.5, t: -0.5, r: 2.49, b: 1.5 })).toEqual({ l: 1, t: 0, r: 2, b: 2 });
  });
});
