import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { embedAll, type EmbedProgress } from '../../src-main/eval/embed-all.js';

describe('embedAll', () => {
  it('embeds each distinct path once, keeps going after failures, and reports progress to the total', async () => {
    const calls: string[] = [];
    const progress: EmbedProgress[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await embedAll(
      ['b', 'a', 'b', 'bad', 'c', 'a', 'bug'],
      async (path) => {
        calls.push(path);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (path === 'bad') throw new KioskError('NO_FACE', 'no face');
        if (path === 'bug') throw new TypeError('x is undefined');
        return Float32Array.of(path.charCodeAt(0));
      },
      { concurrency: 3, stage: 'pairs', onProgress: (p) => progress.push(p) },
    );
    expect(calls.sort()).toEqual(['a', 'b', 'bad', 'bug', 'c']);
    expect(maxInFlight).toBe(3);
    expect([...result.embeddings.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(result.embeddings.get('c')).toEqual(Float32Array.of(99));
    expect(result.failed).toEqual([
      { path: 'bad', code: 'NO_FACE', message: 'no face' },
      { path: 'bug', code: 'UNEXPECTED', message: 'x is undefined' },
    ]);
    expect(progress.at(-1)).toEqual({ stage: 'pairs', done: 5, total: 5, failed: 2 });
  });
});
