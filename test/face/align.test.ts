import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { alignFace, extractImageChip, faceChipDetails } from '../../src-main/core/face/align.js';
import { decodeImage } from '../../src-main/core/face/decode.js';
import { flipHorizontal } from '../../src-main/core/face/flip.js';
import { applyAffine, type DRect } from '../../src-main/core/face/geometry.js';
import type { Point, RgbImage } from '../../src-main/core/face/types.js';
import { placeChip, templateLandmarks } from './landmarks.js';

const fixtures = new URL('./fixtures/', import.meta.url);

/** Same integer formula as synthetic_pixel() in fixtures/dlib-chips.cpp. */
function syntheticImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 3 + y * 5 + ((x * y) >> 4)) & 255;
      data[o + 1] = ((x ^ y) * 7) & 255;
      data[o + 2] = ((x * x + y * y) >> 5) & 255;
    }
  }
  return { width, height, data };
}

function imageOf(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgb(x, y), (y * width + x) * 3);
  return { width, height, data };
}

const channel = (image: RgbImage, x: number, y: number, c: number): number => image.data[(y * image.width + x) * 3 + c]!;

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (err) {
    return err instanceof KioskError ? err.code : `not a KioskError: ${String(err)}`;
  }
}

interface DlibCase {
  name: string;
  width: number;
  height: number;
  landmarks: [number, number][];
  rect: DRect;
  angle: number;
  chip: string;
}

describe('alignFace matches dlib 19.24 bit for bit', () => {
  // Produced by dlib's own get_face_chip_details + extract_image_chip: see fixtures/dlib-chips.cpp.
  const { cases } = JSON.parse(readFileSync(new URL('dlib-chips.json', fixtures), 'utf8')) as { cases: DlibCase[] };

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const landmarks = c.landmarks.map(([x, y]) => ({ x, y }));
    const details = faceChipDetails(landmarks, 150, 0.25);
    expect(details.angle).toBeCloseTo(c.angle, 12);
    for (const edge of ['l', 't', 'r', 'b'] as const) expect(details.rect[edge]).toBeCloseTo(c.rect[edge], 9);

    const chip = alignFace(syntheticImage(c.width, c.height), landmarks);
    const reference = decodeImage(readFileSync(new URL(c.chip, fixtures)));
    expect([chip.image.width, chip.image.height]).toEqual([reference.width, reference.height]);
    let differing = 0;
    for (let i = 0; i < reference.data.length; i++) if (chip.image.data[i] !== reference.data[i]) differing++;
    expect(differing).toBe(0);
  });
});

describe('faceChipDetails recovers a known similarity', () => {
  it.each([
    [0, 1, 200, 150],
    [0.35, 0.8, 128, 140],
    [-1.1, 3.2, 900, 600],
  ])('angle %s rad, scale %s, centre (%s, %s)', (angle, scale, cx, cy) => {
    const landmarks = templateLandmarks(placeChip(angle, scale, { x: cx, y: cy }));
    const details = faceChipDetails(landmarks);
    expect(details.angle).toBeCloseTo(angle, 10);
    // dlib: the rectangle is size*scale wide with inclusive edges, centred where the chip centre lands.
    const half = (150 * scale - 1) / 2;
    expect(details.rect.l).toBeCloseTo(cx - half, 9);
    expect(details.rect.r).toBeCloseTo(cx + half, 9);
    expect(details.rect.t).toBeCloseTo(cy - half, 9);
    expect(details.rect.b).toBeCloseTo(cy + half, 9);
    expect([details.rows, details.cols]).toEqual([150, 150]);
  });
});

