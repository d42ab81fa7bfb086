/**
 * face-api's SsdMobilenetv1 face detector as an ONNX graph: MobileNet v1 backbone, SSD
 * prediction layers over six feature maps (5118 anchors) and face-api's output layer (anchor
 * box decoding, sigmoid of the face class). Non-max suppression stays in TypeScript, as in
 * face-api. Mirrors node_modules/@vladmandic/face-api/src/ssdMobilenetv1/*.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { WeightMap } from '../tfjs-weights.js';
import { convFromDepthwise, convFromHwio, type Feature, foldAffine, OnnxLayers, weight } from './layers.js';

export const DETECTOR_INPUT_SIZE = 512;
export const DETECTOR_ANCHORS = 5118;
/** tfjs's batchNorm epsilon used by face-api's MobileNet depthwise layers. */
const BATCH_NORM_EPSILON = 0.0010000000474974513;

export function buildFaceDetector(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('face-detector-ssd-mobilenet-v1');
  const L = new OnnxLayers(g);
  const size = DETECTOR_INPUT_SIZE;
  const image = g.input('image', [1, size, size, 3]);
  // face-api: x / 127.5 - 1, mapping 0..255 to -1..1.
  const scaled = g.node('Div', [image, g.constant('normalize/divisor', [127.5], [])]);
  const normalized = g.node('Sub', [scaled, g.constant('normalize/one', [1], [])]);
  let x = L.toNchw(normalized, 3, size, size);

  const pointwise = (input: Feature, prefix: string, stride: number): Feature => {
    const conv = convFromHwio(weight(weights, `${prefix}/weights`, 4), weight(weights, `${prefix}/convolution_bn_offset`, 1).data);
    return L.relu6(L.conv(input, conv, stride, 'same', prefix));
  };

  // Depthwise conv followed by inference-mode batch norm, folded into the conv:
  // gamma * (y - mean) / sqrt(var + eps) + beta.
  const depthwise = (input: Feature, idx: number, stride: number): Feature => {
    const prefix = `MobilenetV1/Conv2d_${idx}_depthwise`;
    const gamma = weight(weights, `${prefix}/BatchNorm/gamma`, 1).data;
    const beta = weight(weights, `${prefix}/BatchNorm/beta`, 1).data;
    const mean = weight(weights, `${prefix}/BatchNorm/moving_mean`, 1).data;
    const variance = weight(weights, `${prefix}/BatchNorm/moving_variance`, 1).data;
    const scale = Array.from(gamma, (gm, c) => gm / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON));
    const shift = Array.from(beta, (b, c) => b - mean[c]! * scale[c]!);
    const conv = foldAffine(convFromDepthwise(weight(weights, `${prefix}/depthwise_weights`, 4)), scale, shift);
    return L.relu6(L.conv(input, conv, stride, 'same', prefix));
  };

  x = pointwise(x, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11: Feature | undefined;
  for (let idx = 1; idx <= 13; idx++) {
    x = depthwise(x, idx, [2, 4, 6, 12].includes(idx) ? 2 : 1);
    x = pointwise(x, `MobilenetV1/Conv2d_${idx}_pointwise`, 1);
    if (idx === 11) conv11 = x;
  }
  if (!conv11) throw new Error('detector: conv 11 missing');

  const p = (i: number, input: Feature, stride: number): Feature => pointwise(input, `Prediction/Conv2d_${i}_pointwise`, stride);
  const c0 = p(0, x, 1);
  const c1 = p(1, c0, 2);
  const c2 = p(2, c1, 1);
  const c3 = p(3, c2, 2);
  const c4 = p(4, c3, 1);
  const c5 = p(5, c4, 2);
  const c6 = p(6, c5, 1);
  const c7 = p(7, c6, 2);
  const sources = [conv11, x, c1, c3, c5, c7];

  // Box predictors run on NCHW maps but tfjs reshapes NHWC maps to [batch, -1, k], so the
  // anchors are ordered (row, col, anchor): transpose back to NHWC before flattening.
  const predict = (input: Feature, idx: number, kind: 'BoxEncodingPredictor' | 'ClassPredictor', perAnchor: number): string => {
    const prefix = `Prediction/BoxPredictor_${idx}/${kind}`;
    const conv = convFromHwio(weight(weights, `${prefix}/weights`, 4), weight(weights, `${prefix}/biases`, 1).data);
    const nhwc = L.toNhwc(L.conv(input, conv, 1, 'same', prefix));
    return g.node('Reshape', [nhwc, g.int64(`${prefix}/shape`, [0, -1, perAnchor])]);
  };
  const encodings = g.node('Concat', sources.map((f, i) => predict(f, i, 'BoxEncodingPredictor', 4)), { axis: 1 });
  const classes = g.node('Concat', sources.map((f, i) => predict(f, i, 'ClassPredictor', 3)), { axis: 1 });

  g.output(decodeBoxes(g, encodings, weight(weights, 'Output/extra_dim', 3).data), [1, DETECTOR_ANCHORS, 4]);
  g.output(faceScores(g, classes), [1, DETECTOR_ANCHORS]);
  return g;
}

/**
 * face-api's decodeBoxesLayer: anchors (ymin, xmin, ymax, xmax) and encodings
 * (ty, tx, th, tw) → boxes (ymin, xmin, ymax, xmax) relative to the 512x512 input.
 */
function decodeBoxes(g: GraphBuilder, encodings: string, anchors: Float32Array): string {
  const count = anchors.length / 4;
  if (count !== DETECTOR_ANCHORS) throw new Error(`detector: ${count} anchors, expected ${DETECTOR_ANCHORS}`);
  // Anchor sizes and centres in float32, in the order face-api computes them.
  const sizes = new Float32Array(count * 2);
  const centers = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 2; k++) {
      const size = Math.fround(anchors[i * 4 + 2 + k]! - anchors[i * 4 + k]!);
      sizes[i * 2 + k] = size;
      centers[i * 2 + k] = Math.fround(anchors[i * 4 + k]! + Math.fround(size / 2));
    }
  }
  const sizeT = g.constant('anchors/sizes', sizes, [count, 2]);
  const centerT = g.constant('anchors/centers', centers, [count, 2]);
  const slice = (start: number): string =>
    g.node('Slice', [encodings, g.int64('slice/start', [start]), g.int64('slice/end', [start + 2]), g.int64('slice/axes', [2])]);
  const scalar = (name: string, v: number): string => g.constant(name, [v], []);
  const centre = g.node('Add', [g.node('Mul', [g.node('Div', [slice(0), scalar('ten', 10)]), sizeT]), centerT]);
  const half = g.node('Div', [g.node('Mul', [g.node('Exp', [g.node('Div', [slice(2), scalar('five', 5)])]), sizeT]), scalar('two', 2)]);
  return g.node('Concat', [g.node('Sub', [centre, half]), g.node('Add', [centre, half])], { axis: 2 }, 'boxes');
}

/** sigmoid of class 1 (face); class 0 is the background logit. */
function faceScores(g: GraphBuilder, classes: string): string {
  const logit = g.node('Slice', [classes, g.int64('face/start', [1]), g.int64('face/end', [2]), g.int64('face/axes', [2])]);
  return g.node('Squeeze', [g.node('Sigmoid', [logit]), g.int64('face/squeeze', [2])], {}, 'scores');
}
