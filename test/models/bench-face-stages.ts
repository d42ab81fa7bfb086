/**
 * Rough per-stage inference timings and descriptor norms on face-api's demo photos (not a
 * test: speed is reported, never asserted).
 * Usage: node --import tsx test/models/bench-face-stages.ts [threads]
 */
import { join } from 'node:path';
import { FaceDetector } from '../../src-main/core/face/detector.js';
import { FaceEncoder } from '../../src-main/core/face/encoder.js';
import { LandmarkDetector } from '../../src-main/core/face/landmarker.js';
import { cropBox, squareResize } from '../../src-main/core/face/resize.js';
import type { RgbImage } from '../../src-main/core/face/types.js';
import { ModelRegistry } from '../../src-main/core/runtime/model-registry.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { repoRoot } from '../helpers/paths.js';
import { loadSample } from './sample-images.js';

const threads = Number(process.argv[2] ?? 0);
const host = new OnnxHost({ intraOpThreads: threads });
const registry = await ModelRegistry.open(join(repoRoot, 'models'));
const [detector, landmarker, encoder] = await Promise.all([
  FaceDetector.create(host, registry),
  LandmarkDetector.create(host, registry),
  FaceEncoder.create(host, registry),
]);

async function median(label: string, runs: number, fn: () => Promise<unknown>): Promise<void> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[Math.floor(runs / 2)]!.toFixed(1)} ms over ${runs} runs`);
}

const image = loadSample({ name: 'sample1.jpg' });
const faces = await detector.detect(image);
const chips: RgbImage[] = [];
for (const name of ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg']) {
  const photo = loadSample({ name });
  for (const { box } of await detector.detect(photo)) {
    const crop = cropBox(photo, box)!;
    chips.push({ width: 150, height: 150, data: Uint8Array.from(squareResize(crop.image, 150, true), Math.round) });
  }
}
console.log(`onnxruntime-node, intraOpThreads ${threads || 'default'}; sample1.jpg ${image.width}x${image.height}, ${faces.length} faces`);
await median('detector (pad + resize to 512 + SSD + NMS)', 10, () => detector.detect(image));
await median('landmarks (crop + resize to 112 + net), one face', 20, () => landmarker.detect(image, faces[0]!.box));
await median('encoder, 1 chip', 20, () => encoder.embed(chips.slice(0, 1)));
await median('encoder, batch of 8 chips', 10, () => encoder.embed(chips.slice(0, 8)));
const norms = (await encoder.embed(chips)).map((e) => Math.hypot(...e));
console.log(`descriptor L2 norm over ${norms.length} demo faces: min ${Math.min(...norms).toFixed(3)}, max ${Math.max(...norms).toFixed(3)}`);
await host.release();
