/** Raw RGBA camera frames (canvas ImageData, video frame copies) to the pipeline's RGB image. */
import { KioskError } from '../errors.js';
import { assertWithinPixelLimit, resolveMaxPixels, type ImageLimits } from './image-limits.js';
import type { RgbImage } from './types.js';

export function rgbaFrameToRgb(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  limits?: ImageLimits,
): RgbImage {
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new KioskError('BAD_FRAME', 'Camera frame pixels must be a Uint8Array or Uint8ClampedArray');
  }
  if (!isPositiveInteger(width) || !isPositiveInteger(height)) {
    throw new KioskError('BAD_FRAME', `Camera frame size must be positive integers, got ${String(width)}x${String(height)}`, {
      width: String(width),
      height: String(height),
    });
  }
  assertWithinPixelLimit(width, height, resolveMaxPixels(limits));
  const pixels = width * height;
  if (data.length !== pixels * 4) {
    throw new KioskError('BAD_FRAME', `Camera frame has ${data.length} bytes; ${width}x${height} RGBA needs ${pixels * 4}`, {
      width,
      height,
      bytes: data.length,
    });
  }
  // Alpha is dropped, not composited: camera frames are opaque.
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, o = 0; i < data.length; i += 4, o += 3) {
    rgb[o] = data[i]!;
    rgb[o + 1] = data[i + 1]!;
    rgb[o + 2] = data[i + 2]!;
  }
  return { width, height, data: rgb };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
