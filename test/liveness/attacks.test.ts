/**
 * The attack renderer the liveness evaluation uses: a flat picture seen by a pinhole camera.
 * Checked on a plain white "photo" whose outline in the frame is known by hand.
 */
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src-main/core/face/types.js';
import { renderPlanarAttack } from '../../src-main/eval/liveness-attacks.js';

const white: RgbImage = { width: 300, height: 400, data: new Uint8Array(300 * 400 * 3).fill(255) };
const base = { frames: 3, intervalS: 0.15, seed: 11 } as const;

/** Bounding box, centroid and pixel count of the near-white pixels (the picture; the wall is darker). */
function pictureRegion(frame: RgbImage): { box: { x0: number; x1: number; y0: number; y1: number }; cx: number; cy: number; count: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, sx = 0, sy = 0, count = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const o = (y * frame.width + x) * 3;
      if (frame.data[o]! >= 235 && frame.data[o + 1]! >= 235 && frame.data[o + 2]! >= 235) {
        [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
        sx += x;
        sy += y;
        count++;
      }
    }
  }
  return { box: { x0, x1, y0, y1 }, cx: sx / count, cy: sy / count, count };
}

describe('renderPlanarAttack', () => {
  it('shows a still picture centred, 80% of the frame high, with its own aspect ratio', () => {
    const [frame] = renderPlanarAttack(white, { ...base, motion: 'still', noise: 0 });
    const { box } = pictureRegion(frame!);
    expect(frame).toMatchObject({ width: 640, height: 480 });
    // 0.8 · 480 = 384 px high; 300/400 of that = 288 px wide; centred on (320, 240).
    expect(box.y1 - box.y0 + 1).toBeGreaterThanOrEqual(382);
    expect(box.y1 - box.y0 + 1).toBeLessThanOrEqual(386);
    expect(box.x1 - box.x0 + 1).toBeGreaterThanOrEqual(286);
    expect(box.x1 - box.x0 + 1).toBeLessThanOrEqual(290);
    // Pixel i covers [i, i + 1): the picture's middle is the middle of its first and last pixels' span.
    expect((box.x0 + box.x1 + 1) / 2).toBeCloseTo(320, 0);
    expect((box.y0 + box.y1 + 1) / 2).toBeCloseTo(240, 0);
  });

  it('sends byte-identical frames without noise, and frames differing by the sensor noise with it', () => {
    const frozen = renderPlanarAttack(white, { ...base, motion: 'still', noise: 0 });
    expect(Buffer.compare(frozen[0]!.data, frozen[2]!.data)).toBe(0);
    const noisy = renderPlanarAttack(white, { ...base, motion: 'still', noise: 4 });
    // Away from the clipped white, the difference of two frames has standard deviation 4·√2.
    let sum = 0, sum2 = 0, n = 0;
    for (let y = 0; y < 40; y++) {
      for (let x = 0; x < 640; x++) {
        const d = noisy[0]!.data[(y * 640 + x) * 3]! - noisy[1]!.data[(y * 640 + x) * 3]!;
        sum += d;
        sum2 += d * d;
        n++;
      }
    }
    const std = Math.sqrt(sum2 / n - (sum / n) ** 2);
    expect(std).toBeGreaterThan(4 * Math.SQRT2 * 0.9);
    expect(std).toBeLessThan(4 * Math.SQRT2 * 1.1);
  });

  it('moves, turns and resizes a hand-held picture from frame to frame, reproducibly for a seed', () => {
    const frames = renderPlanarAttack(white, { ...base, frames: 5, motion: 'hand', noise: 0 });
    const regions = frames.map(pictureRegion);
    const moved = Math.hypot(regions[4]!.cx - regions[0]!.cx, regions[4]!.cy - regions[0]!.cy);
    expect(moved).toBeGreaterThan(1);
    for (const r of regions) expect(r.count / regions[0]!.count).toBeGreaterThan(0.5);
    const again = renderPlanarAttack(white, { ...base, frames: 5, motion: 'hand', noise: 0 });
    expect(Buffer.compare(again[4]!.data, frames[4]!.data)).toBe(0);
  });

  it('puts a periodic moire and a glare on a screen', () => {
    const grey: RgbImage = { width: 300, height: 400, data: new Uint8Array(300 * 400 * 3).fill(128) };
    const [print] = renderPlanarAttack(grey, { ...base, motion: 'still', noise: 0 });
    const [screen] = renderPlanarAttack(grey, { ...base, motion: 'still', noise: 0, screen: true });
    const spread = (frame: RgbImage): number => {
      const values: number[] = [];
      for (let y = 200; y < 280; y++) for (let x = 280; x < 360; x++) values.push(frame.data[(y * 640 + x) * 3]!);
      return Math.max(...values) - Math.min(...values);
    };
    expect(spread(print!)).toBe(0);
    expect(spread(screen!)).toBeGreaterThan(20);
  });
});
