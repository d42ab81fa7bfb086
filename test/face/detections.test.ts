import { describe, expect, it } from 'vitest';
import { intersectionArea, mergeDetections, sameFace } from '../../src-main/core/face/detections.js';
import type { Detection } from '../../src-main/core/face/types.js';

const det = (x: number, y: number, side: number, score: number): Detection => ({ box: { x, y, width: side, height: side }, score });

describe('two-scale detection merging', () => {
  it('measures the overlap of two boxes (hand-computed) and none for boxes that only touch', () => {
    expect(intersectionArea({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 6, width: 10, height: 10 })).toBe(5 * 4);
    expect(intersectionArea({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 })).toBe(0);
  });

  it('calls one face the same box at two scales: IoU above 0.3, or the smaller box mostly inside the larger', () => {
    // 100 px box and an 80 px box inside it: IoU 0.64.
    expect(sameFace({ x: 0, y: 0, width: 100, height: 100 }, { x: 10, y: 10, width: 80, height: 80 })).toBe(true);
    // A 40 px box wholly inside a 100 px box: IoU 0.16, but 100 % of the smaller one is covered.
    expect(sameFace({ x: 0, y: 0, width: 100, height: 100 }, { x: 30, y: 30, width: 40, height: 40 })).toBe(true);
    // Two faces side by side overlapping by a sliver: IoU 0.05, 10 % of either covered.
    expect(sameFace({ x: 0, y: 0, width: 100, height: 100 }, { x: 90, y: 0, width: 100, height: 100 })).toBe(false);
  });

  it('keeps the more confident box of each face and every separate face, most confident first', () => {
    const plainScale = [det(180, 70, 20, 0.94), det(40, 30, 130, 0.12)];
    const framedScale = [det(45, 35, 120, 0.95)];
    const merged = mergeDetections(plainScale, framedScale);
    expect(merged.map((d) => d.score)).toEqual([0.95, 0.94]);
    expect(merged[0]!.box.width).toBe(120);
  });

  it('returns nothing for no detections and leaves its inputs untouched', () => {
    const a = [det(0, 0, 10, 0.5)];
    expect(mergeDetections([], [])).toEqual([]);
    mergeDetections(a, [det(1, 1, 10, 0.9)]);
    expect(a).toEqual([det(0, 0, 10, 0.5)]);
  });
});
