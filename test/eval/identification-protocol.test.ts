/**
 * Open-set identification on hand-made embeddings whose every figure is worked out by hand below:
 * four enrolled people (unit vectors e1..e4), one search each, and three strangers.
 */
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { evaluateIdentification, splitForIdentification, thresholdForFpir, type IdentificationOptions } from '../../src-main/eval/identification-protocol.js';
import type { GalleryIdentity } from '../../src-main/eval/gallery-protocol.js';

const s = Math.sqrt;
const VECTORS: Record<string, number[] | string> = {
  'A/1': [1, 0, 0, 0],
  'A/2': [0.9, s(1 - 0.81), 0, 0], // cos A 0.9, cos B 0.436
  'B/1': [0, 1, 0, 0],
  'B/2': [s(1 - 0.81), 0.9, 0, 0], // cos B 0.9
  'C/1': [0, 0, 1, 0],
  'C/2': [0, 0, 0.6, 0.8], // closer to D (0.8) than to C (0.6): a misidentification
  'D/1': [0, 0, 0, 1],
  'D/2': [0, 0, 0, 1], // cos D 1
  'S1/1': [0.5, 0.5, 0.5, 0.5], // 0.5 to everyone
  'S2/1': [0.95, s(1 - 0.9025), 0, 0], // A 0.95, B 0.312
  'S3/1': [0, 0.6, 0.8, 0], // C 0.8, B 0.6
  'X/1': 'unreadable',
  'X/2': [1, 0, 0, 0],
};

const embed = async (path: string): Promise<Float32Array> => {
  const v = VECTORS[path];
  if (v === undefined || typeof v === 'string') throw new KioskError('CORRUPT_IMAGE', `cannot read ${path}`);
  return Float32Array.from(v);
};

const people = (...ids: string[]): GalleryIdentity[] =>
  ids.map((id) => ({ id, enroll: [`${id}/1`], probes: Object.keys(VECTORS).filter((k) => k.startsWith(`${id}/`) && k !== `${id}/1`) }));

const options = (overrides: Partial<IdentificationOptions> = {}): IdentificationOptions => ({
  embed,
  rule: { kind: 'each' },
  similarity: createSimilarity({ energy: 'cosine' }),
  sizes: ['all'],
  seed: 7,
  kioskRule: { threshold: 0.7, margin: 0.05 },
  ...overrides,
});

describe('splitForIdentification', () => {
  it('makes identities without a search file strangers, holds out a seeded fraction of the rest, and is repeatable', () => {
    const identities = people('A', 'B', 'C', 'D', 'S1', 'S2', 'S3');
    const none = splitForIdentification(identities, { nonMatedFraction: 0, seed: 1 });
    expect(none.enrollable.map((i) => i.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(none.strangers.map((i) => i.id)).toEqual(['S1', 'S2', 'S3']);

    const half = splitForIdentification(identities, { nonMatedFraction: 0.5, seed: 1 });
    expect(half.enrollable).toHaveLength(2);
    const held = half.strangers.filter((st) => st.id.length === 1);
    expect(held).toHaveLength(2);
    // A held-out identity searches with every one of its files.
    for (const h of held) expect(h.files).toEqual([`${h.id}/1`, `${h.id}/2`]);
    expect(splitForIdentification(identities, { nonMatedFraction: 0.5, seed: 1 })).toEqual(half);
  });

  it('refuses a fraction outside [0, 1), nobody to enrol, and nobody to search with', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        return (error as KioskError).code;
      }
      return 'no error';
    };
    expect(code(() => splitForIdentification(people('A', 'S1'), { nonMatedFraction: 1, seed: 1 }))).toBe('INVALID_INPUT');
    expect(code(() => splitForIdentification(people('A', 'S1'), { nonMatedFraction: -0.1, seed: 1 }))).toBe('INVALID_INPUT');
    expect(code(() => splitForIdentification(people('S1', 'S2'), { nonMatedFraction: 0, seed: 1 }))).toBe('INVALID_INPUT');
    expect(code(() => splitForIdentification(people('A', 'B'), { nonMatedFraction: 0, seed: 1 }))).toBe('INVALID_INPUT');
  });
});

describe('thresholdForFpir', () => {
  it('lets through at most floor(target × searches) non-mated searches', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
    const t = thresholdForFpir(scores, 1000, 0.003);
    expect(scores.filter((x) => x >= t)).toEqual([0.9, 0.8, 0.7]);
    expect(thresholdForFpir(scores, 100, 0.001)).toBeGreaterThan(0.9);
    // A target looser than the searches that acquired accepts them all.
    expect(thresholdForFpir(scores, 1000, 0.01)).toBe(-Infinity);
  });
});

