/**
 * How DEFAULT_QUALITY_THRESHOLDS were chosen: the quality measurements on real photos
 * (face-api's sample photos, ../shared/data faces) as they are, and after degrading the
 * source image (darker, overexposed, box-blurred), through the real detector, landmarks and
 * alignment. Prints percentiles per set and how often each gate fires.
 *
 *   npx tsx test/face/calibrate-quality.ts [--lfw 300] [--orl 40]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alignFace } from '../../src-main/core/face/align.js';
import { decodeImage } from '../../src-main/core/face/decode.js';
import { FaceDetector } from '../../src-main/core/face/detector.js';
import { LandmarkDetector } from '../../src-main/core/face/landmarker.js';
import { assessQuality, DEFAULT_QUALITY_THRESHOLDS, type FaceQuality } from '../../src-main/core/face/quality.js';
import type { Point, RgbImage } from '../../src-main/core/face/types.js';
import { ModelRegistry } from '../../src-main/core/runtime/model-registry.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';
import { boxBlur, scaleBrightness } from './degrade.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

function photoSets(): Record<string, string[]> {
  const demo = join(repoRoot, 'node_modules/@vladmandic/face-api/demo');
  const sets: Record<string, string[]> = {
    samples: readdirSync(demo).filter((f) => /^sample\d\.jpg$/.test(f)).map((f) => join(demo, f)),
  };
  if (!hasData) return sets;
  const webcam = data('faces/webcam');
  sets['webcam'] = readdirSync(webcam).filter((f) => f.endsWith('.jpg')).map((f) => join(webcam, f));
  const lfwRoot = data('faces/lfw/lfw-deepfunneled');
  const lfw: string[] = [];
  for (const person of readdirSync(lfwRoot).sort()) {
    for (const f of readdirSync(join(lfwRoot, person)).sort()) lfw.push(join(lfwRoot, person, f));
  }
  // Every k-th image, so the sample spreads over the alphabet (and over people).
  const lfwCount = option('lfw', 300);
  sets['lfw'] = lfw.filter((_, i) => i % Math.max(1, Math.floor(lfw.length / lfwCount)) === 0).slice(0, lfwCount);
  const orl = data('faces/orl');
  sets['orl'] = readdirSync(orl)
    .filter((d) => /^s\d+$/.test(d))
    .flatMap((d) => [1, 5, 9].map((n) => join(orl, d, `${n}.pgm`)))
    .slice(0, option('orl', 120));
  return sets;
}

type Variant = 'original' | 'dark' | 'overexposed' | 'blurred' | 'slightlyBlurred';
const VARIANTS: Record<Variant, (image: RgbImage, interOcular: number) => RgbImage> = {
  original: (image) => image,
  dark: (image) => scaleBrightness(image, 0.2),
  overexposed: (image) => scaleBrightness(image, 2.5),
  // A blur spanning a tenth of the eye distance each way: a face that moved during the exposure.
  blurred: (image, interOcular) => boxBlur(image, Math.max(1, Math.round(interOcular / 10))),
  slightlyBlurred: (image, interOcular) => boxBlur(image, Math.max(1, Math.round(interOcular / 20))),
};

async function main(): Promise<void> {
  const host = new OnnxHost();
  const registry = await ModelRegistry.open(join(repoRoot, 'models'));
  const detector = await FaceDetector.create(host, registry);
  const landmarker = await LandmarkDetector.create(host, registry);

  for (const [setName, files] of Object.entries(photoSets())) {
    const results: Record<Variant, FaceQuality[]> = { original: [], dark: [], overexposed: [], blurred: [], slightlyBlurred: [] };
    let noFace = 0;
    const frontalNose: { drop: number; lip: number }[] = [];
    for (const file of files) {
      const image = decodeImage(readFileSync(file));
      const faces = await detector.detect(image, { minScore: 0.3 });
      if (faces.length === 0) {
        noFace++;
        continue;
      }
      const face = faces.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
      const landmarks = await landmarker.detect(image, face.box);
      const original = assessQuality(image, face, landmarks, alignFace(image, landmarks));
      if (Math.abs(original.yawDeg) < 15) frontalNose.push(noseGeometry(landmarks));
      for (const variant of Object.keys(VARIANTS) as Variant[]) {
        // Same landmarks for every variant: the gate, not the landmark net, is under test.
        const degraded = VARIANTS[variant](image, original.faceSizePx.interOcular);
        results[variant].push(variant === 'original' ? original : assessQuality(degraded, face, landmarks, alignFace(degraded, landmarks)));
      }
    }
    report(setName, files.length, noFace, results);
    const median = (v: number[]): string => (v.sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN).toFixed(3);
    console.log(
      `  near-frontal (|yaw| < 15) faces: ${frontalNose.length}, median drop of nose tip ${median(frontalNose.map((n) => n.drop))},` +
        ` of upper lip ${median(frontalNose.map((n) => n.lip))}, of their ratio ${median(frontalNose.map((n) => n.drop / n.lip))} (quality.ts FRONTAL_HEAD)`,
    );
  }
  await host.release();
}

/** Drops of the nose tip and upper lip below the eye line, in eye distances: quality.ts's FRONTAL_HEAD. */
function noseGeometry(landmarks: readonly Point[]): { drop: number; lip: number } {
  const mean = (from: number, to: number): Point => {
    const part = landmarks.slice(from, to);
    return { x: part.reduce((s, p) => s + p.x, 0) / part.length, y: part.reduce((s, p) => s + p.y, 0) / part.length };
  };
  const left = mean(36, 42), right = mean(42, 48);
  const roll = Math.atan2(right.y - left.y, right.x - left.x);
  const interOcular = Math.hypot(right.x - left.x, right.y - left.y);
  const below = (p: Point): number => -Math.sin(roll) * (p.x - (left.x + right.x) / 2) + Math.cos(roll) * (p.y - (left.y + right.y) / 2);
  const noseDrop = below(landmarks[30]!);
  return { drop: noseDrop / interOcular, lip: below(landmarks[51]!) / interOcular };
}

