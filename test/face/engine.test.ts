/**
 * The whole face pipeline on real photos: decode → detect → landmarks → dlib chip → encoder,
 * and the gates each caller mode applies. Identity checks use dlib's published decision rule
 * for this encoder (same person when the euclidean distance is below 0.6).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskError, type KioskErrorCode } from '../../src-main/core/errors.js';
import { decodeImage } from '../../src-main/core/face/decode.js';
import { FaceEngine, type FaceMode } from '../../src-main/core/face/engine.js';
import type { RgbImage } from '../../src-main/core/face/types.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { boxBlur, scaleBrightness } from './degrade.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';

const DLIB_SAME_PERSON_DISTANCE = 0.6;
const sample = (n: number): Uint8Array => readFileSync(resolve(repoRoot, `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`));
const distance = (a: Float32Array, b: Float32Array): number => Math.hypot(...Array.from(a, (v, i) => v - b[i]!));

let host: OnnxHost;
let engine: FaceEngine;
beforeAll(async () => {
  host = new OnnxHost({ providers: ['cpu'] });
  engine = await FaceEngine.create({ host, modelsDir: resolve(repoRoot, 'models') });
});
afterAll(() => host.release());

async function codeOf(promise: Promise<unknown>): Promise<KioskErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
}

function toRgba(image: RgbImage): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba.set(image.data.subarray(i, i + 3), j);
    rgba[j + 3] = 255;
  }
  return rgba;
}

describe.skipIf(!hasData)('face engine on real photos (shared data)', () => {
  const photo = (name: string): Uint8Array => readFileSync(data('faces/webcam', name));

  it('puts two photos of one person within dlib\'s same-person distance and another person beyond it', async () => {
    const [a, b, other] = await Promise.all(
      ['obama.jpg', 'obama2.jpg', 'biden.jpg'].map((f) => engine.analyzeBytes(photo(f), 'probe')),
    );
    expect(distance(a!.embedding, b!.embedding)).toBeLessThan(DLIB_SAME_PERSON_DISTANCE);
    expect(distance(a!.embedding, other!.embedding)).toBeGreaterThan(DLIB_SAME_PERSON_DISTANCE);
  });

  it('recognises the same person across camera resolutions (480p to 1080p)', async () => {
    const results = await Promise.all(
      ['obama-480p.jpg', 'obama-1080p.jpg'].map((f) => engine.analyzeBytes(photo(f), 'probe')),
    );
    expect(distance(results[0]!.embedding, results[1]!.embedding)).toBeLessThan(DLIB_SAME_PERSON_DISTANCE);
  });

  it('refuses a photo with two people for enrollment but identifies the largest face when probing', async () => {
    const twoFaces = photo('knn_examples/test/obama_and_biden.jpg');
    expect(await codeOf(engine.analyzeBytes(twoFaces, 'enroll'))).toBe('MULTIPLE_FACES');
    const probe = await engine.analyzeBytes(twoFaces, 'probe');
    expect(probe.embedding).toHaveLength(128);
  });

  it('finds the large face a close-up fills, not only the small face behind it (two detection scales)', async () => {
    // LFW Adrien_Brody_0007: on the photo as given the detector reports only a small face in the
    // background (~20 px, right edge); the subject's ~120 px face is found on the framed copy.
    const image = decodeImage(readFileSync(data('faces/lfw/lfw-deepfunneled/Adrien_Brody/Adrien_Brody_0007.jpg')));
    for (const mode of ['probe', 'evaluate'] as const) {
      const { detection } = await engine.analyze(image, mode);
      expect(detection.box.width).toBeGreaterThan(80);
      expect(Math.abs(detection.box.x + detection.box.width / 2 - image.width / 2)).toBeLessThan(60);
    }
  });

  it('falls back to the photo as given when the framed pass finds no face (kiosk modes)', async () => {
    // LFW Sean_Patrick_OMalley_0003: the framed copy scores its face under 0.4, the photo as given 0.94.
    const image = decodeImage(readFileSync(data('faces/lfw/lfw-deepfunneled/Sean_Patrick_OMalley/Sean_Patrick_OMalley_0003.jpg')));
    const { detection } = await engine.analyze(image, 'probe');
    expect(detection.score).toBeGreaterThan(0.9);
  });

  it('finds a face that fills the whole frame (ORL crop, 92x112 grey PGM)', async () => {
    const a = await engine.embedImageFile(data('faces/orl/s1/1.pgm'), 'evaluate');
    const b = await engine.embedImageFile(data('faces/orl/s1/2.pgm'), 'evaluate');
    const other = await engine.embedImageFile(data('faces/orl/s2/1.pgm'), 'evaluate');
    expect(distance(a.embedding, b.embedding)).toBeLessThan(distance(a.embedding, other.embedding));
    // Found on a framed copy, reported in the photo's own pixels: the face fills the 92x112 frame.
    const centreX = a.detection.box.x + a.detection.box.width / 2;
    const centreY = a.detection.box.y + a.detection.box.height / 2;
    expect(centreX).toBeGreaterThan(20);
    expect(centreX).toBeLessThan(72);
    expect(centreY).toBeGreaterThan(20);
    expect(centreY).toBeLessThan(92);
    const noseTip = a.landmarks[30]!;
    expect(noseTip.x).toBeGreaterThan(0);
    expect(noseTip.x).toBeLessThan(92);
  });
});

describe('face engine on the sample photos shipped with face-api', () => {
  /** The demo photos are group photos: a portrait is cut around the most confident face. */
  let portrait: RgbImage;
  beforeAll(async () => {
    const group = decodeImage(sample(1));
    const [best] = await engine.detect(group);
    const side = Math.round(best!.box.width * 2.4);
    const x0 = Math.max(0, Math.round(best!.box.x + best!.box.width / 2 - side / 2));
    const y0 = Math.max(0, Math.round(best!.box.y + best!.box.height / 2 - side / 2));
    const width = Math.min(side, group.width - x0);
    const height = Math.min(side, group.height - y0);
    const pixels = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      pixels.set(group.data.subarray(((y0 + y) * group.width + x0) * 3, ((y0 + y) * group.width + x0 + width) * 3), y * width * 3);
    }
    portrait = { width, height, data: pixels };
  });

  it('gives the same embedding for a photo file and for the same pixels as an RGBA camera frame', async () => {
    const image = decodeImage(sample(2));
    const fromFile = await engine.analyzeBytes(sample(2), 'evaluate');
    const fromFrame = await engine.analyzeFrame(toRgba(image), image.width, image.height, 'evaluate');
    expect(Array.from(fromFrame.embedding)).toEqual(Array.from(fromFile.embedding));
  });

  it('averages the chip and its mirror image when flip augmentation is on', async () => {
    const flipping = await FaceEngine.create({ host, modelsDir: resolve(repoRoot, 'models'), flip: true });
    const plain = await engine.analyzeBytes(sample(2), 'evaluate');
    const flipped = await flipping.analyzeBytes(sample(2), 'evaluate');
    const d = distance(plain.embedding, flipped.embedding);
    // A mirror image of a face is the same person: close, yet not the identical vector.
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(DLIB_SAME_PERSON_DISTANCE / 2);
  });

  it('reports NO_FACE for an image without a face', async () => {
    const grey: RgbImage = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) };
    expect(await codeOf(engine.analyze(grey, 'probe'))).toBe('NO_FACE');
    // A black frame is the camera showing nothing, said as such; face.detect flags it too.
    const black: RgbImage = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3) };
    expect(await codeOf(engine.analyze(black, 'probe'))).toBe('CAMERA_BLANK');
    expect(await codeOf(engine.analyze(black, 'enroll'))).toBe('CAMERA_BLANK');
  });

  it.each<[string, (image: RgbImage) => RgbImage, KioskErrorCode]>([
    ['a dark exposure', (image) => scaleBrightness(image, 0.25), 'TOO_DARK'],
    ['an overexposed one', (image) => scaleBrightness(image, 3.5), 'OVEREXPOSED'],
    ['a blurred one', (image) => boxBlur(image, 5), 'BLURRED'],
  ])('accepts the portrait for enrollment but refuses %s', async (_label, degrade, code) => {
    await expect(engine.analyze(portrait, 'enroll')).resolves.toMatchObject({ quality: { issues: [] } });
    expect(await codeOf(engine.analyze(degrade(portrait), 'enroll'))).toBe(code);
  });

  it.each<[string, FaceMode]>([
    ['enroll', 'enroll'],
    ['probe', 'probe'],
  ])('refuses a face too small to identify in %s mode', async (_label, mode) => {
    // The portrait shrunk into a large grey frame: the face is a few pixels wide.
    const image = portrait;
    const scale = 8;
    const w = Math.floor(image.width / scale);
    const h = Math.floor(image.height / scale);
    const frame: RgbImage = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3).fill(128) };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = (y * scale * image.width + x * scale) * 3;
        frame.data.set(image.data.subarray(src, src + 3), ((y + 200) * 640 + x + 300) * 3);
      }
    }
    expect(['FACE_TOO_SMALL', 'NO_FACE']).toContain(await codeOf(engine.analyze(frame, mode)));
  });

  it.each<[string, () => Promise<unknown>, KioskErrorCode]>([
    ['zero bytes', () => engine.analyzeBytes(new Uint8Array(0), 'probe'), 'EMPTY_INPUT'],
    ['a truncated JPEG', () => engine.analyzeBytes(sample(2).subarray(0, 2000), 'probe'), 'CORRUPT_IMAGE'],
    ['random bytes', () => engine.analyzeBytes(Uint8Array.from({ length: 4096 }, (_, i) => (i * 97) % 251), 'probe'), 'UNSUPPORTED_FORMAT'],
    ['a frame whose size does not match its pixels', () => engine.analyzeFrame(new Uint8Array(100), 640, 480, 'probe'), 'BAD_FRAME'],
    ['a frame with NaN width', () => engine.analyzeFrame(new Uint8Array(100), Number.NaN, 480, 'probe'), 'BAD_FRAME'],
    ['a missing file', () => engine.embedImageFile(resolve(repoRoot, 'no-such-photo.jpg')), 'NOT_FOUND'],
  ])('turns %s into a typed error', async (_label, run, code) => {
    expect(await codeOf(run())).toBe(code);
  });
});
