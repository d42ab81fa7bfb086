/**
 * Two one-node ONNX models the benchmark builds in memory, written with a few lines of
 * protobuf (onnx.proto field numbers) so it needs no model files:
 * - the peak reference, y = a · b: through onnxruntime it reaches MLAS's hand-tuned SGEMM,
 *   the kernels the networks' convolutions also use, so its MACs/s is the practical
 *   arithmetic peak of this machine at a given thread count;
 * - a gallery scan, scores = rows · probe, to compare the kiosk's JavaScript search with.
 */

/** y = a · b; a [n, n] input, b [n, n] initializer. */
export function matMulModel(n: number, b: Float32Array): Uint8Array {
  const tensor = message([field(1, message([varint(n), varint(n)])), int(2, FLOAT), str(8, 'b'), field(9, new Uint8Array(b.buffer, b.byteOffset, b.byteLength))]);
  return model([str(1, 'a'), str(1, 'b'), str(2, 'y'), str(3, 'matmul'), str(4, 'MatMul')], [field(5, tensor), field(11, valueInfo('a', [n, n])), field(12, valueInfo('y', [n, n]))]);
}

/** scores = rows · probe; rows [N, dim] and probe [dim, 1] inputs, scores [N, 1]. */
export function scanModel(dim: number): Uint8Array {
  return model([str(1, 'rows'), str(1, 'probe'), str(2, 'scores'), str(3, 'scan'), str(4, 'MatMul')], [
    field(11, valueInfo('rows', ['N', dim])),
    field(11, valueInfo('probe', [dim, 1])),
    field(12, valueInfo('scores', ['N', 1])),
  ]);
}

const FLOAT = 1;

/** ModelProto (IR 8, opset 17) with one node and the given graph fields. */
function model(nodeFields: readonly Uint8Array[], graphFields: readonly Uint8Array[]): Uint8Array {
  const graph = message([field(1, message(nodeFields)), str(2, 'bench'), ...graphFields]);
  return message([int(1, 8), field(7, graph), field(8, message([str(1, ''), int(2, 17)]))]);
}

/** A float tensor's ValueInfoProto; string dimensions are symbolic. */
function valueInfo(name: string, dims: readonly (number | string)[]): Uint8Array {
  const shape = message(dims.map((d) => field(1, typeof d === 'number' ? int(1, d) : str(2, d))));
  return message([str(1, name), field(2, message([field(1, message([int(1, FLOAT), field(2, shape)]))]))]);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function message(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const int = (fieldNo: number, value: number): Uint8Array => message([varint(fieldNo * 8), varint(value)]);
const field = (fieldNo: number, payload: Uint8Array): Uint8Array => message([varint(fieldNo * 8 + 2), varint(payload.length), payload]);
const str = (fieldNo: number, value: string): Uint8Array => field(fieldNo, new TextEncoder().encode(value));