describe('evaluateIdentification', () => {
  const split = splitForIdentification(people('A', 'B', 'C', 'D', 'S1', 'S2', 'S3'), { nonMatedFraction: 0, seed: 1 });

  it('reports rank-1, FNIR and misidentification at a target FPIR, and the kiosk rule, as worked out by hand', async () => {
    const result = await evaluateIdentification(split, options());
    expect(result).toMatchObject({ identities: 7, enrollable: 4, strangers: 3, failedToEnrol: 0, failedToAcquire: 0, nonMated: 3 });
    const [all] = result.sizes;
    expect(all).toMatchObject({ n: 4, mated: 4, nonMated: 3, rank1: 0.75 });
    // With 3 strangers every target allows 0 of them: the threshold sits just above S2's 0.95; only D (1.0) passes.
    for (const key of ['0.01', '0.003', '0.001'] as const) {
      expect(all!.atFpir[key]).toMatchObject({ nonMatedAccepted: 0, matedMissed: 3, misidentified: 0 });
      expect(all!.atFpir[key].threshold).toBeCloseTo(0.95, 6);
      expect(all!.fnirAtFpir[key]).toBe(0.75);
      expect(all!.misidentificationAtFpir[key]).toBe(0);
    }
    // Threshold 0.7 and margin 0.05: S2 (A 0.95) and S3 (C 0.8) pass; C's search is credited to D.
    expect(all!.kioskRule).toMatchObject({ threshold: 0.7, margin: 0.05, nonMatedAccepted: 2, matedMissed: 1, misidentified: 1 });
    expect(all!.kioskRule.fpir).toBeCloseTo(2 / 3, 12);
    expect(all!.kioskRule.fnir).toBe(0.25);
    expect(all!.kioskRule.misidentification).toBe(0.25);
    // DET: from the strictest threshold (nobody passes) down to the loosest (every stranger passes).
    expect(all!.det[0]).toEqual({ fpir: 0, fnir: 1 });
    expect(all!.det.at(-1)).toEqual({ fpir: 1, fnir: 0.25 });
  });

  it('a margin refuses a near tie: with margin 0.5 the kiosk rule accepts only the clear-cut searches', async () => {
    const [all] = (await evaluateIdentification(split, options({ kioskRule: { threshold: 0.7, margin: 0.5 } }))).sizes;
    // Gaps: S2 0.95 − 0.31 and D 1.0 − 0 pass; A and B (0.9 − 0.44), C (0.8 − 0.6) and S3 (0.8 − 0.6) do not.
    expect(all!.kioskRule).toMatchObject({ nonMatedAccepted: 1, matedMissed: 3, misidentified: 0 });
  });

  it("derives the kiosk rule's threshold from each gallery's template count when given a rule, as the kiosk does", async () => {
    const templatesSeen: number[] = [];
    const rule = (templates: number) => {
      templatesSeen.push(templates);
      return { threshold: templates > 1 ? 0.99 : 0.7, margin: 0.05 };
    };
    const result = await evaluateIdentification(split, options({ sizes: [1, 'all'], kioskRule: rule }));
    expect(templatesSeen).toEqual([1, 4]);
    expect(result.sizes.map((f) => f.kioskRule.threshold)).toEqual([0.7, 0.99]);
    // At 0.99 only D's exact match (1.0) is accepted.
    expect(result.sizes[1]!.kioskRule).toMatchObject({ nonMatedAccepted: 0, matedMissed: 3 });
  });

  it('scores claim and verify at the per-identity threshold: each search claims its own identity, each stranger a member', async () => {
    const counts: number[] = [];
    const verifyAt = (threshold: number) => (templates: number) => {
      counts.push(templates);
      return threshold;
    };
    const [at07] = (await evaluateIdentification(split, options({ verifyRule: verifyAt(0.7) }))).sizes;
    // One template each. Own scores: A 0.9, B 0.9, C 0.6 (refused, although C/2 is closer to D), D 1.0.
    expect(counts).toEqual([1, 1, 1, 1]);
    expect(at07!.verify).toMatchObject({ genuineClaims: 4, genuineRefused: 1, fnmr: 0.25, impostorClaims: 3, threshold: { min: 0.7, max: 0.7 } });
    // No stranger reaches 0.97 with anyone (S2's best is 0.95); every one reaches -1.
    expect((await evaluateIdentification(split, options({ verifyRule: verifyAt(0.97) }))).sizes[0]!.verify).toMatchObject({ impostorAccepted: 0, fmr: 0, genuineRefused: 3 });
    expect((await evaluateIdentification(split, options({ verifyRule: verifyAt(-1) }))).sizes[0]!.verify).toMatchObject({ impostorAccepted: 3, fmr: 1, genuineRefused: 0 });
    expect((await evaluateIdentification(split, options())).sizes[0]!.verify).toBeNull();
  });

  it('nests the galleries of each size and counts mated searches per size', async () => {
    const result = await evaluateIdentification(split, options({ sizes: [1, 2, 'all'] }));
    expect(result.sizes.map((f) => [f.n, f.mated, f.nonMated])).toEqual([
      [1, 1, 3],
      [2, 2, 3],
      [4, 4, 3],
    ]);
  });

  it('counts an identity whose enrollment failed and a search that failed, and refuses sizes it cannot fill', async () => {
    const withBroken = { ...split, enrollable: [...split.enrollable, { id: 'X', enroll: ['X/1'], probes: ['X/2'] }] };
    const result = await evaluateIdentification(withBroken, options());
    expect(result).toMatchObject({ enrollable: 5, failedToEnrol: 1 });
    expect(result.sizes[0]!.n).toBe(4);
    const lost = { ...split, strangers: [...split.strangers, { id: 'X', files: ['X/1'] }] };
    const searched = await evaluateIdentification(lost, options());
    // The search that failed to acquire is a non-mated search correctly not accepted.
    expect(searched).toMatchObject({ failedToAcquire: 1, nonMated: 4 });
    expect(searched.sizes[0]!.kioskRule.nonMatedAccepted).toBe(2);
    await expect(evaluateIdentification(split, options({ sizes: [5] }))).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { size: 5, available: 4 } });
    await expect(evaluateIdentification(split, options({ sizes: [0] }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it("builds one row per identity with the 'mean' rule (the kiosk's voice gallery)", async () => {
    const combine = (embeddings: readonly Float32Array[]): Float32Array => Float32Array.from(embeddings[0]!, (x) => x * 2);
    const [all] = (await evaluateIdentification(split, options({ rule: { kind: 'mean', combine } }))).sizes;
    expect(all!.rank1).toBe(0.75);
  });
});
