/**
 * Builds models/ from npm-shipped weights (run by `npm install` and `npm run build:models`):
 * converts face-api's tfjs face detector, landmark net and face descriptor to ONNX, copies
 * Silero VAD from @ricky0123/vad-web, lists the committed trained voice encoder when present,
 * and writes models/manifest.json. Idempotent: files whose manifest entry still matches their
 * source version, converter code and sha256 are left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import {
  MANIFEST_FILE,
  type ModelEntry,
  type ModelManifest,
  parseManifest,
  type TensorSpec,
} from '../../src-main/core/runtime/model-registry.js';
import { FACE_MODELS, type FaceModelSpec } from './face-models.js';
import { readTfjsWeights } from './tfjs-weights.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = join(root, 'models');
const buildDir = join(root, 'models/build');
const faceApiDir = join(root, 'node_modules/@vladmandic/face-api');
const vadDir = join(root, 'node_modules/@ricky0123/vad-web');

interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly license: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sha256Of = (path: string): string => sha256(readFileSync(path));
const readPackage = (dir: string): PackageInfo => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageInfo;

/** Writes through a temporary file so an interrupted build never leaves a half-written model. */
function writeAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** The converter's own source: a change to any of these rebuilds the face models. */
const CONVERTER_SOURCES = ['face', 'onnx', 'face-models.ts', 'tfjs-weights.ts'];

