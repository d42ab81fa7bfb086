/**
 * Image preparation that reproduces face-api's tensor path bit for bit, so the ONNX nets see
 * the numbers face-api's nets see: crop a box like extractFaceTensors (clip at the borders,
 * floor), zero-pad to a square like padToSquare, and resize like tfjs's cpu
 * resizeBilinear(alignCorners = false, halfPixelCenters = false).
 */
import { KioskError } from '../errors.js';
import type { Box, Point, RgbImage } from './types.js';

/** Rejects images whose buffer does not match their stated size. */
export function assertRgbImage(image: RgbImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new KioskError('INVALID_INPUT', `${what} must have positive integer dimensions, got ${width}x${height}.`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new KioskError('INVALID_INPUT', `${what} of ${width}x${height} needs ${width * height * 3} RGB bytes, got ${data?.length}.`);
  }
}

/** Where an image sits inside its zero-padded square (face-api's padToSquare). */
export interface SquarePadding {
  readonly side: number;
  readonly left: number;
  readonly top: number;
}

/**
 * centered = false pads only at the right/bottom; centered = true splits the padding, the
 * larger half (rounded) going after the image, as face-api does.
 */
export function squarePadding(width: number, height: number, centered: boolean): SquarePadding {
  const side = Math.max(width, height);
  const diff = side - Math.min(width, height);
  const before = centered ? diff - Math.round(diff * 0.5) : 0;
  return width < height ? { side, left: before, top: 0 } : { side, left: 0, top: height < width ? before : 0 };
}

/**
 * Pads `image` to a square (see squarePadding) and resizes it to size x size, returning NHWC
 * float32 pixels in 0..255 as tfjs would produce them.
 */
export function squareResize(image: RgbImage, size: number, centered: boolean): Float32Array {
  const { width, height, data } = image;
  const pad = squarePadding(width, height, centered);
  const out = new Float32Array(size * size * 3);
  // tfjs: ratio = inputSize / outputSize, source = ratio * dst, floor/ceil clamped to the edge.
  const ratio = pad.side / size;
  const sample = (sy: number, sx: number, c: number): number => {
    const y = sy - pad.top;
    const x = sx - pad.left;
    return y < 0 || y >= height || x < 0 || x >= width ? 0 : data[(y * width + x) * 3 + c]!;
  };
  let o = 0;
  for (let r = 0; r < size; r++) {
    const fy = ratio * r;
    const y0 = Math.max(0, Math.floor(fy));
    const dy = fy - y0;
    const y1 = Math.min(pad.side - 1, Math.ceil(fy));
    for (let col = 0; col < size; col++) {
      const fx = ratio * col;
      const x0 = Math.max(0, Math.floor(fx));
      const dx = fx - x0;
      const x1 = Math.min(pad.side - 1, Math.ceil(fx));
      for (let c = 0; c < 3; c++) {
        const tl = sample(y0, x0, c);
        const tr = sample(y0, x1, c);
        const bl = sample(y1, x0, c);
        const br = sample(y1, x1, c);
        const top = tl + (tr - tl) * dx;
        const bottom = bl + (br - bl) * dx;
        out[o++] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}

/** A region cut out of an image, and where its top-left corner sits in that image. */
export interface Crop {
  readonly image: RgbImage;
  readonly origin: Point;
}

/**
 * face-api's extractFaceTensors: clip the box at the image borders, floor x, y, width and
 * height, and slice. Returns undefined when nothing of the box lies inside the image.
 */
export function cropBox(image: RgbImage, box: Box): Crop | undefined {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const w = Math.floor(Math.min(box.x + box.width - x, image.width - x));
  const h = Math.floor(Math.min(box.y + box.height - y, image.height - y));
  const left = Math.floor(x);
  const top = Math.floor(y);
  if (!(w > 0 && h > 0)) return undefined;
  const data = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const start = ((top + row) * image.width + left) * 3;
    data.set(image.data.subarray(start, start + w * 3), row * w * 3);
  }
  return { image: { width: w, height: h, data }, origin: { x: left, y: top } };
}
