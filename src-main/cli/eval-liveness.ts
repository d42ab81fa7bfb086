/**
 * `kiosk eval liveness`: the passive liveness check on bona fide bursts from real talking-head
 * clips and on attack bursts made from real photos and clip frames, reported as ISO/IEC
 * 30107-3 APCER per attack species and BPCER, with counts.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError, numberOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, percent, writeJson, type CliIo, type Command } from './command.js';
import { KioskError } from '../core/errors.js';
import { DEFAULT_PASSIVE_THRESHOLDS } from '../core/liveness/passive.js';
import {
  ATTACK_SPECIES,
  SPECIES_DESCRIPTIONS,
  buildPresentations,
  engineBurstAnalyser,
  evaluatePresentations,
  splitSources,
  summarise,
  type LivenessSplit,
  type RateCount,
} from '../eval/liveness-protocol.js';
import { hasFfmpeg } from '../eval/video-frames.js';

const DEFAULT_DATA_DIR = resolve(DEFAULT_MODELS_DIR, '../../shared/data');

function splitOption(value: string | undefined): LivenessSplit {
  if (value === undefined || value === 'report' || value === 'tune') return value ?? 'report';
  throw new UsageError(`--split must be report or tune, got "${value}"`);
}

const rate = (c: RateCount): string => `${c.rate === null ? 'n/a' : percent(c.rate)} (${c.errors}/${c.acquired}${c.acquired < c.presentations ? `, ${c.presentations - c.acquired} not acquired` : ''})`;

export const evalLivenessCommand: Command = {
  name: 'eval liveness',
  summary: 'evaluate passive face liveness: APCER per attack species, BPCER (ISO/IEC 30107-3)',
  synopsis: ['eval liveness --json <out.json> [--split report|tune] [--data-dir <dir>] [--frames N] [--interval-ms MS] [--photos N]'],
  options: {
    json: { type: 'string', value: '<out.json>', description: 'where to write the results (required)' },
    split: { type: 'string', value: '<report|tune>', description: 'report: held-out GRID speakers and LFW photos (default); tune: the data the thresholds were set on' },
    'data-dir': { type: 'string', value: '<dir>', description: 'shared data folder (default: $KIOSK_DATA_DIR or ../shared/data)' },
    frames: { type: 'number', value: '<N>', description: 'frames per burst (default 5, as the kiosk sends)' },
    'interval-ms': { type: 'number', value: '<MS>', description: 'milliseconds between burst frames (default 150)' },
    photos: { type: 'number', value: '<N>', description: 'LFW photos in the report split (default 10)' },
    'models-dir': { type: 'string', value: '<dir>', description: 'models folder with manifest.json (default: the repository\'s models/)' },
  },

  async run(options, io) {
    const jsonPath = stringOption(options, 'json', true);
    const split = splitOption(stringOption(options, 'split'));
    const dataDir = resolve(stringOption(options, 'data-dir') ?? process.env.KIOSK_DATA_DIR ?? DEFAULT_DATA_DIR);
    const frames = positiveInteger(options, 'frames', 5);
    if (frames > 8) throw new UsageError('--frames must be at most 8 (the most frames a clock-in burst may carry)');
    const intervalS = positiveInteger(options, 'interval-ms', 150) / 1000;
    const photoCount = positiveInteger(options, 'photos', 10);
    const modelsDir = resolve(stringOption(options, 'models-dir') ?? DEFAULT_MODELS_DIR);
    if (!existsSync(join(dataDir, 'av')) || !existsSync(join(dataDir, 'faces'))) {
      throw new KioskError('NOT_FOUND', `No shared data at ${dataDir} (needs av/ and faces/); give --data-dir or set KIOSK_DATA_DIR.`, { dataDir });
    }
    if (!hasFfmpeg()) throw new KioskError('RUNTIME_ERROR', 'ffmpeg and ffprobe are needed to cut bursts from the clips (apt-get install ffmpeg).');
    const started = Date.now();

    const sources = await splitSources(dataDir, split, photoCount);
    const presentations = buildPresentations(sources, { frames, intervalS }, async (path) => new Uint8Array(await readFile(path)));
    const [{ FaceEngine }, { OnnxHost }] = await Promise.all([import('../core/face/engine.js'), import('../core/runtime/onnx-host.js')]);
    const host = new OnnxHost({ providers: ['cpu'] });
    try {
      const engine = await FaceEngine.create({ host, modelsDir });
      const results = await evaluatePresentations(presentations, engineBurstAnalyser(engine), DEFAULT_PASSIVE_THRESHOLDS, progress(io));
      const summary = summarise(results);
      await writeJson(jsonPath, {
        protocol: 'ISO/IEC 30107-3 style: APCER per PAI species, BPCER; decisions on acquired presentations only',
        split,
        dataDir,
        burst: { frames, intervalMs: intervalS * 1000 },
        thresholds: DEFAULT_PASSIVE_THRESHOLDS,
        sources: { clips: sources.clips.length, photos: sources.photos.length },
        species: SPECIES_DESCRIPTIONS,
        summary,
        presentations: results,
        seconds: (Date.now() - started) / 1000,
      });
      io.out(`split ${split}: ${sources.clips.length} clips, ${sources.photos.length} photos, bursts of ${frames} frames ${intervalS * 1000} ms apart`);
      io.out(`BPCER ${rate(summary.bonaFide)}; by window: ${(['start', 'middle', 'end'] as const).map((w) => `${w} ${rate(summary.bonaFide.byWindow[w])}`).join(', ')}`);
      for (const species of ATTACK_SPECIES) io.out(`APCER ${species}: ${rate(summary.attacks[species])}`);
    } finally {
      await host.release();
    }
  },
};

function positiveInteger(options: Parameters<Command['run']>[0], name: string, fallback: number): number {
  const value = numberOption(options, name, fallback) as number;
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, got ${value}`);
  return value;
}

function progress(io: CliIo): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done !== total && now - last < 2000) return;
    last = now;
    io.err(`[eval] liveness: ${done}/${total} presentations`);
  };
}
