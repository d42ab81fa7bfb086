import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { evaluateGallery, listGallery } from '../../src-main/eval/gallery-protocol.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { meanOfUnitVectors } from '../../src-main/core/match/vector-mean.js';

const cosine = createSimilarity({ energy: 'cosine' });

const root = mkdtempSync(join(tmpdir(), 'kiosk-gallery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeGallery(name: string, files: Record<string, Record<string, number[] | string>>): string {
  const dir = join(root, name);
  for (const [id, entries] of Object.entries(files)) {
    mkdirSync(join(dir, id), { recursive: true });
    for (const [file, content] of Object.entries(entries)) {
      writeFileSync(join(dir, id, file), typeof content === 'string' ? content : JSON.stringify(content));
    }
  }
  return dir;
}

const readVector = async (path: string): Promise<Float32Array> => {
  const text = await readFile(path, 'utf8');
  if (text === 'broken') throw new KioskError('NO_SPEECH', `no speech in ${path}`);
  return Float32Array.from(JSON.parse(text) as number[]);
};

describe('listGallery', () => {
  it('orders identities and files by name with numbers read as numbers, keeps only the given extensions', async () => {
    const dir = makeGallery('listing', {
      s10: { '1.pgm': [1], '2.pgm': [1] },
      s2: { '10.pgm': [1], '2.pgm': [1], '1.pgm': [1], 'notes.txt': 'x', '.hidden.pgm': [1] },
      a: { '1.PGM': [1] },
    });
    mkdirSync(join(dir, 'empty'));
    // A gallery assembled from links: a linked identity folder and a linked file count like real ones.
    symlinkSync(join(dir, 's10'), join(dir, 's3'));
    symlinkSync(join(dir, 's2', '10.pgm'), join(dir, 'a', '2.pgm'));
    const identities = await listGallery(dir, { enrollCount: 1, extensions: ['.pgm'] });
    expect(identities.map((i) => i.id)).toEqual(['a', 's2', 's3', 's10']);
    expect(identities[0]?.probes).toEqual([join(dir, 'a', '2.pgm')]);
    expect(identities[1]).toEqual({ id: 's2', enroll: [join(dir, 's2', '1.pgm')], probes: [join(dir, 's2', '2.pgm'), join(dir, 's2', '10.pgm')] });
  });

  it.each([
    ['a missing folder', () => listGallery(join(root, 'nope'), { enrollCount: 1, extensions: ['.wav'] }), 'NOT_FOUND'],
    ['a single identity', () => listGallery(makeGallery('one', { x: { 'a.wav': [1] } }), { enrollCount: 1, extensions: ['.wav'] }), 'INVALID_INPUT'],
    ['enroll count 0', () => listGallery(root, { enrollCount: 0, extensions: ['.wav'] }), 'INVALID_INPUT'],
  ])('%s → %s', async (_, run, code) => {
    await expect(run()).rejects.toMatchObject({ code });
  });
});

describe('evaluateGallery on synthetic embeddings', () => {
  // Three speakers on three axes. B's second probe sounds like C: a rank-1 miss. One probe is unreadable.
  const dir = makeGallery('eval', {
    A: { '1.wav': [1, 0, 0], '2.wav': [1, 0.1, 0], '3.wav': [0.9, 0, 0.1], '4.wav': [1, 0, 0.05] },
    B: { '1.wav': [0, 1, 0], '2.wav': [0, 1, 0], '3.wav': [0.1, 0.9, 0], '4.wav': [0, 0.2, 1] },
    C: { '1.wav': [0, 0, 1], '2.wav': [0, 0, 1], '3.wav': 'broken' },
  });

  it('enrolls the first K files, probes the rest, counts failed probes as rank-1 misses', async () => {
    const templateSizes: number[] = [];
    const probeCalls: string[] = [];
    const identities = await listGallery(dir, { enrollCount: 2, extensions: ['.wav'] });
    const result = await evaluateGallery(identities, {
      embed: readVector,
      embedProbe: async (path) => {
        probeCalls.push(path);
        return readVector(path);
      },
      template: (embeddings) => {
        templateSizes.push(embeddings.length);
        return meanOfUnitVectors(embeddings);
      },
      similarity: cosine,
    });
    expect(templateSizes).toEqual([2, 2, 2]);
    expect(probeCalls.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['A/3.wav', 'A/4.wav', 'B/3.wav', 'B/4.wav', 'C/3.wav']);
    expect(result.failed).toEqual([{ path: join(dir, 'C', '3.wav'), code: 'NO_SPEECH', message: expect.any(String) }]);
    expect(result.probes).toBe(5);
    expect(result.failedProbes).toBe(1);
    // 4 scored probes: 4 genuine scores, 2 impostor scores each.
    expect(result.genuine).toBe(4);
    expect(result.impostor).toBe(8);
    // Hits: A/3, A/4, B/3. Misses: B/4 (closer to C) and the failed C/3.
    expect(result.rank1).toBeCloseTo(3 / 5, 12);
    expect(result.enrolledIdentities).toBe(3);
  });

  it('an identity whose enrollment fails cannot be probed: its probes are failed, not dropped', async () => {
    const broken = makeGallery('broken-enroll', {
      A: { '1.wav': [1, 0], '2.wav': [1, 0.1] },
      B: { '1.wav': [0, 1], '2.wav': [0.1, 1] },
      C: { '1.wav': 'broken', '2.wav': [1, 1] },
    });
    const identities = await listGallery(broken, { enrollCount: 1, extensions: ['.wav'] });
    const result = await evaluateGallery(identities, { embed: readVector, template: (e) => e[0] as Float32Array, similarity: cosine });
    expect(result.enrolledIdentities).toBe(2);
    expect(result.probes).toBe(3);
    expect(result.failedProbes).toBe(1);
    expect(result.rank1).toBeCloseTo(2 / 3, 12);
    expect(result.eer).toBe(0);
  });
});
