/**
 * The homography fit: exact on any projective view of a plane, and leaves the parallax of
 * points off the plane (a real head's nose) as residual.
 */
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src-main/core/face/types.js';
import { applyHomography, fitHomography, type Homography } from '../../src-main/core/liveness/plane-fit.js';
import { EYE_DISTANCE_PX, head, pictureView } from './synthetic-faces.js';

/** Distance from each `to[i]` to where the fitted homography carries `from[i]`. */
function planeResiduals(from: readonly Point[], to: readonly Point[]): number[] {
  const h = fitHomography(from, to)!;
  return from.map((p, i) => Math.hypot(applyHomography(h, p).x - to[i]!.x, applyHomography(h, p).y - to[i]!.y));
}

const grid = Array.from({ length: 25 }, (_, i) => ({ x: 100 + 40 * (i % 5), y: 80 + 30 * Math.floor(i / 5) }));

describe('fitHomography', () => {
  it('recovers a known projective map from the points it moved', () => {
    const h: Homography = [1.1, 0.05, 12, -0.03, 0.95, -7, 2e-4, -1e-4, 1];
    const fitted = fitHomography(grid, grid.map((p) => applyHomography(h, p)));
    expect(fitted).toBeDefined();
    fitted!.forEach((v, i) => expect(v).toBeCloseTo(h[i]!, 6));
  });

  it('explains a turned, moved flat picture of a face up to rounding', () => {
    const picture = head();
    const view = pictureView(picture, { yaw: 25, pitch: -12, roll: 8, shiftX: 30, shiftY: -20, approach: 80 });
    const residuals = planeResiduals(picture, view);
    expect(Math.max(...residuals)).toBeLessThan(1e-6);
  });

  it('leaves a real head turn as residual, largest on the nose tip that stands off the face plane', () => {
    const residuals = planeResiduals(head(), head({ yaw: 20 }));
    const worst = residuals.indexOf(Math.max(...residuals));
    expect(worst).toBe(30);
    // Orthographic turn: the nose tip (0.4 eye spacings forward) leaves the plane's prediction by
    // about 0.4·sin(20°) spacings; the least-squares fit spreads a little of that onto the others.
    expect(residuals[30]! / EYE_DISTANCE_PX).toBeGreaterThan(0.5 * 0.4 * Math.sin((20 * Math.PI) / 180));
  });

  it('refuses fewer than 4 pairs, mismatched lengths and collinear points', () => {
    expect(fitHomography(grid.slice(0, 3), grid.slice(0, 3))).toBeUndefined();
    expect(fitHomography(grid, grid.slice(1))).toBeUndefined();
    const line = Array.from({ length: 6 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(fitHomography(line, line)).toBeUndefined();
  });
});
