import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/build/onnx/graph-builder.js';
import { KioskError } from '../../src-main/core/errors.js';
import { OnnxHost, parseProviders } from '../../src-main/core/runtime/onnx-host.js';

function writeDoublingModel(): string {
  const g = new GraphBuilder('double');
  const x = g.input('x', ['n']);
  g.output(g.node('Add', [x, x], {}, 'y'), ['n']);
  const path = join(mkdtempSync(join(tmpdir(), 'onnx-host-')), 'double.onnx');
  writeFileSync(path, g.toModel({ producer: 'test' }));
  return path;
}

describe('OnnxHost', () => {
  it('falls back to the CPU when a preferred provider cannot load, and reports why', async () => {
    // This machine has no CUDA provider library: onnxruntime throws for ['cuda'] instead of falling back.
    const host = new OnnxHost({ providers: ['cuda'] });
    const loaded = await host.load(writeDoublingModel());
    expect(loaded.provider).toBe('cpu');
    expect(loaded.skipped.map((s) => s.provider)).toEqual(['cuda']);
    expect(loaded.skipped[0]!.reason.length).toBeGreaterThan(0);
    const { y } = await loaded.session.run({ x: new ort.Tensor('float32', Float32Array.from([1.5, -2]), [2]) });
    expect(Array.from(y!.data as Float32Array)).toEqual([3, -4]);
    await host.release();
  });

  it('creates each model session once and reuses it', async () => {
    const host = new OnnxHost({ intraOpThreads: 1 });
    const path = writeDoublingModel();
    const [a, b] = await Promise.all([host.load(path), host.load(path)]);
    expect(a.session).toBe(b.session);
    expect(await host.providersInUse()).toEqual({ [path]: 'cpu' });
    await host.release();
  });

  it('names the missing file in a typed error, and retries after the file appears', async () => {
    const host = new OnnxHost();
    const path = join(mkdtempSync(join(tmpdir(), 'onnx-host-')), 'absent.onnx');
    const error = await host.load(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KioskError);
    expect((error as KioskError).code).toBe('MODEL_MISSING');
    expect((error as KioskError).message).toContain(path);
    writeFileSync(path, (await import('node:fs')).readFileSync(writeDoublingModel()));
    await expect(host.load(path)).resolves.toMatchObject({ provider: 'cpu' });
  });

  it('rejects a file that is not a model with a typed error instead of crashing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'onnx-host-')), 'garbage.onnx');
    writeFileSync(path, Buffer.from('this is not an onnx model'));
    const error = await new OnnxHost().load(path).catch((e: unknown) => e);
    expect((error as KioskError).code).toBe('RUNTIME_ERROR');
  });
});

describe('parseProviders', () => {
  it('reads a comma-separated preference list in order, case-insensitively', () => {
    expect(parseProviders(' CUDA , cpu')).toEqual(['cuda', 'cpu']);
  });

  it('means CPU only when nothing is configured', () => {
    expect(parseProviders(undefined)).toEqual(['cpu']);
    expect(parseProviders('')).toEqual(['cpu']);
  });

  it('refuses an unknown provider with a typed error that lists the known ones', () => {
    const error = (() => {
      try {
        parseProviders('cuda,tensorrt');
      } catch (e) {
        return e;
      }
    })();
    expect((error as KioskError).code).toBe('INVALID_INPUT');
    expect((error as KioskError).message).toContain('tensorrt');
  });
});
