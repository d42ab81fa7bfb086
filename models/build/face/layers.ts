/**
 * Layer helpers that translate tfjs (NHWC, HWIO filters, 'same'/'valid' padding) building
 * blocks into ONNX nodes (NCHW, OIHW filters, explicit pads). Every feature map carries its
 * static spatial size so TensorFlow's asymmetric 'same' padding can be written out exactly.
 */
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { WeightMap, WeightTensor } from '../tfjs-weights.js';

/** An NCHW value in the graph with its static channel count and spatial size. */
export interface Feature {
  readonly name: string;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

export type Padding = 'same' | 'valid';

/** Conv weights already in ONNX layout. */
export interface ConvWeights {
  /** OIHW; for depthwise convolutions O = channels and I = 1. */
  readonly filters: Float32Array;
  readonly outChannels: number;
  readonly inChannelsPerGroup: number;
  readonly kernel: number;
  /** One group per channel (tfjs depthwiseConv2d). */
  readonly depthwise: boolean;
  readonly bias?: Float32Array;
}

export function weight(map: WeightMap, name: string, rank?: number): WeightTensor {
  const t = map.get(name);
  if (!t) throw new Error(`tfjs weights: missing tensor ${name}`);
  if (rank !== undefined && t.shape.length !== rank) {
    throw new Error(`tfjs weights: ${name} has shape [${t.shape.join(',')}], expected rank ${rank}`);
  }
  return t;
}

/** tfjs conv2d filter [kh, kw, in, out] → ONNX [out, in, kh, kw]. */
export function convFromHwio(filter: WeightTensor, bias?: Float32Array): ConvWeights {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  if (kh !== kw) throw new Error('only square kernels are used by these nets');
  const out = new Float32Array(filter.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = filter.data[((y * kw + x) * cin + i) * cout + o]!;
  return { filters: out, outChannels: cout, inChannelsPerGroup: cin, kernel: kh, depthwise: false, ...(bias ? { bias } : {}) };
}

/** tfjs depthwise filter [kh, kw, channels, 1] → ONNX grouped conv [channels, 1, kh, kw]. */
export function convFromDepthwise(filter: WeightTensor, bias?: Float32Array): ConvWeights {
  const [kh, kw, c, multiplier] = filter.shape as [number, number, number, number];
  if (multiplier !== 1 || kh !== kw) throw new Error('only channel multiplier 1 with square kernels is supported');
  const out = new Float32Array(filter.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++) for (let ch = 0; ch < c; ch++) out[(ch * kh + y) * kw + x] = filter.data[(y * kw + x) * c + ch]!;
  return { filters: out, outChannels: c, inChannelsPerGroup: 1, kernel: kh, depthwise: true, ...(bias ? { bias } : {}) };
}

/**
 * Folds a per-output-channel affine `y * scale + shift` applied after the conv into its
 * weights and bias (computed in double, rounded once to float32).
 */
export function foldAffine(conv: ConvWeights, scale: ArrayLike<number>, shift: ArrayLike<number>): ConvWeights {
  const perOut = conv.filters.length / conv.outChannels;
  const filters = new Float32Array(conv.filters.length);
  const bias = new Float32Array(conv.outChannels);
  for (let o = 0; o < conv.outChannels; o++) {
    const s = scale[o]!;
    for (let k = 0; k < perOut; k++) filters[o * perOut + k] = conv.filters[o * perOut + k]! * s;
    bias[o] = (conv.bias?.[o] ?? 0) * s + shift[o]!;
  }
  return { ...conv, filters, bias };
}

/** Output size and [top, left, bottom, right] pads as TensorFlow computes them. */
export function tfPadding(size: number, kernel: number, stride: number, padding: Padding): { out: number; before: number; after: number } {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, before: 0, after: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + kernel - size);
  // TensorFlow puts the odd pixel of 'same' padding at the end (bottom/right).
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

export class OnnxLayers {
  private clipBounds?: [string, string];

  constructor(readonly g: GraphBuilder) {}

  /** NHWC graph input → NCHW feature, once at the start of the graph. */
  toNchw(nhwc: string, c: number, h: number, w: number): Feature {
    return { name: this.g.node('Transpose', [nhwc], { perm: [0, 3, 1, 2] }), c, h, w };
  }

  /** NCHW feature → NHWC, for outputs whose flattening order must follow tfjs. */
  toNhwc(x: Feature): string {
    return this.g.node('Transpose', [x.name], { perm: [0, 2, 3, 1] });
  }

  conv(x: Feature, weights: ConvWeights, stride: number, padding: Padding, label: string): Feature {
    const group = weights.depthwise ? x.c : 1;
    const expectedIn = weights.depthwise ? weights.outChannels : weights.inChannelsPerGroup;
    if (expectedIn !== x.c) throw new Error(`${label}: conv expects ${expectedIn} input channels, got ${x.c}`);
    const k = weights.kernel;
    const ph = tfPadding(x.h, k, stride, padding);
    const pw = tfPadding(x.w, k, stride, padding);
    const inputs = [
      x.name,
      this.g.constant(`${label}/W`, weights.filters, [weights.outChannels, weights.inChannelsPerGroup, k, k]),
    ];
    if (weights.bias) inputs.push(this.g.constant(`${label}/B`, weights.bias, [weights.outChannels]));
    const name = this.g.node('Conv', inputs, {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [ph.before, pw.before, ph.after, pw.after],
      group,
    });
    return { name, c: weights.outChannels, h: ph.out, w: pw.out };
  }

  relu(x: Feature): Feature {
    return { ...x, name: this.g.node('Relu', [x.name]) };
  }

  /** tf.clipByValue(x, 0, 6). */
  relu6(x: Feature): Feature {
    this.clipBounds ??= [this.g.constant('relu6/min', [0], []), this.g.constant('relu6/max', [6], [])];
    return { ...x, name: this.g.node('Clip', [x.name, ...this.clipBounds]) };
  }

  add(a: Feature, b: Feature): Feature {
    if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error('add: feature shapes differ');
    return { ...a, name: this.g.node('Add', [a.name, b.name]) };
  }

  maxPool(x: Feature, kernel: number, stride: number): Feature {
    const h = tfPadding(x.h, kernel, stride, 'valid').out;
    const w = tfPadding(x.w, kernel, stride, 'valid').out;
    const name = this.g.node('MaxPool', [x.name], { kernel_shape: [kernel, kernel], strides: [stride, stride] });
    return { name, c: x.c, h, w };
  }

  avgPool(x: Feature, kernel: number, stride: number): Feature {
    const h = tfPadding(x.h, kernel, stride, 'valid').out;
    const w = tfPadding(x.w, kernel, stride, 'valid').out;
    const name = this.g.node('AveragePool', [x.name], { kernel_shape: [kernel, kernel], strides: [stride, stride] });
    return { name, c: x.c, h, w };
  }

  /** Zero padding at the end of the channel, height and width axes. */
  padEnd(x: Feature, channels: number, rows: number, cols: number): Feature {
    if (channels < 0 || rows < 0 || cols < 0) throw new Error('padEnd: negative padding');
    if (channels === 0 && rows === 0 && cols === 0) return x;
    const pads = this.g.int64('pads', [0, 0, 0, 0, 0, channels, rows, cols]);
    return { name: this.g.node('Pad', [x.name, pads]), c: x.c + channels, h: x.h + rows, w: x.w + cols };
  }

  /**
   * Per-channel `(x - mean[c]) / divisor` on the NHWC input, in the same float32 order of
   * operations as tfjs (subtract, then divide).
   */
  normalizeNhwc(nhwc: string, mean: readonly [number, number, number], divisor: number): string {
    const m = this.g.constant('normalize/mean', mean, [1, 1, 1, 3]);
    const d = this.g.constant('normalize/divisor', [divisor], []);
    return this.g.node('Div', [this.g.node('Sub', [nhwc, m]), d]);
  }
}
