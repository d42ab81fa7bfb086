/**
 * `eval voice` and `eval identify` on galleries that are not WAV: LibriSpeech's FLAC (four
 * speakers, each utterance cut by ffmpeg into three 4 s FLAC pieces, since the shared set holds
 * one utterance per speaker) and speechocean762's Ogg Opus files as shipped (linked, not copied).
 * The point is that the folders are read and decoded, and the report has its figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import { data, repoRoot } from '../helpers/paths.js';

const manifestPath = join(repoRoot, 'models', 'manifest.json');
const hasVoiceModels = existsSync(manifestPath) && 'voice-encoder' in (JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: object }).models;
const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
const libri = data('voice/librispeech-train-clean-100');
const speechocean = data('voice/speechocean762');
/** LibriSpeech utterances of at least 13 s, so three 4 s pieces fit. */
const LIBRI_FILES = ['103-1240-0000', '1040-133433-0000', '1069-133699-0000', '1098-133695-0000'];
const OCEAN_SPEAKERS = ['SPEAKER0001', 'SPEAKER0005', 'SPEAKER0006', 'SPEAKER0026'];
const hasSets = LIBRI_FILES.every((f) => existsSync(join(libri, `${f}.flac`))) && OCEAN_SPEAKERS.every((s) => existsSync(join(speechocean, s)));

const missing = [!hasVoiceModels && 'the voice models', !hasFfmpeg && 'ffmpeg', !hasSets && 'LibriSpeech and speechocean762 in the shared data']
  .filter(Boolean)
  .join(', ');
if (missing) console.warn(`[tests] eval on FLAC and Ogg Opus galleries skipped: missing ${missing}.`);

describe.skipIf(missing !== '')('kiosk eval on FLAC and Ogg Opus galleries', () => {
  let dir: string;
  let flacGallery: string;
  let opusGallery: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-eval-formats-'));
    flacGallery = join(dir, 'flac');
    for (const utterance of LIBRI_FILES) {
      const speaker = join(flacGallery, utterance.split('-')[0]!);
      mkdirSync(speaker, { recursive: true });
      for (const [i, start] of [0, 4.5, 9].entries()) {
        const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-ss', String(start), '-t', '4', '-i', join(libri, `${utterance}.flac`), '-c:a', 'flac', join(speaker, `${i}.flac`)]);
        if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
      }
    }
    opusGallery = join(dir, 'opus');
    for (const speaker of OCEAN_SPEAKERS) {
      mkdirSync(join(opusGallery, speaker), { recursive: true });
      for (const name of readdirSync(join(speechocean, speaker)).filter((f) => f.endsWith('.ogg')).sort().slice(0, 3)) {
        symlinkSync(join(speechocean, speaker, name), join(opusGallery, speaker, name));
      }
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, gallery] of [['FLAC', () => flacGallery], ['Ogg Opus', () => opusGallery]] as const) {
    it(`eval voice reads a gallery of ${label} files and reports encoder and baseline figures`, async () => {
      const jsonPath = join(dir, `${label}.json`);
      const r = await runCaptured('eval', 'voice', '--gallery', gallery(), '--json', jsonPath);
      expect(r.err).not.toContain('error');
      expect(r.code).toBe(0);
      const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
      for (const figures of [report, report.baseline]) {
        // 4 speakers x 3 files at K = 1: 8 probes, each against 4 templates.
        expect(figures.probes).toBe(8);
        expect(figures.failed).toEqual([]);
        expect(figures.genuine).toBe(8);
        expect(figures.impostor).toBe(24);
        expect(figures.eer).toBeGreaterThanOrEqual(0);
        expect(figures.eer).toBeLessThanOrEqual(1);
        expect(Object.keys(figures.tarAtFar).sort()).toEqual(['0.001', '0.01']);
      }
    }, 180_000);
  }

  it('eval identify reads the Ogg Opus gallery', async () => {
    const jsonPath = join(dir, 'identify.json');
    const r = await runCaptured('eval', 'identify', '--modality', 'voice', '--gallery', opusGallery, '--non-mated-fraction', '0.25', '--json', jsonPath);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report).toMatchObject({ modality: 'voice', enrollable: 3, strangers: 1, failed: [] });
    expect(report.sizes.at(-1).mated).toBe(6); // 3 enrolled speakers x 2 probes
    expect(report.sizes.at(-1).rank1).toBeGreaterThanOrEqual(0);
  }, 180_000);
});
