/**
 * Landmark stage: face-api's 68-point landmark net on a detected face box. The crop, padding
 * and resize follow face-api's tensor path (extractFaceTensors → padToSquare(centered) →
 * resizeBilinear to 112) and the output is mapped back the way face-api maps it.
 */
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';
import type { ModelRegistry } from '../runtime/model-registry.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { assertRgbImage, cropBox, squareResize } from './resize.js';
import type { Box, Landmarks68, Point, RgbImage } from './types.js';

export const LANDMARKS_MODEL_ID = 'face-landmarks-68';
const INPUT_SIZE = 112;
const POINTS = 68;

export class LandmarkDetector {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(host: OnnxHost, registry: ModelRegistry): Promise<LandmarkDetector> {
    const { session } = await host.load(await registry.pathOf(LANDMARKS_MODEL_ID));
    return new LandmarkDetector(session);
  }

  /** The 68 points of the face in `box`, in `image` pixel coordinates. */
  async detect(image: RgbImage, box: Box): Promise<Landmarks68> {
    assertRgbImage(image);
    if (![box.x, box.y, box.width, box.height].every(Number.isFinite) || box.width <= 0 || box.height <= 0) {
      throw new KioskError('INVALID_INPUT', `Face box ${JSON.stringify(box)} is not a box with positive size.`);
    }
    const crop = cropBox(image, box);
    if (!crop) throw new KioskError('INVALID_INPUT', `Face box ${JSON.stringify(box)} lies outside the ${image.width}x${image.height} image.`);

    const input = squareResize(crop.image, INPUT_SIZE, true);
    const result = await this.session.run({ image: new ort.Tensor('float32', input, [1, INPUT_SIZE, INPUT_SIZE, 3]) });
    const out = result['landmarks']?.data;
    if (!(out instanceof Float32Array) || out.length !== POINTS * 2) {
      throw new KioskError('RUNTIME_ERROR', `${LANDMARKS_MODEL_ID} returned no ${POINTS} points.`);
    }
    return toImagePoints(out, crop.image.width, crop.image.height, crop.origin);
  }
}

/**
 * face-api's FaceLandmark68NetBase.postProcess: it removes half the padding difference of
 * the (unrounded) scaled crop, then scales to the crop. Unlike face-api's
 * extendWithFaceLandmarks, which shifts by the unclipped, unfloored box corner, the points are
 * shifted by the crop's actual corner, so they land on the pixels the net saw.
 */
function toImagePoints(out: Float32Array, width: number, height: number, origin: Point): Point[] {
  const scale = INPUT_SIZE / Math.max(width, height);
  const scaledW = width * scale;
  const scaledH = height * scale;
  const padX = scaledW < scaledH ? Math.abs(scaledW - scaledH) / 2 : 0;
  const padY = scaledH < scaledW ? Math.abs(scaledW - scaledH) / 2 : 0;
  const points: Point[] = [];
  for (let i = 0; i < POINTS; i++) {
    const rx = (out[2 * i]! * INPUT_SIZE - padX) / scaledW;
    const ry = (out[2 * i + 1]! * INPUT_SIZE - padY) / scaledH;
    points.push({ x: rx * width + origin.x, y: ry * height + origin.y });
  }
  return points;
}