function report(setName: string, total: number, noFace: number, results: Record<Variant, FaceQuality[]>): void {
  console.log(`\n== ${setName}: ${total} photos, ${noFace} without a detected face (thresholds ${JSON.stringify(DEFAULT_QUALITY_THRESHOLDS)})`);
  // Size and pose come from the landmarks, shared by every variant: shown once.
  const fromLandmarks: [string, (q: FaceQuality) => number][] = [
    ['interOcular', (q) => q.faceSizePx.interOcular],
    ['box', (q) => q.faceSizePx.box],
    ['|yaw|', (q) => Math.abs(q.yawDeg)],
    ['pitch', (q) => q.pitchDeg],
    ['|roll|', (q) => Math.abs(q.rollDeg)],
  ];
  const fromChip: [string, (q: FaceQuality) => number][] = [
    ['brightness', (q) => q.brightness],
    ['overexposed', (q) => q.overexposedFraction],
    ['sharpness', (q) => q.sharpness],
  ];
  for (const [variant, qs] of Object.entries(results)) {
    if (qs.length === 0) continue;
    console.log(`-- ${variant} (${qs.length})`);
    for (const [name, get] of variant === 'original' ? [...fromLandmarks, ...fromChip] : fromChip) {
      const v = qs.map(get).sort((a, b) => a - b);
      const at = (p: number): string => v[Math.min(v.length - 1, Math.floor(p * v.length))]!.toFixed(3);
      console.log(`  ${name.padEnd(12)} min ${at(0)}  p1 ${at(0.01)}  p5 ${at(0.05)}  p50 ${at(0.5)}  p95 ${at(0.95)}  max ${at(1)}`);
    }
    const fired: Record<string, number> = {};
    for (const q of qs) for (const code of q.issues) fired[code] = (fired[code] ?? 0) + 1;
    console.log(`  gates fired: ${JSON.stringify(fired)}`);
  }
}

await main();
