/**
 * The kiosk evaluation commands end to end on real photos and speech, with the real engines.
 * Small subsets only: the point is the wiring and the report, not the accuracy figure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';

const manifestPath = join(repoRoot, 'models', 'manifest.json');
const manifest = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: Record<string, { sha256: string }> })
  : { models: {} };
const hasFaceModels = 'face-encoder-dlib-resnet' in manifest.models;
const hasVoiceModels = 'voice-encoder' in manifest.models;
for (const [present, id] of [[hasFaceModels, 'face-encoder-dlib-resnet'], [hasVoiceModels, 'voice-encoder']] as const) {
  if (!present) console.warn(`[tests] ${manifestPath} does not list ${id}: its real-engine CLI test is skipped.`);
}

const dir = mkdtempSync(join(tmpdir(), 'kiosk-cli-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCaptured;

describe.skipIf(!hasData || !hasFaceModels)('kiosk eval face on real LFW pairs', () => {
  it('runs the View-2 protocol over two folds and writes the report', async () => {
    // Two folds of 2 same + 2 different pairs, taken from the official file's folds 1 and 2.
    const lines = readFileSync(data('faces/lfw/pairs.txt'), 'utf8').split('\n');
    const pick = (from: number) => lines.slice(from, from + 2);
    const pairs = ['2 2', ...pick(1), ...pick(301), ...pick(601), ...pick(901)].join('\n');
    const pairsPath = join(dir, 'pairs.txt');
    writeFileSync(pairsPath, `${pairs}\n`);
    const jsonPath = join(dir, 'lfw.json');
    const svgPath = join(dir, 'lfw.svg');

    const r = await run('eval', 'face', '--lfw-pairs', pairsPath, '--images', data('faces/lfw/lfw-deepfunneled'), '--json', jsonPath, '--roc', svgPath);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report.model).toEqual({ id: 'face-encoder-dlib-resnet', sha256: manifest.models['face-encoder-dlib-resnet']?.sha256 });
    expect(report.energy).toBe('euclidean');
    expect(report.pairs).toBe(8);
    expect(report.folds).toHaveLength(2);
    expect(report.folds.every((f: { thresholdFrom: string }) => f.thresholdFrom === 'other-folds')).toBe(true);
    expect(report.accuracy).toBeCloseTo((report.folds[0].accuracy + report.folds[1].accuracy) / 2, 12);
    expect(Object.keys(report.tarAtFar).sort()).toEqual(['0.001', '0.01']);
    expect(report.eer).toBeGreaterThanOrEqual(0);
    expect(report.eer).toBeLessThanOrEqual(1);
    expect(Array.isArray(report.failed)).toBe(true);
    expect(report.failedPairs).toBeLessThanOrEqual(report.pairs);
    expect(readFileSync(svgPath, 'utf8')).toContain('class="roc-curve"');
  }, 180_000);
});

describe.skipIf(!hasData || !hasVoiceModels)('kiosk eval voice on real GRID speech', () => {
  it('reports the encoder and the mean-log-mel baseline on the same probes', async () => {
    const jsonPath = join(dir, 'voice.json');
    const r = await run('eval', 'voice', '--gallery', data('av/grid'), '--json', jsonPath);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report.model.sha256).toBe(manifest.models['voice-encoder']?.sha256);
    for (const figures of [report, report.baseline]) {
      expect(figures.rank1).toBeGreaterThanOrEqual(0);
      expect(figures.rank1).toBeLessThanOrEqual(1);
      expect(Object.keys(figures.tarAtFar).sort()).toEqual(['0.001', '0.01']);
      // GRID: s1 has 11 clips and p02 2, the 8 others one each: 11 probes against 10 speakers at K = 1.
      expect(figures.probes).toBe(11);
      expect(figures.genuine + figures.failedProbes).toBe(11);
    }
  }, 180_000);
});

describe.skipIf(!hasData || !hasVoiceModels)('kiosk eval identify on real GRID speech', () => {
  it('splits speakers into enrolled and strangers and reports every size, the kiosk rule and a DET plot', async () => {
    const jsonPath = join(dir, 'identify-voice.json');
    const detPath = join(dir, 'identify-voice.svg');
    const r = await run('eval', 'identify', '--modality', 'voice', '--gallery', data('av/grid'), '--non-mated-fraction', '0', '--sizes', '1,all', '--json', jsonPath, '--det', detPath);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report.model.sha256).toBe(manifest.models['voice-encoder']?.sha256);
    // GRID: s1 (11 clips) and p02 (2) can be enrolled at K = 1; the 8 one-clip speakers are the strangers.
    expect(report).toMatchObject({ modality: 'voice', enrollable: 2, strangers: 8, nonMated: 8 });
    expect(report.sizes.map((s: { n: number; mated: number }) => s.n)).toEqual([1, 2]);
    expect(report.sizes[1].mated).toBe(11);
    // The kiosk's thresholds come from the voice table at the voice target (1e-2): stricter as the gallery grows.
    expect(report.kioskThreshold).toMatchObject({ from: 'target', target: 0.01 });
    const [one, both] = report.sizes;
    expect(both.kioskRule.threshold).toBeGreaterThan(one.kioskRule.threshold);
    for (const size of report.sizes) {
      expect(Object.keys(size.fnirAtFpir).sort()).toEqual(['0.001', '0.003', '0.01']);
      expect(size.kioskRule.margin).toBe(0.05);
      expect(size.kioskRule.fpir).toBeGreaterThanOrEqual(0);
      expect(size.kioskRule.fpir).toBeLessThanOrEqual(1);
      // Claim and verify compares with one row (the mean template) whatever N: the one-row search's threshold.
      expect(size.verify).toMatchObject({ genuineClaims: size.mated, impostorClaims: 8, threshold: { min: one.kioskRule.threshold, max: one.kioskRule.threshold } });
    }
    expect(readFileSync(detPath, 'utf8').match(/class="det-curve"/g)).toHaveLength(2);
  }, 180_000);
});

describe.skipIf(!hasData || !hasVoiceModels)('kiosk eval calibrate on real GRID speech', () => {
  it("writes a calibration table for the shipped encoder: every cross-speaker pair, a rising score as the FMR falls", async () => {
    const out = join(dir, 'voice.calibration.json');
    const r = await run('eval', 'calibrate', '--modality', 'voice', '--gallery', data('av/grid'), '--crop-seconds', '3', '--out', out);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    const table = JSON.parse(readFileSync(out, 'utf8'));
    expect(table.model.sha256).toBe(manifest.models['voice-encoder']?.sha256);
    // 22 clips: 11 of s1, 2 of p02, 9 single ones: C(22, 2) − C(11, 2) − C(2, 2) = 231 − 55 − 1 pairs (if none failed).
    expect(table.source.impostorComparisons).toBeLessThanOrEqual(175);
    expect(table.source.impostorComparisons).toBeGreaterThan(100);
    const scores = table.tail.map((p: { score: number }) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(table.tail.at(-1).fmr).toBeGreaterThanOrEqual(1 / table.source.impostorComparisons);
  }, 180_000);
});
