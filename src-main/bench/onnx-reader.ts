/**
 * Minimal ONNX reader: the protocol-buffers wire format and the few ModelProto fields a FLOP
 * count needs (nodes with their op type and sub-graphs, initializer and Constant shapes).
 * Field numbers follow onnx/onnx.proto; unknown fields are skipped, weights are not copied.
 */

export interface OnnxTensorInfo {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Graph-valued attributes (If branches, Loop bodies, Scan bodies). */
  readonly subgraphs: readonly OnnxGraph[];
  /** Tensor-valued attributes (the value of a Constant node). */
  readonly tensors: readonly OnnxTensorInfo[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensorInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly producer: string;
  readonly graph: OnnxGraph;
}

const enum Wire {
  VARINT = 0,
  FIXED64 = 1,
  BYTES = 2,
  FIXED32 = 5,
}

interface Field {
  readonly field: number;
  readonly wire: Wire;
  /** VARINT value (as a double: lossless up to 2^53, enough for shapes and ids). */
  readonly value: number;
  /** BYTES payload. */
  readonly bytes: Uint8Array;
}

/** Decodes the varint at `pos`: [value (a double, lossless up to 2^53), position after it]. */
function varintAt(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new RangeError('truncated varint');
    const b = buf[pos++]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) return [result, pos];
    scale *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}

/** Splits one message into its fields; throws on truncated or malformed input. */
function* fields(buf: Uint8Array): Generator<Field> {
  const empty = new Uint8Array(0);
  let pos = 0;
  while (pos < buf.length) {
    let key: number;
    [key, pos] = varintAt(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    switch (wire) {
      case Wire.VARINT: {
        let value: number;
        [value, pos] = varintAt(buf, pos);
        yield { field, wire, value, bytes: empty };
        break;
      }
      case Wire.FIXED64:
        pos += 8;
        break;
      case Wire.FIXED32:
        pos += 4;
        break;
      case Wire.BYTES: {
        let length: number;
        [length, pos] = varintAt(buf, pos);
        if (pos + length > buf.length) throw new RangeError('truncated length-delimited field');
        yield { field, wire, value: length, bytes: buf.subarray(pos, pos + length) };
        pos += length;
        break;
      }
      default:
        throw new RangeError(`unsupported wire type ${wire}`);
    }
    if (pos > buf.length) throw new RangeError('truncated fixed-width field');
  }
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A repeated int64 field, packed (BYTES) or not (VARINT). */
function pushInts(into: number[], f: Field): void {
  if (f.wire === Wire.VARINT) {
    into.push(f.value);
    return;
  }
  for (let pos = 0; pos < f.bytes.length; ) {
    let value: number;
    [value, pos] = varintAt(f.bytes, pos);
    into.push(value);
  }
}

function readTensor(buf: Uint8Array): OnnxTensorInfo {
  let name = '';
  const dims: number[] = [];
  for (const f of fields(buf)) {
    if (f.field === 1) pushInts(dims, f);
    else if (f.field === 8 && f.wire === Wire.BYTES) name = text(f.bytes);
  }
  return { name, dims };
}

function readNode(buf: Uint8Array): OnnxNode {
  let name = '';
  let opType = '';
  let domain = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  const subgraphs: OnnxGraph[] = [];
  const tensors: OnnxTensorInfo[] = [];
  for (const f of fields(buf)) {
    if (f.wire !== Wire.BYTES) continue;
    if (f.field === 1) inputs.push(text(f.bytes));
    else if (f.field === 2) outputs.push(text(f.bytes));
    else if (f.field === 3) name = text(f.bytes);
    else if (f.field === 4) opType = text(f.bytes);
    else if (f.field === 7) domain = text(f.bytes);
    else if (f.field === 5) {
      // AttributeProto: t = 5, g = 6, tensors = 10, graphs = 11.
      for (const a of fields(f.bytes)) {
        if (a.wire !== Wire.BYTES) continue;
        if (a.field === 5 || a.field === 10) tensors.push(readTensor(a.bytes));
        else if (a.field === 6 || a.field === 11) subgraphs.push(readGraph(a.bytes));
      }
    }
  }
  return { name, opType, domain, inputs, outputs, subgraphs, tensors };
}

function readGraph(buf: Uint8Array): OnnxGraph {
  let name = '';
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensorInfo[] = [];
  for (const f of fields(buf)) {
    if (f.wire !== Wire.BYTES) continue;
    if (f.field === 1) nodes.push(readNode(f.bytes));
    else if (f.field === 2) name = text(f.bytes);
    else if (f.field === 5) initializers.push(readTensor(f.bytes));
  }
  return { name, nodes, initializers };
}

export function readOnnxModel(bytes: Uint8Array): OnnxModel {
  let irVersion = 0;
  let producer = '';
  let graph: OnnxGraph | undefined;
  for (const f of fields(bytes)) {
    if (f.field === 1 && f.wire === Wire.VARINT) irVersion = f.value;
    else if (f.field === 2 && f.wire === Wire.BYTES) producer = text(f.bytes);
    else if (f.field === 7 && f.wire === Wire.BYTES) graph = readGraph(f.bytes);
  }
  if (!graph) throw new RangeError('not an ONNX model: no graph');
  return { irVersion, producer, graph };
}

/** Every node of the graph and, depth first, of its sub-graphs. */
export function* allNodes(graph: OnnxGraph): Generator<OnnxNode> {
  for (const node of graph.nodes) {
    yield node;
    for (const sub of node.subgraphs) yield* allNodes(sub);
  }
}

/** Stored weights: initializer and Constant-node elements over the graph and its sub-graphs. */
export function parameterCount(graph: OnnxGraph): number {
  const size = (t: OnnxTensorInfo): number => t.dims.reduce((a, b) => a * b, 1);
  let total = graph.initializers.reduce((n, t) => n + size(t), 0);
  for (const node of graph.nodes) {
    total += node.tensors.reduce((n, t) => n + size(t), 0);
    for (const sub of node.subgraphs) total += parameterCount(sub);
  }
  return total;
}
