/**
 * Reads a tfjs weights manifest (`*-weights_manifest.json` + binary shards) into named
 * float32 tensors, undoing tfjs's uint8 / float16 weight quantization exactly as tfjs does
 * (value = q * scale + min), so converted models see the same numbers tfjs sees.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}
interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type WeightMap = ReadonlyMap<string, WeightTensor>;

export function readTfjsWeights(manifestPath: string): WeightMap {
  const groups = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestGroup[];
  const out = new Map<string, WeightTensor>();
  for (const group of groups) {
    const shards = group.paths.map((p) => readFileSync(join(dirname(manifestPath), p)));
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const { data, bytes } = decode(buffer, offset, size, spec);
      out.set(spec.name, { shape: spec.shape, data });
      offset += bytes;
    }
    if (offset !== buffer.length) {
      throw new Error(`${manifestPath}: manifest describes ${offset} bytes but shards hold ${buffer.length}`);
    }
  }
  return out;
}

function decode(buffer: Buffer, offset: number, size: number, spec: WeightSpec): { data: Float32Array; bytes: number } {
  const q = spec.quantization;
  const view = new DataView(buffer.buffer, buffer.byteOffset + offset);
  const data = new Float32Array(size);
  if (!q) {
    for (let i = 0; i < size; i++) data[i] = spec.dtype === 'int32' ? view.getInt32(i * 4, true) : view.getFloat32(i * 4, true);
    return { data, bytes: size * 4 };
  }
  if (q.dtype === 'float16') {
    for (let i = 0; i < size; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
    return { data, bytes: size * 2 };
  }
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  const width = q.dtype === 'uint8' ? 1 : 2;
  for (let i = 0; i < size; i++) {
    const v = width === 1 ? view.getUint8(i) : view.getUint16(i * 2, true);
    data[i] = Math.fround(v * scale + min);
  }
  return { data, bytes: size * width };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
