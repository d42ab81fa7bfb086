/**
 * Two one-node ONNX models the benchmark builds in memory with the project's graph builder
 * (models/build/onnx), so it needs no model files:
 * - the peak reference, y = a · b: through onnxruntime it reaches MLAS's hand-tuned SGEMM,
 *   the kernels the networks' convolutions also use, so its MACs/s is the practical
 *   arithmetic peak of this machine at a given thread count;
 * - a gallery scan, scores = rows · probe, to compare the kiosk's JavaScript search with.
 */
import { GraphBuilder } from '../../models/build/onnx/graph-builder.js';

const META = { producer: 'attendance-kiosk bench' };

/** y = a · b; a [n, n] input, b [n, n] initializer. */
export function matMulModel(n: number, b: Float32Array): Uint8Array {
  const g = new GraphBuilder('bench');
  g.output(g.node('MatMul', [g.input('a', [n, n]), g.constant('b', b, [n, n])], {}, 'y'), [n, n]);
  return g.toModel(META);
}

/** scores = rows · probe; rows [N, dim] and probe [dim, 1] inputs, scores [N, 1]. */
export function scanModel(dim: number): Uint8Array {
  const g = new GraphBuilder('bench');
  g.output(g.node('MatMul', [g.input('rows', ['N', dim]), g.input('probe', [dim, 1])], {}, 'scores'), ['N', 1]);
  return g.toModel(META);
}
