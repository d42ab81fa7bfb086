/** A camera that shows nothing (black frames) is told apart from a frame without a face. */
import { describe, expect, it } from 'vitest';
import { isBlankImage } from '../../src-main/core/face/blank-frame.js';
import type { RgbImage } from '../../src-main/core/face/types.js';

const filled = (width: number, height: number, value: (i: number) => number): RgbImage => {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data.fill(value(p), p * 3, p * 3 + 3);
  return { width, height, data };
};

describe('isBlankImage', () => {
  it('a black frame, with a little sensor noise, is blank', () => {
    expect(isBlankImage(filled(640, 480, () => 0))).toBe(true);
    expect(isBlankImage(filled(640, 480, (p) => (p * 7919) % 9))).toBe(true);
  });

  it('a uniform grey frame, a dark room and a black frame with a lit face are not', () => {
    expect(isBlankImage(filled(640, 480, () => 128))).toBe(false);
    expect(isBlankImage(filled(640, 480, () => 20))).toBe(false);
    // Black but for a 200x200 lit patch in the middle (13 % of the frame).
    expect(isBlankImage(filled(640, 480, (p) => (Math.abs((p % 640) - 320) < 100 && Math.abs(Math.floor(p / 640) - 240) < 100 ? 150 : 0)))).toBe(false);
  });

  it('an empty or short buffer is not called blank', () => {
    expect(isBlankImage({ width: 0, height: 0, data: new Uint8Array(0) })).toBe(false);
    expect(isBlankImage({ width: 10, height: 10, data: new Uint8Array(3) })).toBe(false);
  });
});
