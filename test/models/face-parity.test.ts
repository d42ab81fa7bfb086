/**
 * Parity: the project's ONNX conversions, run by onnxruntime-node through the face stages,
 * against face-api itself on @tensorflow/tfjs's pure-JS cpu backend, on face-api's demo
 * photos. tfjs cpu needs tens of seconds per detector run on a busy machine, so the
 * reference runs the detector twice: a landscape photo (padded at the bottom) and a portrait
 * cut of another (padded at the right).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../../src-main/core/face/detector.js';
import { FaceEncoder } from '../../src-main/core/face/encoder.js';
import { LandmarkDetector } from '../../src-main/core/face/landmarker.js';
import { cropBox, squareResize } from '../../src-main/core/face/resize.js';
import type { Box, Detection, Landmarks68, RgbImage } from '../../src-main/core/face/types.js';
import { ModelRegistry } from '../../src-main/core/runtime/model-registry.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { repoRoot } from '../helpers/paths.js';
import { askFaceApi, raw, type ReferenceResponse } from './face-api-reference.js';
import { loadSample, type SampleRef } from './sample-images.js';

const LANDSCAPE: SampleRef = { name: 'sample1.jpg' };
const PORTRAIT: SampleRef = { name: 'sample5.jpg', region: { x: 300, y: 50, width: 700, height: 1300 } };
const host = new OnnxHost();
let detector: FaceDetector;
let landmarker: LandmarkDetector;
const images = new Map<SampleRef, RgbImage>();
const detections = new Map<SampleRef, Detection[]>();
const landmarkCases: { image: SampleRef; box: Box; ours: Landmarks68 }[] = [];
const chips: RgbImage[] = [];
let embeddings: Float32Array[];
let reference: ReferenceResponse;

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const corners = (b: Box): number[] => [b.x, b.y, b.x + b.width, b.y + b.height];
const coords = (points: readonly { x: number; y: number }[]): number[] => points.flatMap((p) => [p.x, p.y]);

beforeAll(async () => {
  const registry = await ModelRegistry.open(join(repoRoot, 'models'));
  let encoder: FaceEncoder;
  [detector, landmarker, encoder] = await Promise.all([
    FaceDetector.create(host, registry),
    LandmarkDetector.create(host, registry),
    FaceEncoder.create(host, registry),
  ]);
  for (const [ref, faces] of [[LANDSCAPE, 2], [PORTRAIT, 1]] as const) {
    const image = loadSample(ref);
    images.set(ref, image);
    const found = await detector.detect(image);
    detections.set(ref, found);
    for (const { box } of found.slice(0, faces)) {
      landmarkCases.push({ image: ref, box, ours: await landmarker.detect(image, box) });
      // Encoder input: the face crop squared and resized to 150, as face-api feeds its net.
      const crop = cropBox(image, box)!;
      chips.push({ width: 150, height: 150, data: Uint8Array.from(squareResize(crop.image, 150, true), Math.round) });
    }
  }
  embeddings = await encoder.embed(chips);
  reference = await askFaceApi({
    composite: [LANDSCAPE],
    detections: [{ image: PORTRAIT, minConfidence: 0.5 }],
    landmarks: landmarkCases.map(({ image, box }) => ({ image, box })),
    descriptors: chips.map(raw),
  });
}, 400_000);

afterAll(() => host.release());

describe('parity with face-api on @tensorflow/tfjs cpu', () => {
  it('runs the reference on the pure-JS cpu backend', () => {
    expect(reference.backend).toBe('cpu');
    expect(reference.tfjs).toBe('4.22.0');
  });

  it('encoder: same 128-d descriptors as faceRecognitionNet on identical 150x150 chips (max abs diff <= 1e-4)', () => {
    expect(chips).toHaveLength(3);
    const worst = Math.max(...chips.map((_, i) => maxAbs(embeddings[i]!, reference.descriptors[i]!)));
    console.info(`[parity] encoder: ${chips.length} chips, max abs diff ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('landmarks: the 68 points of faceLandmark68Net for the same boxes (within 1 px)', () => {
    const worst = Math.max(...landmarkCases.map((c, i) => maxAbs(coords(c.ours), coords(reference.landmarks[i]!))));
    console.info(`[parity] landmarks: ${landmarkCases.length} faces, max abs diff ${worst.toExponential(2)} px`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("landmarks: face-api's detectAllFaces().withFaceLandmarks(), up to its sub-pixel shift", async () => {
    // face-api shifts the crop's points by the raw box corner, though the crop starts at the
    // floored corner; the stage shifts by the crop corner. Undo that difference, then compare.
    const image = images.get(LANDSCAPE)!;
    let worst = 0;
    let worstRaw = 0;
    for (const face of reference.composite[0]!) {
      const ours = coords(await landmarker.detect(image, face.box));
      const theirs = coords(face.landmarks);
      const shift = [face.box.x - Math.floor(face.box.x), face.box.y - Math.floor(face.box.y)];
      worst = Math.max(worst, maxAbs(ours, theirs.map((v, i) => v - shift[i % 2]!)));
      worstRaw = Math.max(worstRaw, maxAbs(ours, theirs));
    }
    console.info(`[parity] landmarks vs face-api composite: ${worstRaw.toFixed(3)} px raw, ${worst.toExponential(2)} px after the shift`);
    expect(worst).toBeLessThanOrEqual(1e-2);
    expect(worstRaw).toBeLessThan(1);
  });

  it('detector: the same faces in the same order, scores within 1e-4 and box corners within 1 px', () => {
    const theirsByImage = new Map([
      [LANDSCAPE, reference.composite[0]!],
      [PORTRAIT, reference.detections[0]!],
    ]);
    let worstBox = 0;
    let worstScore = 0;
    for (const [ref, theirs] of theirsByImage) {
      const ours = detections.get(ref)!;
      expect(ours.length, ref.name).toBeGreaterThanOrEqual(2);
      expect(ours.length, ref.name).toBe(theirs.length);
      ours.forEach((d, i) => {
        worstBox = Math.max(worstBox, maxAbs(corners(d.box), corners(theirs[i]!.box)));
        worstScore = Math.max(worstScore, Math.abs(d.score - theirs[i]!.score));
      });
    }
    console.info(`[parity] detector: max box corner diff ${worstBox.toExponential(2)} px, max score diff ${worstScore.toExponential(2)}`);
    expect(worstBox).toBeLessThanOrEqual(1);
    expect(worstScore).toBeLessThanOrEqual(1e-4);
  });
});

describe('FaceDetector options', () => {
  it('sorts by score and applies minScore and maxResults like face-api', async () => {
    const image = images.get(LANDSCAPE)!;
    const all = detections.get(LANDSCAPE)!;
    expect(all.map((d) => d.score)).toEqual(all.map((d) => d.score).sort((a, b) => b - a));
    expect(all.every((d) => d.score > 0.5)).toBe(true);
    expect(await detector.detect(image, { maxResults: 1 })).toEqual(all.slice(0, 1));
    // A stricter threshold keeps a prefix: greedy NMS only lets higher-scored boxes suppress.
    const cut = all[1]!.score;
    expect(await detector.detect(image, { minScore: cut })).toEqual(all.filter((d) => d.score > cut));
  });
});
