import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { alignFace } from '../../src-main/core/face/align.js';
import { decodeImage } from '../../src-main/core/face/decode.js';
import {
  assessQuality,
  DEFAULT_QUALITY_THRESHOLDS,
  enforceQuality,
  FRONTAL_HEAD,
  type FaceQuality,
} from '../../src-main/core/face/quality.js';
import type { Detection, Point, RgbImage } from '../../src-main/core/face/types.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';
import { boxBlur, scaleBrightness } from './degrade.js';
import { randomBytes } from './image-files.js';
import { placeChip, templateLandmarks, turnedHead } from './landmarks.js';

function thrownCode(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (err) {
    return err instanceof KioskError ? err.code : `not a KioskError: ${String(err)}`;
  }
}

/** Area-average shrink by an integer factor, a camera further away. */
function shrink(image: RgbImage, factor: number): RgbImage {
  const width = Math.floor(image.width / factor), height = Math.floor(image.height / factor);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < factor; j++) for (let i = 0; i < factor; i++) sum += image.data[((y * factor + j) * image.width + x * factor + i) * 3 + c]!;
        out[(y * width + x) * 3 + c] = Math.round(sum / factor ** 2);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * A real face: the woman on the right of face-api's sample1.jpg, whose face is centred at
 * (1568, 336) and spans about 300 px. No landmark net is involved: dlib's mean face placed
 * there (frontal, upright) stands in for the landmarks, and alignment cuts the real chip.
 */
const photo = decodeImage(readFileSync(`${repoRoot}/node_modules/@vladmandic/face-api/demo/sample1.jpg`));
const faceAt = (image: RgbImage, scale = 1): { landmarks: Point[]; detection: Detection } => ({
  landmarks: templateLandmarks(placeChip(0, 2 / scale, { x: 1568 / scale, y: 336 / scale })),
  detection: { box: { x: 1418 / scale, y: 186 / scale, width: 300 / scale, height: 300 / scale }, score: 0.99 },
});
function assessPhoto(image: RgbImage, scale = 1): FaceQuality {
  const { landmarks, detection } = faceAt(image, scale);
  return assessQuality(image, detection, landmarks, alignFace(image, landmarks));
}

