/**
 * dlib face-chip alignment. The ResNet encoder was trained on chips cut by dlib's
 * get_face_chip_details + extract_image_chip (davisking/dlib: dlib/image_transforms/
 * interpolation.h and image_pyramid.h, release 19.24), so this module reproduces them step
 * for step (test/face/align.test.ts compares it bit for bit with dlib's own output):
 * - the least-squares similarity from dlib's mean face shape (points 27-54 and 60-64; the
 *   eyebrows and lower lip are left out) onto the landmarks,
 * - the chip rectangle: centred_drect(T(size/2, size/2), size*scale, size*scale) rotated by
 *   the transform's angle, whose corners (not T itself) define the sampling: chip column
 *   size-1 lands on the rectangle's right edge,
 * - when the rectangle is over twice the chip size, dlib's pyramid_down<2> (5-tap [1 4 6 4 1]
 *   filter, integer arithmetic) over the cropped region, sampling the level that is still
 *   larger than the chip, so big camera frames do not alias,
 * - bilinear sampling that truncates to 8 bits and paints black wherever the 2x2
 *   neighbourhood leaves the image.
 * Left out: dlib's plain-copy shortcut for a chip with angle exactly 0 and scale exactly 1,
 * which its integer landmarks can hit but fractional ones practically never do.
 */
import { KioskError } from '../errors.js';
import {
  affineFromCorners,
  applyAffine,
  boundingDRect,
  centeredDRect,
  drectArea,
  drectCenter,
  findSimilarityTransform,
  growDRect,
  intersectDRect,
  isEmptyDRect,
  rotatePoint,
  roundDRect,
  translateDRect,
  type Affine2x3,
  type DRect,
} from './geometry.js';
import type { AlignedFace, Landmarks68, Point, RgbImage } from './types.js';

/** dlib's chip_details: where the chip lies in the image. */
export interface ChipDetails {
  /** Unrotated chip rectangle in image pixels (inclusive edges). */
  readonly rect: DRect;
  /** Rotation of the rectangle about its centre, radians. */
  readonly angle: number;
  readonly rows: number;
  readonly cols: number;
}

export const DEFAULT_CHIP_SIZE = 150;
export const DEFAULT_CHIP_PADDING = 0.25;
const MAX_CHIP_SIZE = 1024;

/** Cut the encoder's canonical chip (dlib: 150 px, padding 0.25) out of the image. */
export function alignFace(
  image: RgbImage,
  landmarks: Landmarks68,
  size = DEFAULT_CHIP_SIZE,
  padding = DEFAULT_CHIP_PADDING,
): AlignedFace {
  assertRgbImage(image);
  return extractImageChip(image, faceChipDetails(landmarks, size, padding));
}

/** dlib's get_face_chip_details for a 68-point shape. */
export function faceChipDetails(landmarks: Landmarks68, size = DEFAULT_CHIP_SIZE, padding = DEFAULT_CHIP_PADDING): ChipDetails {
  if (!Number.isInteger(size) || size < 2 || size > MAX_CHIP_SIZE) {
    throw new KioskError('INVALID_INPUT', `Chip size must be an integer in [2, ${MAX_CHIP_SIZE}], got ${String(size)}`);
  }
  if (!Number.isFinite(padding) || padding < 0) {
    throw new KioskError('INVALID_INPUT', `Chip padding must be a finite number >= 0, got ${String(padding)}`);
  }
  if (!Array.isArray(landmarks) || landmarks.length !== 68) {
    throw new KioskError('INVALID_INPUT', `Alignment needs 68 landmarks, got ${Array.isArray(landmarks) ? landmarks.length : typeof landmarks}`);
  }
  const from: Point[] = [];
  const to: Point[] = [];
  for (let i = 27; i < 68; i++) {
    if ((i >= 55 && i <= 59) || i >= 65) continue; // dlib ignores the lower lip
    const p = landmarks[i];
    if (typeof p !== 'object' || p === null || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw new KioskError('INVALID_INPUT', `Landmark ${i} is not a finite point`);
    }
    from.push({
      x: ((padding + MEAN_FACE_SHAPE_X[i - 17]!) / (2 * padding + 1)) * size,
      y: ((padding + MEAN_FACE_SHAPE_Y[i - 17]!) / (2 * padding + 1)) * size,
    });
    to.push(p);
  }
  const tform = findSimilarityTransform(from, to);
  const angle = Math.atan2(tform[3], tform[0]);
  const scale = Math.hypot(tform[0], tform[3]);
  if (!(scale * size >= 2) || !Number.isFinite(scale)) {
    throw new KioskError('INVALID_INPUT', 'Landmarks are degenerate: they span no area to align');
  }
  const rect = centeredDRect(applyAffine(tform, { x: size / 2, y: size / 2 }), size * scale, size * scale);
  return { rect, angle, rows: size, cols: size };
}

