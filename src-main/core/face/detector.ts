/**
 * Face detection stage: face-api's SSD MobileNet v1. The image is zero-padded at the
 * right/bottom to a square and resized to 512 exactly as face-api does; the graph returns
 * decoded anchor boxes and face scores, and face-api's own non-max suppression and box
 * mapping run here.
 */
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';
import type { ModelRegistry } from '../runtime/model-registry.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { assertRgbImage, squareResize } from './resize.js';
import type { Detection, RgbImage } from './types.js';

export const DETECTOR_MODEL_ID = 'face-detector-ssd-mobilenet-v1';
const INPUT_SIZE = 512;
const IOU_THRESHOLD = 0.5;

export interface DetectOptions {
  /** Minimum face score, exclusive, in (0, 1). face-api's default: 0.5. */
  readonly minScore?: number;
  /** At most this many faces. face-api's default: 100. */
  readonly maxResults?: number;
}

/** Box corners (ymin, xmin, ymax, xmax) relative to the padded 512x512 input, per anchor. */
type AnchorBoxes = Float32Array;

export class FaceDetector {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(host: OnnxHost, registry: ModelRegistry): Promise<FaceDetector> {
    const { session } = await host.load(await registry.pathOf(DETECTOR_MODEL_ID));
    return new FaceDetector(session);
  }

  /** Faces in `image`, boxes in its pixels, highest score first. */
  async detect(image: RgbImage, options: DetectOptions = {}): Promise<Detection[]> {
    assertRgbImage(image);
    const minScore = options.minScore ?? 0.5;
    const maxResults = options.maxResults ?? 100;
    if (!(minScore > 0 && minScore < 1)) throw new KioskError('INVALID_INPUT', `minScore must lie in (0, 1), got ${minScore}.`);
    if (!Number.isInteger(maxResults) || maxResults < 1) {
      throw new KioskError('INVALID_INPUT', `maxResults must be a positive integer, got ${maxResults}.`);
    }

    const input = squareResize(image, INPUT_SIZE, false);
    const result = await this.session.run({ image: new ort.Tensor('float32', input, [1, INPUT_SIZE, INPUT_SIZE, 3]) });
    const boxes = result['boxes']?.data;
    const scores = result['scores']?.data;
    if (!(boxes instanceof Float32Array) || !(scores instanceof Float32Array) || boxes.length !== scores.length * 4) {
      throw new KioskError('RUNTIME_ERROR', `${DETECTOR_MODEL_ID} returned malformed boxes or scores.`);
    }

    // face-api (SsdMobilenetv1.locateFaces): the box is relative to the padded square; the
    // factor 512 / round(side * 512 / longest) makes it relative to the image itself.
    const longest = Math.max(image.width, image.height);
    const factorX = INPUT_SIZE / Math.round((image.width * INPUT_SIZE) / longest);
    const factorY = INPUT_SIZE / Math.round((image.height * INPUT_SIZE) / longest);
    return nonMaxSuppression(boxes, scores, maxResults, IOU_THRESHOLD, minScore).map((i) => {
      const top = Math.max(0, boxes[i * 4]!) * factorY;
      const left = Math.max(0, boxes[i * 4 + 1]!) * factorX;
      const bottom = Math.min(1, boxes[i * 4 + 2]!) * factorY;
      const right = Math.min(1, boxes[i * 4 + 3]!) * factorX;
      return {
        score: scores[i]!,
        box: { x: left * image.width, y: top * image.height, width: (right - left) * image.width, height: (bottom - top) * image.height },
      };
    });
  }
}

/**
 * face-api's ssdMobilenetv1 nonMaxSuppression, kept as written: candidates above the
 * threshold in descending score order; a candidate survives only if no already selected box
 * overlaps it by more than `iouThreshold`. Returns anchor indices, highest score first.
 */
export function nonMaxSuppression(
  boxes: AnchorBoxes,
  scores: Float32Array,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
): number[] {
  const outputSize = Math.min(maxOutputSize, scores.length);
  const candidates = Array.from(scores, (score, index) => ({ score, index }))
    .filter((c) => c.score > scoreThreshold)
    .sort((a, b) => b.score - a.score);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    let suppressed = false;
    for (let j = selected.length - 1; j >= 0; j--) {
      const overlap = iou(boxes, c.index, selected[j]!);
      if (overlap > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) selected.push(c.index);
  }
  return selected;
}

function iou(boxes: AnchorBoxes, i: number, j: number): number {
  const yminI = Math.min(boxes[i * 4]!, boxes[i * 4 + 2]!);
  const xminI = Math.min(boxes[i * 4 + 1]!, boxes[i * 4 + 3]!);
  const ymaxI = Math.max(boxes[i * 4]!, boxes[i * 4 + 2]!);
  const xmaxI = Math.max(boxes[i * 4 + 1]!, boxes[i * 4 + 3]!);
  const yminJ = Math.min(boxes[j * 4]!, boxes[j * 4 + 2]!);
  const xminJ = Math.min(boxes[j * 4 + 1]!, boxes[j * 4 + 3]!);
  const ymaxJ = Math.max(boxes[j * 4]!, boxes[j * 4 + 2]!);
  const xmaxJ = Math.max(boxes[j * 4 + 1]!, boxes[j * 4 + 3]!);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const h = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0);
  const w = Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  const intersection = h * w;
  return intersection / (areaI + areaJ - intersection);
}
