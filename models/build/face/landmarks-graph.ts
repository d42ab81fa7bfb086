/**
 * face-api's FaceLandmark68Net (the full net, not the tiny one) as an ONNX graph: four dense
 * blocks of separable convolutions, a 7x7 average pool and a fully connected layer whose 136
 * outputs are the (x, y) of the 68 points relative to the 112x112 input.
 * Mirrors node_modules/@vladmandic/face-api/src/faceFeatureExtractor/* and faceProcessor/*.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { WeightMap } from '../tfjs-weights.js';
import { convFromDepthwise, convFromHwio, type Feature, OnnxLayers, weight } from './layers.js';

export const LANDMARKS_INPUT_SIZE = 112;
export const LANDMARKS_MEAN_RGB = [122.782, 117.001, 104.298] as const;
export const LANDMARKS_DIVISOR = 255;

export function buildFaceLandmarks(weights: WeightMap): GraphBuilder {
  const g = new GraphBuilder('face-landmarks-68');
  const L = new OnnxLayers(g);
  const size = LANDMARKS_INPUT_SIZE;
  const image = g.input('image', ['N', size, size, 3]);
  let x = L.toNchw(L.normalizeNhwc(image, LANDMARKS_MEAN_RGB, LANDMARKS_DIVISOR), 3, size, size);

  // tf.separableConv2d(x, depthwise, pointwise, stride, 'same') + bias.
  const separable = (input: Feature, prefix: string, stride: number): Feature => {
    const depthwise = L.conv(input, convFromDepthwise(weight(weights, `${prefix}/depthwise_filter`, 4)), stride, 'same', `${prefix}/dw`);
    const pointwise = convFromHwio(weight(weights, `${prefix}/pointwise_filter`, 4), weight(weights, `${prefix}/bias`, 1).data);
    return L.conv(depthwise, pointwise, 1, 'same', `${prefix}/pw`);
  };

  const denseBlock4 = (input: Feature, prefix: string, isFirst: boolean): Feature => {
    const first = isFirst
      ? L.conv(input, convFromHwio(weight(weights, `${prefix}/conv0/filters`, 4), weight(weights, `${prefix}/conv0/bias`, 1).data), 2, 'same', `${prefix}/conv0`)
      : separable(input, `${prefix}/conv0`, 2);
    const out1 = L.relu(first);
    const out2 = separable(out1, `${prefix}/conv1`, 1);
    const in3 = L.relu(L.add(out1, out2));
    const out3 = separable(in3, `${prefix}/conv2`, 1);
    // Same association as tfjs: out1 + (out2 + out3).
    const in4 = L.relu(L.add(out1, L.add(out2, out3)));
    const out4 = separable(in4, `${prefix}/conv3`, 1);
    return L.relu(L.add(out1, L.add(out2, L.add(out3, out4))));
  };

  x = denseBlock4(x, 'dense0', true);
  x = denseBlock4(x, 'dense1', false);
  x = denseBlock4(x, 'dense2', false);
  x = denseBlock4(x, 'dense3', false);
  x = L.avgPool(x, 7, 2);
  if (x.h !== 1 || x.w !== 1) throw new Error(`landmarks: expected a 1x1 feature map before the fc layer, got ${x.h}x${x.w}`);

  const flat = g.node('Flatten', [x.name], { axis: 1 });
  const fcW = weight(weights, 'fc/weights', 2);
  const fcB = weight(weights, 'fc/bias', 1);
  const matmul = g.node('MatMul', [flat, g.constant('fc/weights', fcW.data, fcW.shape)]);
  const landmarks = g.node('Add', [matmul, g.constant('fc/bias', fcB.data, fcB.shape)], {}, 'landmarks');
  g.output(landmarks, ['N', 136]);
  return g;
}
