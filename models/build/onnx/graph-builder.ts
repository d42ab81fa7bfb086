/**
 * Builds ONNX models (ModelProto bytes) from code: initializers, nodes, typed inputs and
 * outputs. Field numbers follow onnx/onnx.proto (IR version 8, default-domain opset 17).
 */
import { ProtoWriter } from './protobuf.js';

export type Dim = number | string;
type TensorData = Float32Array | BigInt64Array | Int32Array;

/** Marks a number that must be written as a FLOAT attribute even when it is integral. */
export class FloatAttr {
  constructor(readonly value: number) {}
}
/** Marks a number list that must be written as FLOATS. */
export class FloatsAttr {
  constructor(readonly values: readonly number[]) {}
}
export const float = (v: number): FloatAttr => new FloatAttr(v);
export const floats = (v: readonly number[]): FloatsAttr => new FloatsAttr(v);

export type AttrValue = number | readonly number[] | string | FloatAttr | FloatsAttr;

const enum DataType {
  FLOAT = 1,
  INT32 = 6,
  INT64 = 7,
}
const enum AttrType {
  FLOAT = 1,
  INT = 2,
  STRING = 3,
  FLOATS = 6,
  INTS = 7,
}

interface Initializer {
  name: string;
  dims: readonly number[];
  data: TensorData;
}
interface NodeSpec {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs: Readonly<Record<string, AttrValue>>;
}
interface ValueInfo {
  name: string;
  elemType: DataType;
  dims: readonly Dim[];
}

export interface ModelMeta {
  readonly producer: string;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export class GraphBuilder {
  private readonly initializers: Initializer[] = [];
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(private readonly name: string) {}

  private unique(base: string): string {
    let candidate = base;
    while (this.usedNames.has(candidate)) candidate = `${base}_${++this.counter}`;
    this.usedNames.add(candidate);
    return candidate;
  }

  input(name: string, dims: readonly Dim[]): string {
    const unique = this.unique(name);
    this.inputs.push({ name: unique, elemType: DataType.FLOAT, dims });
    return unique;
  }

  /** Adds a float32 initializer and returns its name. */
  constant(name: string, data: Float32Array | readonly number[], dims: readonly number[]): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    checkSize(values.length, dims, name);
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dims, data: values });
    return unique;
  }

  /** Adds an int64 initializer (shapes, axes) and returns its name. */
  int64(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    checkSize(values.length, dims, name);
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return unique;
  }

  /** Adds a node with one output and returns the output's name. */
  node(op: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, outputName?: string): string {
    return this.nodeMulti(op, inputs, 1, attrs, outputName ? [outputName] : undefined)[0]!;
  }

  nodeMulti(
    op: string,
    inputs: readonly string[],
    outputCount: number,
    attrs: Readonly<Record<string, AttrValue>> = {},
    outputNames?: readonly string[],
  ): string[] {
    const name = this.unique(`${op.toLowerCase()}`);
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      outputNames?.[i] !== undefined ? this.unique(outputNames[i]!) : this.unique(`${name}_out${i}`),
    );
    this.nodes.push({ op, name, inputs, outputs, attrs });
    return outputs;
  }

  /** Declares `value` (a node output) as a graph output of the given shape. */
  output(value: string, dims: readonly Dim[]): void {
    this.outputs.push({ name: value, elemType: DataType.FLOAT, dims });
  }

  toModel(meta: ModelMeta, opset = 17): Uint8Array {
    const w = new ProtoWriter();
    w.int(1, 8); // ir_version
    w.string(2, meta.producer);
    if (meta.docString) w.string(6, meta.docString);
    w.message(7, (g) => this.writeGraph(g));
    w.message(8, (o) => o.string(1, '').int(2, opset));
    for (const [key, value] of Object.entries(meta.metadata ?? {})) {
      w.message(14, (e) => e.string(1, key).string(2, value));
    }
    return w.finish();
  }

  private writeGraph(g: ProtoWriter): void {
    for (const n of this.nodes) g.message(1, (w) => writeNode(w, n));
    g.string(2, this.name);
    for (const t of this.initializers) g.message(5, (w) => writeTensor(w, t));
    for (const v of this.inputs) g.message(11, (w) => writeValueInfo(w, v));
    for (const v of this.outputs) g.message(12, (w) => writeValueInfo(w, v));
  }
}

function checkSize(length: number, dims: readonly number[], name: string): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== length) throw new Error(`initializer ${name}: ${length} values for shape [${dims.join(',')}]`);
}

function writeNode(w: ProtoWriter, n: NodeSpec): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [name, value] of Object.entries(n.attrs)) w.message(5, (a) => writeAttribute(a, name, value));
}

function writeAttribute(a: ProtoWriter, name: string, value: AttrValue): void {
  a.string(1, name);
  if (value instanceof FloatAttr) {
    a.float(2, value.value).int(20, AttrType.FLOAT);
  } else if (value instanceof FloatsAttr) {
    a.packedFloats(7, value.values).int(20, AttrType.FLOATS);
  } else if (typeof value === 'string') {
    a.string(4, value).int(20, AttrType.STRING);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) a.int(3, value).int(20, AttrType.INT);
    else a.float(2, value).int(20, AttrType.FLOAT);
  } else {
    a.packedInts(8, value).int(20, AttrType.INTS);
  }
}

function writeTensor(w: ProtoWriter, t: Initializer): void {
  w.packedInts(1, t.dims);
  const type = t.data instanceof Float32Array ? DataType.FLOAT : t.data instanceof BigInt64Array ? DataType.INT64 : DataType.INT32;
  w.int(2, type);
  w.string(8, t.name);
  // raw_data is little-endian, which is what typed arrays hold on every platform we ship.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}