/** dlib's extract_image_chip with bilinear interpolation. */
export function extractImageChip(image: RgbImage, chip: ChipDetails): AlignedFace {
  const { rows, cols, angle } = chip;
  const chipToImage = chipToRectMap(chip.rect, angle, rows, cols);

  // How deep a pyramid the chip needs, and the image region (with a margin for the filter) it reads.
  const chipPixels = rows * cols;
  let depth = 0;
  let grow = 2;
  for (let r = pyramidRectDown(chip.rect); drectArea(r) > chipPixels; r = pyramidRectDown(r)) {
    depth++;
    grow = grow * 2 + 2;
  }
  const center = drectCenter(chip.rect);
  const { l, t, r, b } = chip.rect;
  const rotated = boundingDRect([{ x: l, y: t }, { x: r, y: t }, { x: l, y: b }, { x: r, y: b }].map((p) => rotatePoint(center, p, angle)));
  const imageRect: DRect = { l: 0, t: 0, r: image.width - 1, b: image.height - 1 };
  const box = roundDRect(intersectDRect(growDRect(rotated, grow), imageRect));
  const out = new Uint8Array(rows * cols * 3); // black background
  if (isEmptyDRect(box)) return { image: { width: cols, height: rows, data: out }, chipToImage };

  let source = cropImage(image, box);
  let rect = translateDRect(chip.rect, -box.l, -box.t);
  for (let level = 0; level < depth && drectArea(pyramidRectDown(rect)) > chipPixels; level++) {
    source = pyramidDown(source);
    rect = pyramidRectDown(rect);
  }
  sampleBilinear(source, chipToRectMap(rect, angle, rows, cols), out, cols, rows);
  return { image: { width: cols, height: rows, data: out }, chipToImage };
}

/** Chip pixel -> position in the (rotated) rectangle's frame: corners to corners, as dlib's find_affine_transform. */
function chipToRectMap(rect: DRect, angle: number, rows: number, cols: number): Affine2x3 {
  const c = drectCenter(rect);
  return affineFromCorners(
    cols - 1,
    rows - 1,
    rotatePoint(c, { x: rect.l, y: rect.t }, angle),
    rotatePoint(c, { x: rect.r, y: rect.t }, angle),
    rotatePoint(c, { x: rect.l, y: rect.b }, angle),
  );
}

/** dlib pyramid_down<2>::point_down, applied to both corners. */
function pyramidRectDown(d: DRect): DRect {
  return { l: d.l / 2 - 1.25, t: d.t / 2 - 0.75, r: d.r / 2 - 1.25, b: d.b / 2 - 0.75 };
}

/**
 * dlib's pyramid_down_2_1 for RGB: rows filtered with [1 4 6 4 1] at every other column,
 * then columns the same way at every other row, sum / 256 truncated. Output is
 * ((h-3)/2) x ((w-3)/2); images of 8 pixels or fewer on a side vanish.
 */
function pyramidDown(src: RgbImage): RgbImage {
  const { width: w, height: h, data } = src;
  if (w <= 8 || h <= 8) return { width: 0, height: 0, data: new Uint8Array(0) };
  const outW = Math.floor((w - 3) / 2);
  const outH = Math.floor((h - 3) / 2);
  const temp = new Uint16Array(h * outW * 3);
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let x = 0; x < outW; x++) {
      const s = row + 2 * x * 3;
      const o = (y * outW + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        temp[o + ch] = data[s + ch]! + 4 * data[s + 3 + ch]! + 6 * data[s + 6 + ch]! + 4 * data[s + 9 + ch]! + data[s + 12 + ch]!;
      }
    }
  }
  const out = new Uint8Array(outW * outH * 3);
  const stride = outW * 3;
  for (let y = 0; y < outH; y++) {
    const centre = (2 * y + 2) * stride;
    for (let i = 0; i < stride; i++) {
      const c = centre + i;
      out[y * stride + i] = (temp[c - 2 * stride]! + 4 * temp[c - stride]! + 6 * temp[c]! + 4 * temp[c + stride]! + temp[c + 2 * stride]!) >> 8;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** dlib's transform_image + interpolate_bilinear (RGB): truncating, black outside. */
function sampleBilinear(src: RgbImage, map: Affine2x3, out: Uint8Array, cols: number, rows: number): void {
  const { width: w, height: h, data } = src;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const px = map[0] * c + map[1] * r + map[2];
      const py = map[3] * c + map[4] * r + map[5];
      const left = Math.floor(px);
      const top = Math.floor(py);
      if (!(left >= 0 && top >= 0 && left + 1 < w && top + 1 < h)) continue;
      const fx = px - left;
      const fy = py - top;
      const tl = (top * w + left) * 3;
      const bl = tl + w * 3;
      const o = (r * cols + c) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const v = (1 - fy) * ((1 - fx) * data[tl + ch]! + fx * data[tl + 3 + ch]!) + fy * ((1 - fx) * data[bl + ch]! + fx * data[bl + 3 + ch]!);
        out[o + ch] = v; // Uint8Array assignment truncates like dlib's static_cast
      }
    }
  }
}

/** The pixels of an integer rectangle lying inside the image. */
function cropImage(image: RgbImage, box: DRect): RgbImage {
  const width = box.r - box.l + 1;
  const height = box.b - box.t + 1;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const start = ((box.t + y) * image.width + box.l) * 3;
    data.set(image.data.subarray(start, start + width * 3), y * width * 3);
  }
  return { width, height, data };
}

function assertRgbImage(image: RgbImage): void {
  const ok =
    image !== null &&
    typeof image === 'object' &&
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width > 0 &&
    image.height > 0 &&
    image.data instanceof Uint8Array &&
    image.data.length === image.width * image.height * 3;
  if (!ok) throw new KioskError('INVALID_INPUT', 'Expected an RGB image with data.length === width * height * 3');
}

/** dlib's mean face shape, landmarks 17-67, in a unit square (interpolation.h, get_face_chip_details). */
export const MEAN_FACE_SHAPE_X: readonly number[] = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
  0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
  0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
  0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
  0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
  0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
  0.553364, 0.490127, 0.42689,
];
export const MEAN_FACE_SHAPE_Y: readonly number[] = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
  0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
  0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
  0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
  0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
  0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
  0.784792, 0.824182, 0.831803, 0.824182,
];
