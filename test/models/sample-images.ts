/** face-api's demo photos, decoded to the pipeline's RgbImage with jpeg-js. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { RgbImage } from '../../src-main/core/face/types.js';
import { repoRoot } from '../helpers/paths.js';

export const faceApiDir = join(repoRoot, 'node_modules/@vladmandic/face-api');

export const samplePath = (name: string): string => join(faceApiDir, 'demo', name);

export function decodeJpeg(path: string): RgbImage {
  const decoded = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  const data = new Uint8Array(decoded.width * decoded.height * 3);
  for (let i = 0; i < decoded.width * decoded.height; i++) {
    data[i * 3] = decoded.data[i * 4]!;
    data[i * 3 + 1] = decoded.data[i * 4 + 1]!;
    data[i * 3 + 2] = decoded.data[i * 4 + 2]!;
  }
  return { width: decoded.width, height: decoded.height, data };
}

/** A demo photo, or an integer region of one (e.g. a portrait cut of a landscape photo). */
export interface SampleRef {
  readonly name: string;
  readonly region?: { x: number; y: number; width: number; height: number };
}

export function loadSample(ref: SampleRef): RgbImage {
  const image = decodeJpeg(samplePath(ref.name));
  const r = ref.region;
  if (!r) return image;
  const data = new Uint8Array(r.width * r.height * 3);
  for (let row = 0; row < r.height; row++) {
    const start = ((r.y + row) * image.width + r.x) * 3;
    data.set(image.data.subarray(start, start + r.width * 3), row * r.width * 3);
  }
  return { width: r.width, height: r.height, data };
}
