/**
 * Asks face-api itself (face-api-runner.ts, in a child Node process) for reference outputs.
 * One batched request per call, since loading tfjs and the nets costs seconds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Box, Point, RgbImage } from '../../src-main/core/face/types.js';
import { repoRoot } from '../helpers/paths.js';
import type { SampleRef } from './sample-images.js';

export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly rgbBase64: string;
}

export interface ReferenceRequest {
  /** detectAllFaces on a demo photo. */
  readonly detections?: readonly { image: SampleRef; minConfidence: number }[];
  /** faceLandmark68Net on the crop of `box`, in image pixels relative to the crop's corner. */
  readonly landmarks?: readonly { image: SampleRef; box: Box }[];
  /** detectAllFaces(...).withFaceLandmarks() with default options. */
  readonly composite?: readonly SampleRef[];
  readonly descriptors?: readonly RawImage[];
  /** NetInput.toBatchTensor(size, centered): padToSquare + resizeBilinear. */
  readonly resized?: readonly (RawImage & { size: number; centered: boolean })[];
  /** extractFaceTensors(image, [box]). */
  readonly crops?: readonly (RawImage & { box: Box })[];
}

export interface ReferenceResponse {
  tfjs: string;
  backend: string;
  detections: { box: Box; score: number }[][];
  landmarks: Point[][];
  composite: { score: number; box: Box; landmarks: Point[] }[][];
  descriptors: number[][];
  resized: number[][];
  crops: ({ width: number; height: number; rgb: number[] } | null)[];
}

export const raw = (image: RgbImage): RawImage => ({
  width: image.width,
  height: image.height,
  rgbBase64: Buffer.from(image.data).toString('base64'),
});

export async function askFaceApi(request: ReferenceRequest): Promise<ReferenceResponse> {
  const dir = mkdtempSync(join(tmpdir(), 'face-api-ref-'));
  try {
    const requestPath = join(dir, 'request.json');
    const responsePath = join(dir, 'response.json');
    writeFileSync(requestPath, JSON.stringify(request));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/models/face-api-runner.ts'), requestPath, responsePath], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(readFileSync(responsePath, 'utf8')) as ReferenceResponse;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
