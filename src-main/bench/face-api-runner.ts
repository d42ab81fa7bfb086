/**
 * The peer: @vladmandic/face-api with the same weights (the npm package's own weight files),
 * in a child Node process so its tfjs never shares a heap or a JIT with the kiosk's code.
 * Started by face-api-peer.ts with `node --import tsx`; talks over the IPC channel.
 *
 * face-api's `esm-nobundle` build imports tfjs's extensionless ESM entry (which Node cannot
 * load) and the webgl and wasm backends; the resolve hook maps the first to the package and
 * stubs the backends that are not installed (the approach of test/models/face-api-runner.ts).
 * The backend is the fastest that loads: wasm (tfjs-backend-wasm, XNNPACK) when installed,
 * else tfjs's pure-JS cpu backend.
 */
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeImage } from '../core/face/decode.js';
import { rgbaFrameToRgb } from '../core/face/frame.js';
import type { PeerRequest, PeerResponse, PeerStageTimes } from './face-api-protocol.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const faceApiDir = join(repoRoot, 'node_modules/@vladmandic/face-api');

/** The installed wasm backend, or one unpacked elsewhere (KIOSK_BENCH_TFJS_WASM: its package folder). */
function wasmBackendDir(): string | null {
  if (process.env.KIOSK_BENCH_TFJS_WASM) return resolve(process.env.KIOSK_BENCH_TFJS_WASM);
  try {
    return dirname(createRequire(join(repoRoot, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  } catch {
    return null;
  }
}

const wasmDir = wasmBackendDir();
const wasmEntry = wasmDir === null ? null : pathToFileURL(join(wasmDir, 'dist/tf-backend-wasm.node.js')).href;
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@tensorflow/tfjs-backend-webgl')) return { url: 'data:text/javascript,export {};', shortCircuit: true };
  if (specifier.startsWith('@tensorflow/tfjs-backend-wasm')) {
    ${wasmEntry === null ? "return { url: 'data:text/javascript,export {};', shortCircuit: true };" : `return { url: ${JSON.stringify(wasmEntry)}, shortCircuit: true };`}
  }
  if (specifier === '@tensorflow/tfjs/dist/index.js') return next('@tensorflow/tfjs', context);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

/* eslint-disable @typescript-eslint/no-explicit-any -- this face-api build ships no usable types */
const started = performance.now();
const faceapi: any = await import(join(faceApiDir, 'dist/face-api.esm-nobundle.js'));
const tf = faceapi.tf;
let backendNote = wasmDir === null ? '@tensorflow/tfjs-backend-wasm is not installed: pure-JS cpu backend' : '';
if (wasmDir !== null) {
  try {
    tf.setWasmPaths?.(`${join(wasmDir, 'dist')}/`);
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
    backendNote = 'tfjs-backend-wasm (XNNPACK)';
  } catch (error) {
    backendNote = `wasm backend failed (${error instanceof Error ? error.message : String(error)}): pure-JS cpu backend`;
    await tf.setBackend('cpu');
  }
} else {
  await tf.setBackend('cpu');
}
await tf.ready();

function loadNet(net: any, name: string): void {
  const manifest = JSON.parse(readFileSync(join(faceApiDir, 'model', `${name}-weights_manifest.json`), 'utf8'));
  const bin = readFileSync(join(faceApiDir, 'model', `${name}.bin`));
  net.loadFromWeightMap(tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest[0].weights));
}
loadNet(faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model');
loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
loadNet(faceapi.nets.faceRecognitionNet, 'face_recognition_model');
const loadMs = performance.now() - started;
const faceApiVersion = JSON.parse(readFileSync(join(faceApiDir, 'package.json'), 'utf8')).version as string;

const detectorOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
const largest = (faces: any[]): any => faces.reduce((a, b) => (b.box.area > a.box.area ? b : a));

/** face-api's composite pipeline, one step at a time, on the largest face. */
async function stages(path: string): Promise<PeerStageTimes | null> {
  const bytes = readFileSync(path);
  let t = performance.now();
  const image = decodeImage(bytes);
  const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const decode = performance.now() - t;
  try {
    t = performance.now();
    const faces = await faceapi.nets.ssdMobilenetv1.locateFaces(input, detectorOptions);
    const detect = performance.now() - t;
    if (faces.length === 0) return null;
    const detection = largest(faces);

    t = performance.now();
    const [crop] = await faceapi.extractFaceTensors(input, [detection]);
    const unshifted = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop);
    crop.dispose();
    const withLandmarks = faceapi.extendWithFaceLandmarks({ detection }, unshifted);
    const landmarks = performance.now() - t;

    t = performance.now();
    const [chip] = await faceapi.extractFaceTensors(input, [withLandmarks.alignedRect]);
    const align = performance.now() - t;

    t = performance.now();
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip);
    const embed = performance.now() - t;
    chip.dispose();
    return { decode, detect, landmarks, align, embed, total: decode + detect + landmarks + align + embed };
  } finally {
    input.dispose();
  }
}

let frame: { width: number; height: number; rgba: Uint8Array; matcher: any } | null = null;

function setFrame(request: Extract<PeerRequest, { kind: 'setFrame' }>): void {
  const gallery = new Float32Array(new Uint8Array(Buffer.from(request.galleryBase64, 'base64')).buffer);
  const labeled = [];
  for (let row = 0; row * request.dim < gallery.length; row++) {
    labeled.push(new faceapi.LabeledFaceDescriptors(`employee-${row + 1}`, [gallery.slice(row * request.dim, (row + 1) * request.dim)]));
  }
  frame = { width: request.width, height: request.height, rgba: new Uint8Array(Buffer.from(request.rgbaBase64, 'base64')), matcher: new faceapi.FaceMatcher(labeled, 0.6) };
}

/** A camera frame to a match decision, the way a face-api kiosk would do it. */
async function frameToDecision(): Promise<Extract<PeerResponse, { kind: 'frame' }>> {
  if (!frame) throw new Error('setFrame first');
  const start = performance.now();
  const rgb = rgbaFrameToRgb(frame.rgba, frame.width, frame.height);
  const input = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
  try {
    const found = await faceapi.detectSingleFace(input, detectorOptions).withFaceLandmarks().withFaceDescriptor();
    const match = found ? frame.matcher.findBestMatch(found.descriptor) : null;
    return { kind: 'frame', ms: performance.now() - start, label: match?.label ?? null, distance: match?.distance ?? null };
  } finally {
    input.dispose();
  }
}

async function descriptorOf(chip: any): Promise<number[]> {
  return Array.from((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip)) as Float32Array);
}

