/**
 * 1:N search over synthetic galleries (the row values do not change the work), at the face
 * dimension (euclidean, as the kiosk scores dlib descriptors) and the voice encoder's
 * (cosine). The memory-bandwidth reference is a plain copy of the same number of bytes
 * (Float32Array.prototype.set: memmove), timed in the same rounds as the search.
 */
import * as ort from 'onnxruntime-node';
import { createSimilarity, type Similarity } from '../core/match/energy.js';
import { Gallery } from '../core/match/gallery.js';
import { summarize, type Summary } from './stats.js';
import { interleaved, loadAverage, type Repetitions } from './timing.js';

export interface SearchRow {
  readonly modality: 'face' | 'voice';
  readonly dim: number;
  readonly energy: Similarity['energy'];
  readonly templates: number;
  readonly bytes: number;
  readonly search: Summary;
  readonly copy: Summary;
  /** Gallery bytes / median search time. */
  readonly searchBytesPerSecond: number;
  /** Same bytes / median copy time. */
  readonly copyBytesPerSecond: number;
  /** searchBytesPerSecond / copyBytesPerSecond. */
  readonly fractionOfCopy: number;
  /**
   * Prototype, not the kiosk's code: the same scan as one onnxruntime MatMul (MLAS, SIMD,
   * onnxruntime's default threads) over the same rows, then the same top-2 in JavaScript.
   */
  readonly onnxScan: { ms: Summary; fractionOfCopy: number; sameBest: boolean } | null;
  readonly loadAverage: [number, number, number];
}

/** Distinct rows generated; larger galleries repeat them (cheap to build, same memory traffic). */
const DISTINCT_ROWS = 4096;
/** Untimed calls before timing, at least: enough for V8 to optimise the search loop even on small galleries. */
const MIN_WARMUP_ROWS = 2_000_000;

export async function benchSearchAt(modality: 'face' | 'voice', dim: number, templates: number, reps: Repetitions, onnx: ort.InferenceSession | null): Promise<SearchRow> {
  const energy = modality === 'face' ? 'euclidean' : 'cosine';
  const gallery = new Gallery(dim, createSimilarity({ energy }), templates);
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  const distinct = Float32Array.from({ length: DISTINCT_ROWS * dim }, random);
  if (energy === 'cosine') for (let r = 0; r < DISTINCT_ROWS; r++) unitLength(distinct.subarray(r * dim, (r + 1) * dim));
  // The rows as the gallery stores them, in one buffer: the copy's source and the prototype's input.
  const rows = new Float32Array(templates * dim);
  const rowEmployee = new Int32Array(templates);
  for (let r = 0; r < templates; r++) {
    const k = r % DISTINCT_ROWS;
    const vector = distinct.subarray(k * dim, (k + 1) * dim);
    rows.set(vector, r * dim);
    // Four templates per employee, as a kiosk that enrolls several shots per person.
    rowEmployee[r] = (r >> 2) + 1;
    gallery.add({ id: r + 1, employeeId: rowEmployee[r]!, vector });
  }
  const probe = Float32Array.from({ length: dim }, random);
  if (energy === 'cosine') unitLength(probe);
  const bytes = templates * dim * 4;
  const target = new Float32Array(templates * dim).fill(0); // every page touched before timing

  const candidates: Record<string, () => unknown> = { search: () => gallery.search(probe, 2), copy: () => target.set(rows) };
  let scan: ((probe: Float32Array) => Promise<{ employeeId: number; key: number }>) | null = null;
  if (onnx) {
    const squaredNorms = new Float32Array(templates);
    if (energy === 'euclidean') for (let r = 0; r < templates; r++) squaredNorms[r] = squaredLength(rows.subarray(r * dim, (r + 1) * dim));
    const rowsTensor = new ort.Tensor('float32', rows, [templates, dim]);
    scan = async (p) => {
      const out = await onnx.run({ rows: rowsTensor, probe: new ort.Tensor('float32', p, [dim, 1]) });
      const dots = out['scores']!.data as Float32Array;
      // Euclidean ranks by -|r - p|^2 = 2 r.p - |r|^2 - |p|^2; the last term is the same for every row.
      if (energy === 'euclidean') for (let r = 0; r < templates; r++) dots[r] = 2 * dots[r]! - squaredNorms[r]!;
      return bestEmployee(dots, rowEmployee);
    };
    candidates['onnxScan'] = () => scan!(probe);
  }
  const warmup = Math.max(reps.warmup, Math.ceil(MIN_WARMUP_ROWS / templates));
  const samples = await interleaved(candidates, { warmup, runs: reps.runs });
  const s = summarize(samples['search']!);
  const c = summarize(samples['copy']!);
  const searchBytesPerSecond = bytes / (s.median / 1000);
  const copyBytesPerSecond = bytes / (c.median / 1000);
  let onnxScan: SearchRow['onnxScan'] = null;
  if (scan) {
    const o = summarize(samples['onnxScan']!);
    const [best] = gallery.search(probe, 1);
    const mine = await scan(probe);
    onnxScan = { ms: o, fractionOfCopy: c.median / o.median, sameBest: best?.employeeId === mine.employeeId };
  }
  return {
    modality,
    dim,
    energy,
    templates,
    bytes,
    search: s,
    copy: c,
    searchBytesPerSecond,
    copyBytesPerSecond,
    fractionOfCopy: searchBytesPerSecond / copyBytesPerSecond,
    onnxScan,
    loadAverage: loadAverage(),
  };
}

/** The best of the top-2 distinct employees, ranked by key (higher = better), as Gallery.search ranks them. */
function bestEmployee(keys: Float32Array, rowEmployee: Int32Array): { employeeId: number; key: number } {
  let firstKey = -Infinity;
  let firstEmployee = -1;
  let secondKey = -Infinity;
  for (let r = 0; r < keys.length; r++) {
    const key = keys[r]!;
    if (key <= secondKey) continue;
    const employee = rowEmployee[r]!;
    if (employee === firstEmployee) {
      if (key > firstKey) firstKey = key;
    } else if (key > firstKey) {
      secondKey = firstKey;
      firstKey = key;
      firstEmployee = employee;
    } else {
      secondKey = key;
    }
  }
  return { employeeId: firstEmployee, key: firstKey };
}

function squaredLength(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return sum;
}

function unitLength(v: Float32Array): void {
  const length = Math.sqrt(squaredLength(v));
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / length;
}
