/**
 * Runs face-api itself — its `esm-nobundle` build on @tensorflow/tfjs's pure-JS cpu backend —
 * as the parity reference, in a plain Node process (`node --import tsx`): vitest's module
 * runner would re-transform all of tfjs, and face-api's imports need the resolve hook below.
 * Nets are loaded from the npm package's weight files with tfjs's own decodeWeights
 * (independent of models/build/tfjs-weights.ts).
 *
 * Usage: node --import tsx face-api-runner.ts <request.json> <response.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import type { ReferenceRequest, ReferenceResponse } from './face-api-reference.js';
import { faceApiDir, loadSample, type SampleRef } from './sample-images.js';

// The nobundle build imports the webgl and wasm backends (wasm is not installed; the cpu
// backend needs neither) and tfjs's extensionless ESM entry, which Node cannot load.
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@tensorflow/tfjs-backend-wasm') || specifier.startsWith('@tensorflow/tfjs-backend-webgl')) {
    return { url: 'data:text/javascript,export {};', shortCircuit: true };
  }
  if (specifier === '@tensorflow/tfjs/dist/index.js') return next('@tensorflow/tfjs', context);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

/* eslint-disable @typescript-eslint/no-explicit-any -- this face-api build ships no usable types */
const faceapi: any = await import(join(faceApiDir, 'dist/face-api.esm-nobundle.js'));
await faceapi.tf.setBackend('cpu');
await faceapi.tf.ready();

function loadNet(net: any, name: string): void {
  const manifest = JSON.parse(readFileSync(join(faceApiDir, 'model', `${name}-weights_manifest.json`), 'utf8'));
  const bin = readFileSync(join(faceApiDir, 'model', `${name}.bin`));
  net.loadFromWeightMap(faceapi.tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest[0].weights));
}
loadNet(faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model');
loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
loadNet(faceapi.nets.faceRecognitionNet, 'face_recognition_model');

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ReferenceRequest;
const images = new Map<string, any>();
const imageTensor = (ref: SampleRef): any => {
  const key = JSON.stringify(ref);
  let t = images.get(key);
  if (!t) {
    const img = loadSample(ref);
    t = faceapi.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
    images.set(key, t);
  }
  return t;
};
const rawTensor = (r: { width: number; height: number; rgbBase64: string }): any =>
  faceapi.tf.tensor3d(Buffer.from(r.rgbBase64, 'base64'), [r.height, r.width, 3], 'int32');
const points = (positions: any[]): { x: number; y: number }[] => positions.map((p) => ({ x: p.x, y: p.y }));
const plainBox = (b: any) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

const response: ReferenceResponse = { tfjs: faceapi.tf.version_core, backend: faceapi.tf.getBackend(), detections: [], landmarks: [], composite: [], descriptors: [], resized: [], crops: [] };

for (const d of request.detections ?? []) {
  const found = await faceapi.detectAllFaces(imageTensor(d.image), new faceapi.SsdMobilenetv1Options({ minConfidence: d.minConfidence }));
  response.detections.push(found.map((f: any) => ({ score: f.score, box: plainBox(f.box) })));
}

// face-api's landmark path for a given box (DetectAllFaceLandmarksTask on a tensor input):
// extractFaceTensors → faceLandmark68Net.detectLandmarks; reported relative to the crop's
// corner, the clipped and floored box.
for (const l of request.landmarks ?? []) {
  const image = imageTensor(l.image);
  const rect = new faceapi.Rect(l.box.x, l.box.y, l.box.width, l.box.height);
  const [crop] = await faceapi.extractFaceTensors(image, [rect]);
  const corner = rect.clipAtImageBorders(image.shape[1], image.shape[0]);
  const found = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop);
  response.landmarks.push(points(found.positions).map((p) => ({ x: p.x + corner.x, y: p.y + corner.y })));
  crop.dispose();
}

for (const ref of request.composite ?? []) {
  const found = await faceapi.detectAllFaces(imageTensor(ref), new faceapi.SsdMobilenetv1Options()).withFaceLandmarks();
  response.composite.push(found.map((f: any) => ({ score: f.detection.score, box: plainBox(f.detection.box), landmarks: points(f.landmarks.positions) })));
}

for (const chip of request.descriptors ?? []) {
  const t = rawTensor(chip);
  response.descriptors.push(Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t) as Float32Array));
  t.dispose();
}

// face-api's NetInput.toBatchTensor for a tensor input: padToSquare, then resizeBilinear.
for (const r of request.resized ?? []) {
  const net = await faceapi.toNetInput(rawTensor(r));
  response.resized.push(Array.from(net.toBatchTensor(r.size, r.centered).dataSync() as Float32Array));
}

for (const c of request.crops ?? []) {
  const [crop] = await faceapi.extractFaceTensors(rawTensor(c), [new faceapi.Rect(c.box.x, c.box.y, c.box.width, c.box.height)]);
  response.crops.push(crop ? { width: crop.shape[1], height: crop.shape[0], rgb: Array.from(crop.dataSync() as Int32Array) } : null);
}

writeFileSync(process.argv[3]!, JSON.stringify(response));
