/** Pixel-count guard shared by file decoding and camera frames, checked before any pixel buffer is allocated. */
import { KioskError } from '../errors.js';

export interface ImageLimits {
  /** Largest accepted width x height; 25 MP by default (a phone photo is 12-50 MP, a kiosk camera 1-8 MP). */
  readonly maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 25_000_000;

export function resolveMaxPixels(limits: ImageLimits | undefined): number {
  const maxPixels = limits?.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || !Number.isFinite(maxPixels) || maxPixels < 1) {
    throw new KioskError('INVALID_INPUT', `maxPixels must be a positive number, got ${String(maxPixels)}`);
  }
  return maxPixels;
}

export function assertWithinPixelLimit(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new KioskError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${(maxPixels / 1e6).toFixed(1)} MP`,
      { width, height, maxPixels },
    );
  }
}