describe('chipToImage', () => {
  it('maps the chip corners onto the rotated chip rectangle and the chip centre onto the face centre', () => {
    const angle = 0.4, scale = 1.3, centre = { x: 300, y: 260 };
    const chip = alignFace(syntheticImage(640, 480), templateLandmarks(placeChip(angle, scale, centre)));
    const half = (150 * scale - 1) / 2;
    const corner = (sx: number, sy: number): Point => ({
      x: centre.x + Math.cos(angle) * sx * half - Math.sin(angle) * sy * half,
      y: centre.y + Math.sin(angle) * sx * half + Math.cos(angle) * sy * half,
    });
    const expectNear = (p: Point, q: Point): void => {
      expect(p.x).toBeCloseTo(q.x, 9);
      expect(p.y).toBeCloseTo(q.y, 9);
    };
    expectNear(applyAffine(chip.chipToImage, { x: 0, y: 0 }), corner(-1, -1));
    expectNear(applyAffine(chip.chipToImage, { x: 149, y: 0 }), corner(1, -1));
    expectNear(applyAffine(chip.chipToImage, { x: 0, y: 149 }), corner(-1, 1));
    expectNear(applyAffine(chip.chipToImage, { x: 149, y: 149 }), corner(1, 1));
    expectNear(applyAffine(chip.chipToImage, { x: 74.5, y: 74.5 }), centre);
  });

  it('chip pixels hold the image value found at chipToImage (bilinear is exact on a linear ramp)', () => {
    // Red = x, green = y: interpolation reproduces the position itself, truncated.
    const image = imageOf(256, 256, (x, y) => [x, y, 0]);
    const chip = alignFace(image, templateLandmarks(placeChip(0.35, 0.8, { x: 128, y: 128 })));
    for (let r = 0; r < 150; r += 7) {
      for (let c = 0; c < 150; c += 7) {
        const p = applyAffine(chip.chipToImage, { x: c, y: r });
        expect(Math.abs(channel(chip.image, c, r, 0) - p.x)).toBeLessThanOrEqual(1);
        expect(Math.abs(channel(chip.image, c, r, 1) - p.y)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('also holds through the pyramid used for a face far larger than the chip', () => {
    // Red = x/4, green = y/4 over 1024 px; the chip rectangle is 600 px wide, so two pyramid levels.
    const image = imageOf(1024, 1024, (x, y) => [x >> 2, y >> 2, 0]);
    const chip = alignFace(image, templateLandmarks(placeChip(-0.5, 4, { x: 512, y: 512 })));
    for (let r = 0; r < 150; r += 7) {
      for (let c = 0; c < 150; c += 7) {
        const p = applyAffine(chip.chipToImage, { x: c, y: r });
        // Each level truncates (-1) and dlib's pyramid coordinates are offset by up to half a pixel.
        expect(Math.abs(channel(chip.image, c, r, 0) - p.x / 4)).toBeLessThanOrEqual(3);
        expect(Math.abs(channel(chip.image, c, r, 1) - p.y / 4)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('paints black where the chip leaves the image', () => {
    const image = imageOf(200, 200, () => [200, 200, 200]);
    const chip = alignFace(image, templateLandmarks(placeChip(0, 1, { x: 10, y: 100 })));
    expect(channel(chip.image, 5, 75, 0)).toBe(0); // maps to x = -59.5
    expect(channel(chip.image, 140, 75, 0)).toBe(200); // maps to x = 75.5
  });
});

describe('downscaling does not alias', () => {
  it('a one-pixel checkerboard seen 5x smaller is an even grey, as dlib pyramid-filters it', () => {
    const board = imageOf(1200, 1200, (x, y) => ((x + y) & 1 ? [255, 255, 255] : [0, 0, 0]));
    const chip = alignFace(board, templateLandmarks(placeChip(0.2, 5, { x: 600, y: 600 })));
    const values = Array.from({ length: 150 * 150 }, (_, i) => chip.image.data[i * 3]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean - 127.5)).toBeLessThan(3);
    expect(std).toBeLessThan(3);
  });
});

describe('flipHorizontal', () => {
  it('mirrors each row and is its own inverse', () => {
    const image: RgbImage = { width: 3, height: 2, data: Uint8Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6]) };
    const flipped = flipHorizontal(image);
    expect([...flipped.data]).toEqual([3, 3, 3, 2, 2, 2, 1, 1, 1, 6, 6, 6, 5, 5, 5, 4, 4, 4]);
    expect([...flipHorizontal(flipped).data]).toEqual([...image.data]);
  });
});

describe('alignFace: bad input gets INVALID_INPUT', () => {
  const image = syntheticImage(200, 200);
  const good = templateLandmarks(placeChip(0, 1, { x: 100, y: 100 }));

  it.each([
    ['67 landmarks', good.slice(1)],
    ['no landmarks', []],
    ['a NaN landmark', good.map((p, i) => (i === 30 ? { x: Number.NaN, y: p.y } : p))],
    ['a missing landmark', good.map((p, i) => (i === 40 ? null : p))],
    ['all landmarks on one pixel', good.map(() => ({ x: 50, y: 50 }))],
    ['not an array', 'landmarks'],
  ])('%s', (_case, landmarks) => {
    expect(codeOf(() => alignFace(image, landmarks as unknown as Point[]))).toBe('INVALID_INPUT');
  });

  it.each([
    ['size 0', 0, 0.25],
    ['fractional size', 150.5, 0.25],
    ['huge size', 5000, 0.25],
    ['negative padding', 150, -0.1],
    ['NaN padding', 150, Number.NaN],
  ])('%s', (_case, size, padding) => {
    expect(codeOf(() => alignFace(image, good, size, padding))).toBe('INVALID_INPUT');
  });

  it('an image whose pixel buffer does not match its size', () => {
    expect(codeOf(() => alignFace({ width: 200, height: 200, data: new Uint8Array(10) }, good))).toBe('INVALID_INPUT');
    expect(codeOf(() => alignFace({ width: Number.NaN, height: 200, data: new Uint8Array(10) }, good))).toBe('INVALID_INPUT');
  });

  it('extractImageChip on a chip entirely outside the image gives a black chip, not an error', () => {
    const details = faceChipDetails(templateLandmarks(placeChip(0, 1, { x: 5000, y: 5000 })));
    const chip = extractImageChip(image, details);
    expect(chip.image.data.every((v) => v === 0)).toBe(true);
  });
});