function converterFingerprint(): string {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else if (path.endsWith('.ts')) files.push(path);
  };
  for (const source of CONVERTER_SOURCES) walk(join(buildDir, source));
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(buildDir, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function readPreviousManifest(): ModelManifest | undefined {
  try {
    return parseManifest(JSON.parse(readFileSync(join(modelsDir, MANIFEST_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

/** True when `entry` still describes the file on disk byte for byte. */
function fileMatches(entry: ModelEntry | undefined): entry is ModelEntry {
  const path = entry && join(modelsDir, entry.file);
  return !!path && existsSync(path) && sha256Of(path) === entry.sha256;
}

function buildFaceModel(spec: FaceModelSpec, faceApi: PackageInfo, builder: string, previous: ModelEntry | undefined, log: string[]): ModelEntry {
  if (previous?.source.version === faceApi.version && previous.builder === builder && fileMatches(previous)) return previous;
  const weights = readTfjsWeights(join(faceApiDir, 'model', spec.weights));
  const source = `${faceApi.name}@${faceApi.version} model/${spec.weights}`;
  const bytes = spec.build(weights).toModel({
    producer: 'attendance-kiosk models/build',
    docString: `${spec.id}: converted from ${source}`,
    metadata: { source, licence: spec.licence },
  });
  const file = `${spec.id}.onnx`;
  writeAtomic(join(modelsDir, file), bytes);
  log.push(`built ${file} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  return {
    id: spec.id,
    file,
    sha256: sha256(bytes),
    bytes: bytes.length,
    ...spec.describe,
    source: { text: source, package: faceApi.name, version: faceApi.version, files: [`model/${spec.weights}`] },
    licence: spec.licence,
    builder,
  };
}

/** Tensor contract read from the model itself, for files this project does not build. */
async function describeOnnx(path: string): Promise<Pick<ModelEntry, 'inputs' | 'outputs'>> {
  const session = await ort.InferenceSession.create(path);
  const toSpec = (m: ort.InferenceSession.ValueMetadata): TensorSpec => ({
    name: m.name,
    dtype: m.isTensor ? m.type : 'non-tensor',
    shape: m.isTensor ? m.shape.map((d) => (d === '' ? '?' : d)) : [],
  });
  const description = { inputs: session.inputMetadata.map(toSpec), outputs: session.outputMetadata.map(toSpec) };
  await session.release();
  return description;
}

async function copySileroVad(vad: PackageInfo, previous: ModelEntry | undefined, log: string[]): Promise<ModelEntry> {
  const id = 'voice-vad-silero-v5';
  const file = `${id}.onnx`;
  const sourcePath = join(vadDir, 'dist/silero_vad_v5.onnx');
  const sourceSha = sha256Of(sourcePath);
  if (previous?.source.version === vad.version && previous.sha256 === sourceSha && fileMatches(previous)) return previous;
  writeAtomic(join(modelsDir, file), readFileSync(sourcePath));
  log.push(`copied ${file}`);
  return {
    id,
    file,
    sha256: sourceSha,
    bytes: statSync(sourcePath).size,
    ...(await describeOnnx(sourcePath)),
    preprocessing: {
      text: '16 kHz mono float32 PCM in -1..1, fed in windows of 512 samples with the recurrent state carried between calls (start from zeros).',
      values: { sampleRate: 16000, windowSamples: 512 },
    },
    source: { text: `${vad.name}@${vad.version} dist/silero_vad_v5.onnx`, package: vad.name, version: vad.version, files: ['dist/silero_vad_v5.onnx'] },
    licence: `MIT (Silero VAD, Copyright (c) Silero Team); redistributed in ${vad.name} (${vad.license})`,
  };
}

/** The voice encoder trained by models/training is committed, not built: list it when present. */
async function describeVoiceEncoder(project: PackageInfo, previous: ModelEntry | undefined, log: string[]): Promise<ModelEntry | undefined> {
  const id = 'voice-encoder';
  const file = `${id}.onnx`;
  const path = join(modelsDir, file);
  if (!existsSync(path)) return undefined;
  if (fileMatches(previous)) return previous;
  const frontendPath = join(modelsDir, 'voice-frontend.json');
  const frontend = existsSync(frontendPath) ? (JSON.parse(readFileSync(frontendPath, 'utf8')) as Record<string, unknown>) : {};
  const values = Object.fromEntries(
    Object.entries(frontend).filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v)),
  ) as Record<string, number | string | boolean>;
  let tensors: Pick<ModelEntry, 'inputs' | 'outputs'>;
  try {
    tensors = await describeOnnx(path);
  } catch (error) {
    // A broken voice model must not break `npm install` for the face pipeline; leaving it
    // unlisted makes the registry report MODEL_MISSING for it.
    console.warn(`models: ${file} cannot be loaded by onnxruntime, not listed: ${String(error)}`);
    return undefined;
  }
  log.push(`listed ${file}`);
  return {
    id,
    file,
    sha256: sha256Of(path),
    bytes: statSync(path).size,
    ...tensors,
    preprocessing: { text: 'Log-mel features as described in models/voice-frontend.json (computed outside the graph).', values },
    source: { text: 'trained by models/training (this project); data and speakers in models/voice-encoder.md' },
    // Say it plainly: part of the training audio is GPL (Debian voice packages), CC BY and CC BY-SA.
    licence: `${project.license} (this project's weights); doubtful: trained in part on GPL-licensed Debian voice recordings, see models/voice-encoder.md`,
  };
}

/**
 * Names `<id>.calibration.json` (written by `npm run kiosk -- eval calibrate`, committed) in the
 * model's entry, when it was measured on this very model file; a table of another build is left out.
 */
function withCalibration(entry: ModelEntry, log: string[]): ModelEntry {
  const { calibration: previous, ...rest } = entry;
  const file = `${entry.id}.calibration.json`;
  const path = join(modelsDir, file);
  let calibration: ModelEntry['calibration'];
  if (existsSync(path)) {
    const table = JSON.parse(readFileSync(path, 'utf8')) as { model?: { sha256?: string } };
    if (table.model?.sha256 === entry.sha256) calibration = { file, sha256: sha256Of(path) };
    else console.warn(`models: ${file} was measured on another build of ${entry.id}; not listed (run eval calibrate again)`);
  }
  if (calibration?.sha256 !== previous?.sha256) log.push(calibration === undefined ? `unlisted calibration of ${entry.id}` : `listed ${file}`);
  return calibration === undefined ? rest : { ...rest, calibration };
}

async function main(): Promise<void> {
  const started = performance.now();
  const previous = readPreviousManifest();
  const faceApi = readPackage(faceApiDir);
  const vad = readPackage(vadDir);
  const builder = converterFingerprint();
  const log: string[] = [];

  const models: Record<string, ModelEntry> = {};
  for (const spec of FACE_MODELS) models[spec.id] = buildFaceModel(spec, faceApi, builder, previous?.models[spec.id], log);
  const silero = await copySileroVad(vad, previous?.models['voice-vad-silero-v5'], log);
  models[silero.id] = silero;
  const voice = await describeVoiceEncoder(readPackage(root), previous?.models['voice-encoder'], log);
  if (voice) models[voice.id] = voice;
  for (const [id, entry] of Object.entries(models)) models[id] = withCalibration(entry, log);

  const manifest: ModelManifest = { schemaVersion: 1, generatedBy: 'models/build/build-models.ts', models };
  // With nothing rebuilt, copied or newly listed, every entry is the previous one verbatim.
  const sameModels = previous && Object.keys(previous.models).sort().join() === Object.keys(models).sort().join();
  if (log.length === 0 && sameModels) {
    console.log(`models: up to date (${Object.keys(models).join(', ')}), nothing to do`);
    return;
  }
  writeAtomic(join(modelsDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`models: ${[...log, 'wrote manifest.json'].join('; ')} in ${seconds} s`);
}

main().catch((error: unknown) => {
  console.error('models: build failed:', error);
  process.exitCode = 1;
});