describe('quality gates on a real face', () => {
  const original = assessPhoto(photo);

  it('the original passes every gate', () => {
    expect(original.issues).toEqual([]);
    expect(() => enforceQuality(original)).not.toThrow();
  });

  it('measures the face size from the landmarks and the box', () => {
    // dlib's mean face has its eye centres 0.529 chip widths apart; the chip spans 300/150 = 2 px per chip px.
    expect(original.faceSizePx.interOcular).toBeCloseTo(2 * 150 * (0.754761 - 0.225485) / 1.5, 2);
    expect(original.faceSizePx.box).toBe(300);
  });

  it('darkened: TOO_DARK, and brightness scales with the light', () => {
    const dark = assessPhoto(scaleBrightness(photo, 0.2));
    expect(dark.issues[0]).toBe('TOO_DARK');
    expect(Math.abs(dark.brightness - original.brightness * 0.2)).toBeLessThan(1.5);
    expect(thrownCode(() => enforceQuality(dark))).toBe('TOO_DARK');
  });

  it('overexposed: OVEREXPOSED', () => {
    const bright = assessPhoto(scaleBrightness(photo, 2.5));
    expect(bright.overexposedFraction).toBeGreaterThan(original.overexposedFraction);
    expect(bright.issues).toContain('OVEREXPOSED');
    expect(thrownCode(() => enforceQuality(bright))).toBe('OVEREXPOSED');
  });

  it('blurred (box filter a tenth of the eye distance wide each way): BLURRED', () => {
    const blurred = assessPhoto(boxBlur(photo, Math.round(original.faceSizePx.interOcular / 10)));
    expect(blurred.issues).toEqual(['BLURRED']);
    expect(thrownCode(() => enforceQuality(blurred))).toBe('BLURRED');
  });

  it('sharpness ignores exposure: a dimmer copy measures within 15%', () => {
    const dimmer = assessPhoto(scaleBrightness(photo, 0.6));
    expect(Math.abs(dimmer.sharpness / original.sharpness - 1)).toBeLessThan(0.15);
  });

  it('a smaller but sharp face (camera 3x further) is not called blurred', () => {
    const far = assessPhoto(shrink(photo, 3), 3);
    expect(far.faceSizePx.interOcular).toBeGreaterThan(DEFAULT_QUALITY_THRESHOLDS.minInterOcularPx);
    expect(far.issues).toEqual([]);
  });

  it('a face 5x further away: FACE_TOO_SMALL, with a message that says what to do', () => {
    const tiny = assessPhoto(shrink(photo, 5), 5);
    expect(tiny.issues[0]).toBe('FACE_TOO_SMALL');
    try {
      enforceQuality(tiny);
      expect.unreachable();
    } catch (err) {
      expect((err as KioskError).code).toBe('FACE_TOO_SMALL');
      expect((err as KioskError).message).toMatch(/closer/i);
    }
  });

  it('gates run in order: a small, dark face is reported as too small first', () => {
    const both = assessPhoto(scaleBrightness(shrink(photo, 5), 0.2), 5);
    expect(both.issues.slice(0, 2)).toEqual(['FACE_TOO_SMALL', 'TOO_DARK']);
    expect(thrownCode(() => enforceQuality(both))).toBe('FACE_TOO_SMALL');
  });

  it('thresholds can be tightened per call', () => {
    const strict = { minBrightness: original.brightness + 1 };
    const { landmarks, detection } = faceAt(photo);
    expect(assessQuality(photo, detection, landmarks, alignFace(photo, landmarks), strict).issues).toEqual(['TOO_DARK']);
    expect(thrownCode(() => enforceQuality(original, strict))).toBe('TOO_DARK');
  });

  it('a measurement that is NaN fails its gate instead of slipping through', () => {
    expect(thrownCode(() => enforceQuality({ ...original, sharpness: Number.NaN }))).toBe('BLURRED');
    expect(thrownCode(() => enforceQuality({ ...original, yawDeg: Number.NaN }))).toBe('STRONG_POSE');
  });
});

