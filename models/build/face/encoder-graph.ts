/**
 * face-api's FaceRecognitionNet (dlib's ResNet-29 face descriptor) as an ONNX graph.
 * Mirrors node_modules/@vladmandic/face-api/src/faceRecognitionNet/*: each conv is followed
 * by a per-channel scale layer, which is folded into the conv weights here.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { WeightMap } from '../tfjs-weights.js';
import { convFromHwio, foldAffine, type Feature, OnnxLayers, weight } from './layers.js';

export const ENCODER_INPUT_SIZE = 150;
/** face-api subtracts this RGB mean and divides by 255 before the first conv. */
export const ENCODER_MEAN_RGB = [122.782, 117.001, 104.298] as const;
export const ENCODER_DIVISOR = 255;

export function buildFaceEncoder(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('face-encoder-dlib-resnet');
  const L = new OnnxLayers(g);
  const size = ENCODER_INPUT_SIZE;
  const image = g.input('image', ['N', size, size, 3]);
  let x = L.toNchw(L.normalizeNhwc(image, ENCODER_MEAN_RGB, ENCODER_DIVISOR), 3, size, size);

  const convLayer = (input: Feature, prefix: string, stride: number, padding: 'same' | 'valid'): Feature => {
    const filters = weight(weights, `${prefix}/conv/filters`, 4);
    const conv = convFromHwio(filters, weight(weights, `${prefix}/conv/bias`, 1).data);
    const folded = foldAffine(conv, weight(weights, `${prefix}/scale/weights`, 1).data, weight(weights, `${prefix}/scale/biases`, 1).data);
    return L.conv(input, folded, stride, padding, prefix);
  };

  const residual = (input: Feature, prefix: string): Feature => {
    const a = L.relu(convLayer(input, `${prefix}/conv1`, 1, 'same'));
    const b = convLayer(a, `${prefix}/conv2`, 1, 'same');
    return L.relu(L.add(b, input));
  };

  // residualDown: a strided 'valid' conv path plus a 2x2 average-pool shortcut. When the
  // two disagree in size, face-api zero-pads the conv path at the bottom/right, and it
  // zero-pads the shortcut's missing channels.
  const residualDown = (input: Feature, prefix: string): Feature => {
    const a = L.relu(convLayer(input, `${prefix}/conv1`, 2, 'valid'));
    let b = convLayer(a, `${prefix}/conv2`, 1, 'same');
    let pooled = L.avgPool(input, 2, 2);
    b = L.padEnd(b, 0, pooled.h - b.h, pooled.w - b.w);
    pooled = L.padEnd(pooled, b.c - pooled.c, 0, 0);
    return L.relu(L.add(pooled, b));
  };

  x = L.relu(convLayer(x, 'conv32_down', 2, 'valid'));
  x = L.maxPool(x, 3, 2);
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');

  const pooled = g.node('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 });
  const fc = weight(weights, 'fc', 2);
  const embedding = g.node('MatMul', [pooled, g.constant('fc', fc.data, fc.shape)], {}, 'embedding');
  g.output(embedding, ['N', 128]);
  return g;
}
