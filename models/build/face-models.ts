/**
 * The face models converted from @vladmandic/face-api's tfjs weights: for each, the weights
 * manifest it reads, the graph builder, and what the manifest says about it.
 */
import type { ModelEntry } from '../../src-main/core/runtime/model-registry.js';
import { DETECTOR_ANCHORS, DETECTOR_INPUT_SIZE, buildFaceDetector } from './face/detector-graph.js';
import { ENCODER_DIVISOR, ENCODER_INPUT_SIZE, ENCODER_MEAN_RGB, buildFaceEncoder } from './face/encoder-graph.js';
import { LANDMARKS_DIVISOR, LANDMARKS_INPUT_SIZE, LANDMARKS_MEAN_RGB, buildFaceLandmarks } from './face/landmarks-graph.js';
import type { GraphBuilder } from './onnx/graph-builder.js';
import type { WeightMap } from './tfjs-weights.js';

export interface FaceModelSpec {
  readonly id: string;
  /** Basename of the tfjs weights manifest in face-api's model/ folder. */
  readonly weights: string;
  readonly build: (weights: WeightMap) => GraphBuilder;
  readonly licence: string;
  readonly describe: Pick<ModelEntry, 'inputs' | 'outputs' | 'preprocessing' | 'postprocessing'>;
}

const FACE_API_LICENCE = 'MIT (@vladmandic/face-api, Copyright (c) Vladimir Mandic)';

export const FACE_MODELS: readonly FaceModelSpec[] = [
  {
    id: 'face-encoder-dlib-resnet',
    weights: 'face_recognition_model-weights_manifest.json',
    build: buildFaceEncoder,
    licence: `${FACE_API_LICENCE}; network weights: dlib's dlib_face_recognition_resnet_model_v1 by Davis King, released into the public domain (CC0)`,
    describe: {
      inputs: [{ name: 'image', dtype: 'float32', shape: ['N', ENCODER_INPUT_SIZE, ENCODER_INPUT_SIZE, 3], description: 'aligned face chips, RGB 0..255' }],
      outputs: [
        {
          name: 'embedding',
          dtype: 'float32',
          shape: ['N', 128],
          description:
            "face-api's raw face descriptor, not re-normalised: L2 norm 1.3-1.45 on face-api's demo faces (test/models/bench-face-stages.ts); dlib compares by euclidean distance (same person below ~0.6)",
        },
      ],
      preprocessing: {
        text: 'NHWC RGB float32 in 0..255, 150x150 chip. Inside the graph: subtract the per-channel RGB mean, divide by 255 (face-api FaceRecognitionNet).',
        values: {
          inputSize: ENCODER_INPUT_SIZE,
          meanRgb: [...ENCODER_MEAN_RGB],
          divisor: ENCODER_DIVISOR,
          normalizationInGraph: true,
        },
      },
    },
  },
  {
    id: 'face-landmarks-68',
    weights: 'face_landmark_68_model-weights_manifest.json',
    build: buildFaceLandmarks,
    licence: FACE_API_LICENCE,
    describe: {
      inputs: [{ name: 'image', dtype: 'float32', shape: ['N', LANDMARKS_INPUT_SIZE, LANDMARKS_INPUT_SIZE, 3], description: 'face crops, RGB 0..255' }],
      outputs: [
        {
          name: 'landmarks',
          dtype: 'float32',
          shape: ['N', 136],
          description: 'x0, y0, x1, y1, ... of the 68 iBUG points, relative (0..1) to the 112x112 input',
        },
      ],
      preprocessing: {
        text:
          'Crop the face box (clipped at the image borders, floored), zero-pad to a square with the padding split around the crop (larger half after), resize to 112x112 with tfjs resizeBilinear (alignCorners=false, halfPixelCenters=false). Inside the graph: subtract the RGB mean, divide by 255.',
        values: {
          inputSize: LANDMARKS_INPUT_SIZE,
          meanRgb: [...LANDMARKS_MEAN_RGB],
          divisor: LANDMARKS_DIVISOR,
          padding: 'centered',
          normalizationInGraph: true,
        },
      },
      postprocessing: {
        text: "Undo face-api's padding: x = (out * 112 - padX) / scaledWidth * cropWidth + cropX, likewise for y.",
        values: { inputSize: LANDMARKS_INPUT_SIZE },
      },
    },
  },
  {
    id: 'face-detector-ssd-mobilenet-v1',
    weights: 'ssd_mobilenetv1_model-weights_manifest.json',
    build: buildFaceDetector,
    licence: FACE_API_LICENCE,
    describe: {
      inputs: [{ name: 'image', dtype: 'float32', shape: [1, DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE, 3], description: 'whole image, RGB 0..255' }],
      outputs: [
        {
          name: 'boxes',
          dtype: 'float32',
          shape: [1, DETECTOR_ANCHORS, 4],
          description: 'decoded anchor boxes (ymin, xmin, ymax, xmax) relative to the padded 512x512 input, unclipped',
        },
        { name: 'scores', dtype: 'float32', shape: [1, DETECTOR_ANCHORS], description: 'face probability per anchor (sigmoid)' },
      ],
      preprocessing: {
        text:
          'Zero-pad the image at the right/bottom to a square, resize to 512x512 with tfjs resizeBilinear (alignCorners=false, halfPixelCenters=false). Inside the graph: x / 127.5 - 1.',
        values: { inputSize: DETECTOR_INPUT_SIZE, divisor: 127.5, offset: -1, padding: 'bottom-right', normalizationInGraph: true },
      },
      postprocessing: {
        text:
          "face-api's greedy non-max suppression over scores > minConfidence (IoU 0.5), then boxes clipped to 0..1 and scaled by 512 / round(side * 512 / longest side) and the image size.",
        values: { minConfidence: 0.5, iouThreshold: 0.5, maxResults: 100 },
      },
    },
  },
];