describe.skipIf(!hasData)('quality gates on LFW faces (deep-funneled, so the face sits at the image centre)', () => {
  // Every 40th image of the evaluation set; dlib's mean face placed at the funnelled face position.
  const root = hasData ? data('faces/lfw/lfw-deepfunneled') : '';
  const files = hasData
    ? readdirSync(root).sort().flatMap((person) => readdirSync(join(root, person)).sort().map((f) => join(root, person, f))).filter((_, i) => i % 40 === 0)
    : [];
  const landmarks = templateLandmarks(placeChip(0, 0.8, { x: 125, y: 118 }));
  const detection: Detection = { box: { x: 65, y: 58, width: 120, height: 120 }, score: 0.99 };
  const issuesOf = (image: RgbImage): readonly string[] => assessQuality(image, detection, landmarks, alignFace(image, landmarks)).issues;

  it('originals pass; darkened, overexposed and blurred copies trip their gate', () => {
    const tally = { passed: 0, dark: 0, overexposed: 0, blurred: 0 };
    for (const file of files) {
      const image = decodeImage(readFileSync(file));
      if (issuesOf(image).length === 0) tally.passed++;
      if (issuesOf(scaleBrightness(image, 0.2)).includes('TOO_DARK')) tally.dark++;
      if (issuesOf(scaleBrightness(image, 2.5)).includes('OVEREXPOSED')) tally.overexposed++;
      if (issuesOf(boxBlur(image, 4)).includes('BLURRED')) tally.blurred++;
    }
    const share = (n: number): number => n / files.length;
    expect(files.length).toBeGreaterThan(50);
    expect(share(tally.passed)).toBeGreaterThanOrEqual(0.95);
    expect(share(tally.dark)).toBe(1);
    expect(share(tally.overexposed)).toBeGreaterThanOrEqual(0.9);
    expect(share(tally.blurred)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('head pose from landmarks', () => {
  // Mid-grey texture, so that only the pose gate has anything to say.
  const image: RgbImage = { width: 1000, height: 1000, data: randomBytes(7, 3_000_000).map((v) => 60 + (v >> 1)) };
  const pose = (angles: { yaw?: number; pitch?: number; roll?: number }): FaceQuality => {
    const landmarks = turnedHead(FRONTAL_HEAD, angles);
    return assessQuality(image, { box: { x: 400, y: 400, width: 200, height: 200 }, score: 1 }, landmarks, alignFace(image, landmarks));
  };

  it('a frontal head reads 0, 0, 0', () => {
    const q = pose({});
    expect(q.yawDeg).toBeCloseTo(0, 3);
    expect(q.pitchDeg).toBeCloseTo(0, 3);
    expect(q.rollDeg).toBeCloseTo(0, 3);
    expect(q.issues).toEqual([]);
  });

  it.each([-60, -35, -10, 10, 25, 50])('recovers yaw %s deg', (yaw) => {
    const q = pose({ yaw });
    expect(q.yawDeg).toBeCloseTo(yaw, 3);
    expect(q.pitchDeg).toBeCloseTo(0, 3);
  });

  it.each([-45, -20, 15, 30, 50])('recovers pitch %s deg (positive: head tipped down)', (pitch) => {
    const q = pose({ pitch });
    expect(q.pitchDeg).toBeCloseTo(pitch, 3);
    expect(q.yawDeg).toBeCloseTo(0, 3);
  });

  it.each([-40, 15, 30])('recovers roll %s deg, which leaves the yaw and pitch readings alone', (roll) => {
    const upright = pose({ yaw: 12, pitch: -8 });
    const q = pose({ roll, yaw: 12, pitch: -8 });
    expect(q.rollDeg).toBeCloseTo(roll, 9);
    expect(q.yawDeg).toBeCloseTo(upright.yawDeg, 9);
    expect(q.pitchDeg).toBeCloseTo(upright.pitchDeg, 9);
  });

  it('stays within a few degrees when the head turns two ways at once', () => {
    const q = pose({ yaw: 25, pitch: 15 });
    expect(Math.abs(q.yawDeg - 25)).toBeLessThan(3);
    expect(Math.abs(q.pitchDeg - 15)).toBeLessThan(3);
  });

  it.each([
    ['turned aside', { yaw: 55 }, /turned/],
    ['tipped down', { pitch: 40 }, /chin/],
    ['tipped up', { pitch: -40 }, /chin/],
    ['tilted', { roll: 50 }, /upright/],
  ])('%s: STRONG_POSE with advice', (_case, angles, advice) => {
    const q = pose(angles);
    expect(q.issues).toContain('STRONG_POSE');
    try {
      enforceQuality(q);
      expect.unreachable();
    } catch (err) {
      expect((err as KioskError).code).toBe('STRONG_POSE');
      expect((err as KioskError).message).toMatch(advice);
    }
  });

  it('moderate turns pass', () => {
    expect(pose({ yaw: 20, pitch: 10, roll: 15 }).issues).not.toContain('STRONG_POSE');
  });
});

describe('assessQuality: bad input gets INVALID_INPUT', () => {
  const { landmarks, detection } = faceAt(photo);
  const chip = alignFace(photo, landmarks);

  it.each([
    ['67 landmarks', landmarks.slice(1), detection],
    ['a NaN landmark', landmarks.map((p, i) => (i === 51 ? { x: p.x, y: Number.NaN } : p)), detection],
    ['a NaN box', landmarks, { box: { ...detection.box, width: Number.NaN }, score: 1 }],
    ['eyes below the mouth', landmarks.map((p) => ({ x: p.x, y: -p.y })), detection],
  ])('%s', (_case, lm, det) => {
    expect(thrownCode(() => assessQuality(photo, det, lm, chip))).toBe('INVALID_INPUT');
  });

  it('a chip too small to hold a face region', () => {
    const tiny = { image: { width: 4, height: 4, data: new Uint8Array(48) }, chipToImage: chip.chipToImage };
    expect(thrownCode(() => assessQuality(photo, detection, landmarks, tiny))).toBe('INVALID_INPUT');
  });
});
