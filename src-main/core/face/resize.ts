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
  // The taps depend on the row or the column alone, so they are computed once per axis
  // rather than per pixel and channel (this runs on every camera frame).
  const cols = resizeTaps(size, pad.side, pad.left, width);
  const rows = resizeTaps(size, pad.side, pad.top, height);
  const rowStride = width * 3;
  let o = 0;
  for (let r = 0; r < size; r++) {
    const y0 = rows.first[r]!;
    const y1 = rows.second[r]!;
    const dy = rows.weight[r]!;
    for (let col = 0; col < size; col++) {
      const x0 = cols.first[col]!;
      const x1 = cols.second[col]!;
      const dx = cols.weight[col]!;
      // Byte offset of each corner, or -1 where it falls in the zero padding.
      const tl = y0 < 0 || x0 < 0 ? -1 : y0 * rowStride + x0 * 3;
      const tr = y0 < 0 || x1 < 0 ? -1 : y0 * rowStride + x1 * 3;
      const bl = y1 < 0 || x0 < 0 ? -1 : y1 * rowStride + x0 * 3;
      const br = y1 < 0 || x1 < 0 ? -1 : y1 * rowStride + x1 * 3;
      for (let c = 0; c < 3; c++) {
        const vtl = tl < 0 ? 0 : data[tl + c]!;
        const vtr = tr < 0 ? 0 : data[tr + c]!;
        const vbl = bl < 0 ? 0 : data[bl + c]!;
        const vbr = br < 0 ? 0 : data[br + c]!;
        const top = vtl + (vtr - vtl) * dx;
        const bottom = vbl + (vbr - vbl) * dx;
        out[o++] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}

/** Per output index along one axis: the two source pixels (image coordinates, -1 in the padding) and the weight of the second. */
interface ResizeTaps {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly weight: Float64Array;
}

/**
 * tfjs: ratio = inputSize / outputSize, source = ratio * dst, floor/ceil clamped to the
 * padded square's edge; `before` padding pixels precede the image's `extent` pixels.
 */
function resizeTaps(size: number, side: number, before: number, extent: number): ResizeTaps {
  const ratio = side / size;
  const taps = { first: new Int32Array(size), second: new Int32Array(size), weight: new Float64Array(size) };
  const inImage = (p: number): number => (p - before >= 0 && p - before < extent ? p - before : -1);
  for (let i = 0; i < size; i++) {
    const f = ratio * i;
    const p0 = Math.max(0, Math.floor(f));
    taps.first[i] = inImage(p0);
    taps.second[i] = inImage(Math.min(side - 1, Math.ceil(f)));
    taps.weight[i] = f - p0;
  }
  return taps;
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
