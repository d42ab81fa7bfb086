/** Controlled degradations of real photos for the quality-gate tests and calibration. */
import type { RgbImage } from '../../src-main/core/face/types.js';

/** Every channel times `factor`, clipped to 255. */
export function scaleBrightness(image: RgbImage, factor: number): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.round(image.data[i]! * factor));
  return { ...image, data };
}

/** Separable box filter of half-width `radius` (window 2r+1), edges clamped; running sums keep it linear in the image size. */
export function boxBlur(image: RgbImage, radius: number): RgbImage {
  const { width: w, height: h } = image;
  const window = 2 * radius + 1;
  // One pass along lines of `length` samples spaced `step` apart, starting at each of `starts`.
  const pass = (src: Uint8Array, length: number, step: number, starts: number[]): Uint8Array => {
    const out = new Uint8Array(src.length);
    const at = (start: number, i: number, c: number): number => src[start + Math.min(length - 1, Math.max(0, i)) * step + c]!;
    for (const start of starts) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) sum += at(start, k, c);
        for (let i = 0; i < length; i++) {
          out[start + i * step + c] = Math.round(sum / window);
          sum += at(start, i + radius + 1, c) - at(start, i - radius, c);
        }
      }
    }
    return out;
  };
  const rows = Array.from({ length: h }, (_, y) => y * w * 3);
  const columns = Array.from({ length: w }, (_, x) => x * 3);
  return { ...image, data: pass(pass(image.data, w, 3, rows), h, w * 3, columns) };
}
