import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, float } from '../../models/build/onnx/graph-builder.js';

describe('GraphBuilder', () => {
  it('writes a model onnxruntime loads and runs with the intended arithmetic', async () => {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', [1, 1, 3, 3]);
    // 2x2 convolution with known weights, then LeakyRelu(alpha=1.0 as FLOAT) and a reshape.
    const w = g.constant('w', [1, 0, 0, -1], [1, 1, 2, 2]);
    const b = g.constant('b', [0.5], [1]);
    const conv = g.node('Conv', [x, w, b], { kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] });
    const act = g.node('LeakyRelu', [conv], { alpha: float(0.25) });
    const flat = g.node('Reshape', [act, g.int64('shape', [1, -1])], {}, 'y');
    g.output(flat, [1, 4]);
    const session = await ort.InferenceSession.create(g.toModel({ producer: 'test' }));
    const input = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
    const { y } = await session.run({ x: input });
    // conv = x[i][j] - x[i+1][j+1] + 0.5 = -4 + 0.5 for every position; LeakyRelu scales by 0.25.
    expect(Array.from(y!.data as Float32Array)).toEqual([-0.875, -0.875, -0.875, -0.875]);
    expect(y!.dims).toEqual([1, 4]);
  });
});