async function agreement(request: Extract<PeerRequest, { kind: 'agreement' }>): Promise<PeerResponse> {
  const chips: number[][] = [];
  for (const base64 of request.chipsBase64) {
    const t = tf.tensor3d(new Uint8Array(Buffer.from(base64, 'base64')), [150, 150, 3], 'int32');
    chips.push(await descriptorOf(t));
    t.dispose();
  }
  const image = decodeImage(readFileSync(request.path));
  const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const faces = await faceapi.detectAllFaces(input, detectorOptions).withFaceLandmarks().withFaceDescriptors();
    if (faces.length === 0) return { kind: 'agreement', own: null, chips, ownChipBase64: null, ownChipDescriptor: null };
    const face = faces.reduce((a: any, b: any) => (b.detection.box.area > a.detection.box.area ? b : a));
    // The net's own input: the aligned crop padded to a square and resized to 150 (NetInput.toBatchTensor).
    const [crop] = await faceapi.extractFaceTensors(input, [face.alignedRect]);
    const batch = (await faceapi.toNetInput(crop)).toBatchTensor(150, true);
    const bytes = Uint8Array.from(batch.dataSync() as Float32Array, (v) => Math.round(v));
    crop.dispose();
    batch.dispose();
    const t = tf.tensor3d(bytes, [150, 150, 3], 'int32');
    const ownChipDescriptor = await descriptorOf(t);
    t.dispose();
    return { kind: 'agreement', own: Array.from(face.descriptor as Float32Array), chips, ownChipBase64: Buffer.from(bytes).toString('base64'), ownChipDescriptor };
  } finally {
    input.dispose();
  }
}

async function handle(request: PeerRequest): Promise<PeerResponse | null> {
  switch (request.kind) {
    case 'stages':
      return { kind: 'stages', times: await stages(request.path) };
    case 'setFrame':
      setFrame(request);
      return { kind: 'setFrame' };
    case 'frame':
      return frameToDecision();
    case 'agreement':
      return agreement(request);
    case 'exit':
      process.exit(0);
  }
}

const send = (message: PeerResponse): void => void process.send?.(message);
process.on('message', (request: PeerRequest) => {
  handle(request).then(
    (response) => response && send(response),
    (error: unknown) => send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
send({ kind: 'ready', backend: tf.getBackend(), tfjs: tf.version_core, faceApi: faceApiVersion, loadMs, backendNote });
