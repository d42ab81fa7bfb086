/**
 * Multiply-accumulates per inference, counted from the graph as it runs: the model file is
 * read with onnx-reader.ts (which nodes carry MACs, how many weights), and one profiled run
 * of onnxruntime with graph optimisation off (so its nodes are the file's nodes) supplies the
 * actual tensor shapes of every node, sub-graph nodes included, for a given input. Only the
 * dense ops count (Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, RNN); element-wise ops,
 * pooling and normalisation are a few percent at most and are left out. FLOPs = 2 x MACs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { allNodes, parameterCount, readOnnxModel } from './onnx-reader.js';

export const MAC_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'LSTM', 'GRU', 'RNN']);

/** One executed node as onnxruntime's profiler records it. */
export interface ProfiledNode {
  readonly name: string;
  readonly op: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** MACs of one executed node from its operand shapes; 0 for ops that are not counted. */
export function nodeMacs(node: ProfiledNode): number {
  const [a, w, r] = node.inputShapes;
  const out = node.outputShapes[0];
  if (!a || !out) return 0;
  switch (node.op) {
    case 'Conv':
      // W = [Cout, Cin / group, k...]: every output element is one dot product of W's fan-in.
      return w ? product(out) * product(w.slice(1)) : 0;
    case 'ConvTranspose':
      // W = [Cin, Cout / group, k...]: every input element is scattered over W's fan-out.
      return w ? product(a) * product(w.slice(1)) : 0;
    case 'Gemm': {
      // Y = [M, N]; A holds M x K whether or not it is transposed.
      const m = out[0] ?? 1;
      return product(out) * (product(a) / m);
    }
    case 'MatMul':
      return product(out) * (a[a.length - 1] ?? 1);
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      // W = [dirs, gates*H, in], R = [dirs, gates*H, H]; each of seq*batch steps multiplies by both.
      if (!w || !r) return 0;
      const steps = product(a) / (w[2] ?? 1);
      return steps * (product(w) + product(r));
    }
    default:
      return 0;
  }
}

export interface ModelFlops {
  readonly model: string;
  /** MACs of one inference on the given input. */
  readonly macs: number;
  readonly flops: number;
  readonly macsByOp: Readonly<Record<string, number>>;
  /** Stored weights (initializers and Constant tensors, every branch). */
  readonly parameters: number;
  /** MAC-carrying nodes in the file (every branch) and how many of them ran on this input. */
  readonly macNodesInGraph: number;
  readonly macNodesRun: number;
}

type Feeds = Record<string, ort.Tensor>;

/** Runs `modelPath` once on `feeds` under the profiler and counts its MACs. */
export async function countModelFlops(model: string, modelPath: string, feeds: Feeds): Promise<ModelFlops> {
  const bytes = readFileSync(modelPath);
  const graph = readOnnxModel(bytes).graph;
  const macNodesInGraph = [...allNodes(graph)].filter((n) => MAC_OPS.has(n.opType)).length;
  const profiled = await profileRun(bytes, feeds);
  const macsByOp: Record<string, number> = {};
  let macs = 0;
  let macNodesRun = 0;
  for (const node of profiled) {
    const m = nodeMacs(node);
    if (!MAC_OPS.has(node.op)) continue;
    macNodesRun++;
    macsByOp[node.op] = (macsByOp[node.op] ?? 0) + m;
    macs += m;
  }
  return { model, macs, flops: 2 * macs, macsByOp, parameters: parameterCount(graph), macNodesInGraph, macNodesRun };
}

async function profileRun(bytes: Uint8Array, feeds: Feeds): Promise<ProfiledNode[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-profile-'));
  try {
    const session = await ort.InferenceSession.create(bytes, {
      enableProfiling: true,
      profileFilePrefix: join(dir, 'profile'),
      graphOptimizationLevel: 'disabled',
      intraOpNumThreads: 1,
    });
    try {
      await session.run(feeds);
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('onnxruntime wrote no profile');
    return parseProfile(readFileSync(join(dir, file), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TraceEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[] };
}

/** Node events of onnxruntime's chrome-trace profile (one per node per run). */
export function parseProfile(json: string): ProfiledNode[] {
  const events = JSON.parse(json) as TraceEvent[];
  const shapes = (list: Record<string, number[]>[] | undefined): number[][] => (list ?? []).map((t) => Object.values(t)[0] ?? []);
  return events
    .filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && e.args?.op_name)
    .map((e) => ({
      name: e.name!.slice(0, -'_kernel_time'.length),
      op: e.args!.op_name!,
      inputShapes: shapes(e.args!.input_type_shape),
      outputShapes: shapes(e.args!.output_type_shape),
    }));
}
