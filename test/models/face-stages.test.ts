/**
 * Face stages on real ONNX sessions: behaviour that needs no reference implementation
 * (batching, empty input, blank images) and each bad input's typed error.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../../src-main/core/face/detector.js';
import { FaceEncoder } from '../../src-main/core/face/encoder.js';
import { LandmarkDetector } from '../../src-main/core/face/landmarker.js';
import type { Box, RgbImage } from '../../src-main/core/face/types.js';
import { ModelRegistry } from '../../src-main/core/runtime/model-registry.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { repoRoot } from '../helpers/paths.js';
import { loadSample } from './sample-images.js';

const host = new OnnxHost({ intraOpThreads: 1 });
let detector: FaceDetector;
let landmarker: LandmarkDetector;
let encoder: FaceEncoder;

const solid = (width: number, height: number, value: number): RgbImage => ({ width, height, data: new Uint8Array(width * height * 3).fill(value) });
const gradient = (size: number, phase: number): RgbImage => {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + phase) % 256;
  return { width: size, height: size, data };
};
const invalid = expect.objectContaining({ code: 'INVALID_INPUT' });

beforeAll(async () => {
  const registry = await ModelRegistry.open(join(repoRoot, 'models'));
  [detector, landmarker, encoder] = await Promise.all([
    FaceDetector.create(host, registry),
    LandmarkDetector.create(host, registry),
    FaceEncoder.create(host, registry),
  ]);
});
afterAll(() => host.release());

describe('FaceEncoder', () => {
  it('embeds a batch exactly as it embeds each chip alone', async () => {
    const chips = [gradient(150, 0), gradient(150, 90), solid(150, 150, 128)];
    const batch = await encoder.embed(chips);
    expect(batch).toHaveLength(3);
    for (let i = 0; i < chips.length; i++) {
      const [single] = await encoder.embed([chips[i]!]);
      expect(batch[i]).toHaveLength(128);
      for (let k = 0; k < 128; k++) expect(batch[i]![k]).toBeCloseTo(single![k]!, 5);
    }
    // Different chips give different descriptors.
    expect(Math.max(...batch[0]!.map((v, k) => Math.abs(v - batch[1]![k]!)))).toBeGreaterThan(1e-3);
  });

  it('returns nothing for no chips', async () => {
    expect(await encoder.embed([])).toEqual([]);
  });

  it('rejects chips that are not 150x150 RGB with INVALID_INPUT', async () => {
    await expect(encoder.embed([solid(112, 112, 0)])).rejects.toThrow(invalid);
    await expect(encoder.embed([{ width: 150, height: 150, data: new Uint8Array(10) }])).rejects.toThrow(invalid);
  });
});

describe('FaceDetector', () => {
  it('finds no face in a blank frame', async () => {
    expect(await detector.detect(solid(640, 480, 0))).toEqual([]);
  });

  it('rejects bad options and malformed images with INVALID_INPUT', async () => {
    const image = solid(64, 48, 0);
    for (const options of [{ minScore: 0 }, { minScore: 1 }, { minScore: Number.NaN }, { maxResults: 0 }, { maxResults: 2.5 }]) {
      await expect(detector.detect(image, options)).rejects.toThrow(invalid);
    }
    await expect(detector.detect({ width: 64, height: 48, data: new Uint8Array(5) })).rejects.toThrow(invalid);
    await expect(detector.detect({ width: 0, height: 0, data: new Uint8Array(0) })).rejects.toThrow(invalid);
  });
});

describe('LandmarkDetector', () => {
  it('maps points to image pixels: moving the face by (dx, dy) moves every point by (dx, dy)', async () => {
    // A face from a demo photo, then the same pixels pasted at an offset into a larger canvas.
    const face = loadSample({ name: 'sample1.jpg', region: { x: 380, y: 320, width: 250, height: 300 } });
    const [dx, dy] = [13, 7];
    const canvas = solid(300, 340, 0);
    for (let row = 0; row < face.height; row++) {
      canvas.data.set(face.data.subarray(row * face.width * 3, (row + 1) * face.width * 3), ((row + dy) * canvas.width + dx) * 3);
    }
    const box: Box = { x: 30.4, y: 30.6, width: 180, height: 240 };
    const here = await landmarker.detect(face, box);
    const there = await landmarker.detect(canvas, { ...box, x: box.x + dx, y: box.y + dy });
    expect(here).toHaveLength(68);
    here.forEach((p, i) => {
      expect(there[i]!.x - p.x).toBeCloseTo(dx, 4);
      expect(there[i]!.y - p.y).toBeCloseTo(dy, 4);
    });
    // The points describe a face inside the box, not the padding around it.
    const xs = here.map((p) => p.x);
    const ys = here.map((p) => p.y);
    expect(Math.min(...xs)).toBeGreaterThan(box.x - 10);
    expect(Math.max(...xs)).toBeLessThan(box.x + box.width + 10);
    expect(Math.min(...ys)).toBeGreaterThan(box.y);
    expect(Math.max(...ys)).toBeLessThan(box.y + box.height + 10);
  });

  it('rejects boxes that are not boxes or lie outside the image with INVALID_INPUT', async () => {
    const image = solid(100, 100, 50);
    const bad: Box[] = [
      { x: 200, y: 10, width: 20, height: 20 },
      { x: 10, y: 10, width: 0, height: 20 },
      { x: Number.NaN, y: 10, width: 20, height: 20 },
      { x: 10, y: 10, width: Number.POSITIVE_INFINITY, height: 20 },
    ];
    for (const box of bad) await expect(landmarker.detect(image, box)).rejects.toThrow(invalid);
    await expect(landmarker.detect({ width: 100, height: 100, data: new Uint8Array(3) }, { x: 0, y: 0, width: 10, height: 10 })).rejects.toThrow(invalid);
  });
});
