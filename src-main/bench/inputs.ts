/**
 * What the benchmark measures on: real photos and speech from the shared data folder
 * (KIOSK_DATA_DIR, default ../shared/data beside the repository), or face-api's demo photos
 * when that folder is absent. Synthetic inputs are used only where the content does not
 * matter (gallery rows).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../core/face/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const modelsDir = join(repoRoot, 'models');
export const dataDir = process.env.KIOSK_DATA_DIR ?? resolve(repoRoot, '../shared/data');
export const hasData = existsSync(join(dataDir, 'README.md'));
const demoDir = join(repoRoot, 'node_modules/@vladmandic/face-api/demo');

export interface Photo {
  readonly label: string;
  readonly path: string;
}

export interface FaceInputs {
  readonly source: string;
  /** Photos timed stage by stage (ours and face-api's). */
  readonly photos: readonly Photo[];
  /** Becomes the 640x480 camera frame. */
  readonly framePhoto: Photo;
  /** Another photo of the frame's person, enrolled in the gallery; the frame should match it. */
  readonly enrolPhoto: Photo;
}

const photo = (path: string): Photo => ({ label: basename(path), path });

export function faceInputs(): FaceInputs {
  const webcam = join(dataDir, 'faces/webcam');
  if (hasData && existsSync(join(webcam, 'obama-480p.jpg'))) {
    return {
      source: `${dataDir}/faces (webcam photos from the face_recognition project's examples; LFW deep-funneled, Huang et al.)`,
      photos: [
        photo(join(webcam, 'obama-480p.jpg')),
        photo(join(webcam, 'obama-1080p.jpg')),
        photo(join(webcam, 'obama.jpg')),
        photo(join(webcam, 'biden.jpg')),
        ...lfwPhotos(2),
      ],
      framePhoto: photo(join(webcam, 'obama-480p.jpg')),
      enrolPhoto: photo(join(webcam, 'obama2.jpg')),
    };
  }
  const samples = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg'].map((n) => photo(join(demoDir, n)));
  return {
    source: `${demoDir} (face-api's demo photos: the shared data folder ${dataDir} is absent)`,
    photos: samples,
    framePhoto: samples[1]!,
    enrolPhoto: samples[1]!,
  };
}

/** The first images of LFW's View-2 same-person pairs (250x250, one centred face). */
function lfwPhotos(count: number): Photo[] {
  const root = join(dataDir, 'faces/lfw');
  const pairs = join(root, 'pairs.txt');
  if (!existsSync(pairs)) return [];
  const out: Photo[] = [];
  for (const line of readFileSync(pairs, 'utf8').split('\n').slice(1)) {
    const [name, index] = line.trim().split(/\s+/);
    if (!name || !index) continue;
    const path = join(root, 'lfw-deepfunneled', name, `${name}_${index.padStart(4, '0')}.jpg`);
    if (existsSync(path)) out.push({ label: `lfw/${basename(path)}`, path });
    if (out.length === count) break;
  }
  return out;
}

/** 3-second GRID sentences (16 kHz mono WAV), one per speaker, or none without the data folder. */
export function speechFiles(count: number): Photo[] {
  const grid = join(dataDir, 'av/grid');
  if (!hasData || !existsSync(grid)) return [];
  const out: Photo[] = [];
  for (const speaker of readdirSync(grid).sort()) {
    const wav = readdirSync(join(grid, speaker)).sort().find((f) => f.endsWith('.wav'));
    if (wav) out.push({ label: `grid/${speaker}/${wav}`, path: join(grid, speaker, wav) });
    if (out.length === count) break;
  }
  return out;
}

/**
 * A camera frame: the photo scaled (nearest pixel) to cover width x height and centre-cropped,
 * as RGBA like canvas ImageData.
 */
export function cameraFrame(image: RgbImage, width = 640, height = 480): Uint8Array {
  const scale = Math.max(width / image.width, height / image.height);
  const offsetX = (image.width * scale - width) / 2;
  const offsetY = (image.height * scale - height) / 2;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor((y + offsetY) / scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor((x + offsetX) / scale));
      const s = (sy * image.width + sx) * 3;
      const o = (y * width + x) * 4;
      rgba[o] = image.data[s]!;
      rgba[o + 1] = image.data[s + 1]!;
      rgba[o + 2] = image.data[s + 2]!;
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

/** Deterministic pseudo-random vectors (xorshift32 + Box-Muller), each scaled to `norm`. */
export function syntheticVectors(count: number, dim: number, norm: number, seed = 1): Float32Array {
  const out = new Float32Array(count * dim);
  let s = seed >>> 0 || 1;
  const uniform = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  for (let row = 0; row < count; row++) {
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      const v = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      out[row * dim + i] = v;
      sum += v * v;
    }
    const k = norm / Math.sqrt(sum);
    for (let i = 0; i < dim; i++) out[row * dim + i]! *= k;
  }
  return out;
}
