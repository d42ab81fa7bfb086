/** Mirror image for flip test-time augmentation (the encoder's embedding of both views is averaged). */
import type { RgbImage } from './types.js';

export function flipHorizontal(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3;
      const o = row + (width - 1 - x) * 3;
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  }
  return { width, height, data: out };
}
