/**
 * The tfjs-compatible crop / pad / resize helpers, against hand-computed cases and against
 * face-api's own NetInput.toBatchTensor and extractFaceTensors (bit-exact).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertRgbImage, cropBox, squarePadding, squareResize } from '../../src-main/core/face/resize.js';
import type { Box, RgbImage } from '../../src-main/core/face/types.js';
import { askFaceApi, raw, type ReferenceResponse } from './face-api-reference.js';

/** Deterministic pseudo-random image (LCG), so failures reproduce. */
function noiseImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

describe('squarePadding / squareResize, hand-computed', () => {
  it('pads at the end, or splits the padding with the larger half after the image', () => {
    expect(squarePadding(4, 1, false)).toEqual({ side: 4, left: 0, top: 0 });
    expect(squarePadding(4, 1, true)).toEqual({ side: 4, left: 0, top: 1 }); // 3 rows: 1 before, 2 after
    expect(squarePadding(2, 6, true)).toEqual({ side: 6, left: 2, top: 0 });
    expect(squarePadding(5, 5, true)).toEqual({ side: 5, left: 0, top: 0 });
  });

  it('keeps a square image of the target size unchanged', () => {
    const image = noiseImage(3, 3, 7);
    expect(Array.from(squareResize(image, 3, true))).toEqual(Array.from(image.data));
  });

  it('samples at ratio * index, interpolating towards the clamped next pixel', () => {
    // 2x1 image, one channel value per pixel: [0, 100] (same in R, G, B); padded to 2x2 at the
    // bottom, then resized to 4x4: source x = 0.5 * col, source y = 0.5 * row.
    const image: RgbImage = { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 100, 100, 100]) };
    const out = squareResize(image, 4, false);
    const red = Array.from({ length: 16 }, (_, i) => out[i * 3]);
    // Row 0: 0, 50, 100, 100 (last column clamps to the edge); row 1 halfway to the zero row.
    expect(red).toEqual([0, 50, 100, 100, 0, 25, 50, 50, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('cropBox, hand-computed', () => {
  const image = noiseImage(10, 8, 3);

  it('floors the clipped box and reports the crop corner', () => {
    const crop = cropBox(image, { x: 2.7, y: 1.2, width: 3.9, height: 2.5 })!;
    // width = floor(min(6.6 - 2.7, 10 - 2.7)) = 3, height = floor(2.5) = 2, corner (2, 1).
    expect(crop.origin).toEqual({ x: 2, y: 1 });
    expect([crop.image.width, crop.image.height]).toEqual([3, 2]);
    expect(Array.from(crop.image.data.subarray(0, 3))).toEqual(Array.from(image.data.subarray((1 * 10 + 2) * 3, (1 * 10 + 2) * 3 + 3)));
  });

  it('clips at the borders and rejects boxes outside the image', () => {
    const crop = cropBox(image, { x: -3, y: 6, width: 5, height: 5 })!;
    expect(crop.origin).toEqual({ x: 0, y: 6 });
    expect([crop.image.width, crop.image.height]).toEqual([2, 2]);
    expect(cropBox(image, { x: 10, y: 0, width: 4, height: 4 })).toBeUndefined();
    expect(cropBox(image, { x: -9, y: 0, width: 4, height: 4 })).toBeUndefined();
  });
});

describe('assertRgbImage', () => {
  it('rejects wrong buffer sizes and non-positive dimensions with INVALID_INPUT', () => {
    const bad: RgbImage[] = [
      { width: 2, height: 2, data: new Uint8Array(11) },
      { width: 0, height: 2, data: new Uint8Array(0) },
      { width: 1.5, height: 2, data: new Uint8Array(9) },
      { width: Number.NaN, height: 2, data: new Uint8Array(0) },
    ];
    for (const image of bad) expect(() => assertRgbImage(image)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('bit-exact agreement with face-api / tfjs cpu', () => {
  const resizeCases = [
    { image: noiseImage(37, 23, 1), size: 16, centered: true },
    { image: noiseImage(23, 37, 2), size: 16, centered: true },
    { image: noiseImage(37, 22, 3), size: 50, centered: false },
    { image: noiseImage(21, 40, 4), size: 112, centered: true },
    { image: noiseImage(30, 30, 5), size: 7, centered: false },
  ];
  const cropImage = noiseImage(40, 30, 6);
  const boxes: Box[] = [
    { x: 3.6, y: 2.2, width: 17.9, height: 11.5 },
    { x: -4.5, y: -2.5, width: 20, height: 40 },
    { x: 31.2, y: 20.9, width: 30, height: 30 },
  ];
  let reference: ReferenceResponse;

  beforeAll(async () => {
    reference = await askFaceApi({
      resized: resizeCases.map((c) => ({ ...raw(c.image), size: c.size, centered: c.centered })),
      crops: boxes.map((box) => ({ ...raw(cropImage), box })),
    });
  }, 120_000);

  it('squareResize equals NetInput.toBatchTensor (padToSquare + resizeBilinear)', () => {
    resizeCases.forEach((c, i) => {
      expect(Array.from(squareResize(c.image, c.size, c.centered)), `case ${i}`).toEqual(reference.resized[i]);
    });
  });

  it('cropBox equals extractFaceTensors', () => {
    boxes.forEach((box, i) => {
      const ours = cropBox(cropImage, box)!;
      const theirs = reference.crops[i]!;
      expect([ours.image.width, ours.image.height], `box ${i}`).toEqual([theirs.width, theirs.height]);
      expect(Array.from(ours.image.data), `box ${i}`).toEqual(theirs.rgb);
    });
  });
});
