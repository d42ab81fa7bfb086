import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { EmbeddingCache } from '../../src-main/eval/embedding-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-embedding-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = { id: 'face-encoder', sha256: 'a'.repeat(64) };

describe('EmbeddingCache', () => {
  it('embeds each file once across runs, keeps typed failures, and ignores a file written for another model', async () => {
    const path = join(dir, 'cache.json');
    const calls: string[] = [];
    const embed = async (file: string): Promise<Float32Array> => {
      calls.push(file);
      if (file.endsWith('bad.jpg')) throw new KioskError('NO_FACE', 'no face in bad.jpg');
      return Float32Array.of(file.length, 0.25, -1.5);
    };
    const first = await EmbeddingCache.open(path, MODEL);
    const cached = first.wrap(embed, 'face:flip=false');
    expect(Array.from(await cached('/d/a.jpg'))).toEqual([8, 0.25, -1.5]);
    await expect(cached('/d/bad.jpg')).rejects.toMatchObject({ code: 'NO_FACE' });
    await first.save();

    const second = await EmbeddingCache.open(path, MODEL);
    const again = second.wrap(embed, 'face:flip=false');
    expect(Array.from(await again('/d/a.jpg'))).toEqual([8, 0.25, -1.5]);
    await expect(again('/d/bad.jpg')).rejects.toMatchObject({ code: 'NO_FACE' });
    expect(calls).toEqual(['/d/a.jpg', '/d/bad.jpg']);
    // Another variant of the same file is another embedding.
    await second.wrap(embed, 'face:flip=true')('/d/a.jpg');
    expect(calls).toHaveLength(3);

    const otherModel = await EmbeddingCache.open(path, { ...MODEL, sha256: 'b'.repeat(64) });
    expect(otherModel.size).toBe(0);
  });
});
