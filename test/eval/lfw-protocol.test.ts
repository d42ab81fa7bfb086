import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskError, isKioskError } from '../../src-main/core/errors.js';
import {
  compileImagePattern,
  crossValidate,
  evaluateLfw,
  loadLfwPairs,
  parseLfwPairs,
  type ScoredPair,
} from '../../src-main/eval/lfw-protocol.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';

function errorOf(fn: () => unknown): KioskError {
  try {
    fn();
  } catch (error) {
    if (isKioskError(error)) return error;
    throw error;
  }
  throw new Error('expected a KioskError');
}

const TWO_FOLDS = [
  '2\t2',
  'Ann\t1\t2',
  'Bob\t1\t3',
  'Ann\t1\tBob\t2',
  'Cid\t4\tDee\t1',
  'Cid\t1\t2',
  'Dee\t2\t3',
  'Ann\t2\tCid\t3',
  'Bob\t1\tDee\t12',
  '',
].join('\n');

describe('parseLfwPairs', () => {
  it('reads a multi-fold file: same pairs then different pairs in each fold', () => {
    const parsed = parseLfwPairs(TWO_FOLDS);
    expect(parsed.folds).toBe(2);
    expect(parsed.pairsPerClass).toBe(2);
    expect(parsed.pairs.map((p) => [p.fold, p.same])).toEqual([
      [1, true], [1, true], [1, false], [1, false],
      [2, true], [2, true], [2, false], [2, false],
    ]);
    expect(parsed.pairs[1]).toEqual({ fold: 1, same: true, a: { name: 'Bob', index: 1 }, b: { name: 'Bob', index: 3 }, line: 3 });
    expect(parsed.pairs[7]).toEqual({ fold: 2, same: false, a: { name: 'Bob', index: 1 }, b: { name: 'Dee', index: 12 }, line: 9 });
  });

  it('reads a single-number header as one fold, with CRLF line ends and spaces', () => {
    const parsed = parseLfwPairs('2\r\nAnn 1 2\r\nBob 1 3\r\nAnn 1 Bob 2\r\nCid 4 Dee 1\r\n\r\n');
    expect(parsed.folds).toBe(1);
    expect(parsed.pairs).toHaveLength(4);
    expect(parsed.pairs.filter((p) => p.same)).toHaveLength(2);
  });

  it.each([
    ['empty file', '', 1],
    ['bad header', '2 two\nAnn 1 2', 1],
    ['three header numbers', '1 1 1\nAnn 1 2\nAnn 1 Bob 1', 1],
    ['a same line with four fields', '1 2\nAnn 1 2\nAnn 1 Bob 2\nAnn 1 Bob 2\nCid 1 Dee 1', 3],
    ['a different line with three fields', '1 1\nAnn 1 2\nBob 1 3', 3],
    ['a non-numeric image number', '1 1\nAnn 1 x\nAnn 1 Bob 1', 2],
    ['image number 0', '1 1\nAnn 0 2\nAnn 1 Bob 1', 2],
    ['too few lines', '2 1\nAnn 1 2\nAnn 1 Bob 1\nCid 1 2', 4],
    ['too many lines', '1 1\nAnn 1 2\nAnn 1 Bob 1\nCid 1 2', 4],
  ])('%s → INVALID_INPUT naming line %i', (_, text, line) => {
    const error = errorOf(() => parseLfwPairs(text, 'my-pairs.txt'));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.line).toBe(line);
    expect(error.message).toContain(`my-pairs.txt:${line}:`);
  });

  it('a missing file is NOT_FOUND', async () => {
    await expect(loadLfwPairs('/nonexistent/pairs.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('compileImagePattern', () => {
  it('default LFW layout pads the number to 4 digits', () => {
    expect(compileImagePattern('{name}/{name}_{i4}.jpg')({ name: 'Abel_Pacheco', index: 4 })).toBe('Abel_Pacheco/Abel_Pacheco_0004.jpg');
  });
  it('ORL layout uses the bare number', () => {
    expect(compileImagePattern('{name}/{i}.pgm')({ name: 's12', index: 10 })).toBe('s12/10.pgm');
  });
  it.each([['{name}/{j}.pgm'], ['{name}/photo.pgm'], ['{i}.pgm']])('%s is refused with INVALID_INPUT', (pattern) => {
    expect(errorOf(() => compileImagePattern(pattern)).code).toBe('INVALID_INPUT');
  });
});

describe('crossValidate', () => {
  const pair = (fold: number, same: boolean, score: number | null): ScoredPair => ({ fold, same, score });

  it('takes each fold\'s threshold from the other folds, not its own', () => {
    // Fold 1 alone is separated at 0.55, fold 2 alone at 1.45; each threshold fails the other fold.
    const scored = [
      pair(1, true, 0.9), pair(1, true, 0.8), pair(1, false, 0.3), pair(1, false, 0.2),
      pair(2, true, 2.0), pair(2, true, 1.9), pair(2, false, 1.0), pair(2, false, 0.95),
    ];
    const cv = crossValidate(scored, 2);
    expect(cv.folds[0]?.threshold).toBeCloseTo(1.45, 12);
    expect(cv.folds[1]?.threshold).toBeCloseTo(0.55, 12);
    // Fold 1 at 1.45: both genuines rejected (wrong), both impostors rejected (right).
    expect(cv.folds.map((f) => f.accuracy)).toEqual([0.5, 0.5]);
    expect(cv.folds.every((f) => f.thresholdFrom === 'other-folds')).toBe(true);
    expect(cv.accuracy).toBe(0.5);
    expect(cv.accuracyStd).toBe(0);
  });

  it('with one fold uses that fold\'s own threshold and says so', () => {
    const cv = crossValidate([pair(1, true, 0.9), pair(1, true, 0.8), pair(1, false, 0.3), pair(1, false, 0.2)], 1);
    expect(cv.folds[0]?.thresholdFrom).toBe('same-fold');
    expect(cv.folds[0]?.threshold).toBeCloseTo(0.55, 12);
    expect(cv.accuracy).toBe(1);
  });

  it('counts a failed pair as a wrong decision in its fold', () => {
    const scored = [
      pair(1, true, 0.9), pair(1, true, null), pair(1, false, 0.3), pair(1, false, 0.2),
      pair(2, true, 0.9), pair(2, true, 0.8), pair(2, false, 0.3), pair(2, false, 0.2),
    ];
    const cv = crossValidate(scored, 2);
    expect(cv.folds[0]).toMatchObject({ pairs: 4, failedPairs: 1, accuracy: 3 / 4 });
    expect(cv.folds[1]).toMatchObject({ pairs: 4, failedPairs: 0, accuracy: 1 });
  });
});

describe('evaluateLfw on synthetic embeddings in a temp folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-lfw-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Each person sits on its own axis; their images differ by a small offset. Same-person distance ≤ 0.2,
  // different-person distance ≈ 1.4: every scored pair is decided right at any threshold in between.
  const people = ['Ann', 'Bob', 'Cid', 'Dee'];
  for (const [p, name] of people.entries()) {
    mkdirSync(join(root, name));
    for (let i = 1; i <= 12; i++) {
      const v = [0, 0, 0, 0];
      v[p] = 1 + 0.01 * i;
      writeFileSync(join(root, name, `${name}_${String(i).padStart(4, '0')}.jpg`), JSON.stringify(v));
    }
  }
  // Dee_0012 is referenced by fold 2's last pair: make that image unreadable.
  rmSync(join(root, 'Dee', 'Dee_0012.jpg'));

  it('embeds each image once, reports the failed image, and scores its pair as wrong', async () => {
    const calls: string[] = [];
    const result = await evaluateLfw(parseLfwPairs(TWO_FOLDS), {
      imagesDir: root,
      similarity: createSimilarity({ energy: 'euclidean' }),
      embed: async (path) => {
        calls.push(path);
        try {
          return Float32Array.from(JSON.parse(await readFile(path, 'utf8')) as number[]);
        } catch {
          throw new KioskError('NOT_FOUND', `cannot read ${path}`);
        }
      },
    });
    // Ann_0001 and Bob_0001 appear in two pairs each: 16 references, 13 distinct images.
    expect(calls).toHaveLength(13);
    expect(new Set(calls).size).toBe(13);
    expect(result.failed).toEqual([{ path: join(root, 'Dee', 'Dee_0012.jpg'), code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(result.pairs).toBe(8);
    expect(result.failedPairs).toBe(1);
    expect(result.genuinePairs).toBe(4);
    expect(result.impostorPairs).toBe(3);
    expect(result.folds.map((f) => f.accuracy)).toEqual([1, 3 / 4]);
    expect(result.accuracy).toBeCloseTo(7 / 8, 12);
    expect(result.accuracyStd).toBeCloseTo(1 / 8, 12);
    expect(result.eer).toBe(0);
    expect(result.tarAtFar).toEqual({ '0.01': 1, '0.001': 1 });
  });
});
