/**
 * `kiosk eval calibrate`: the impostor-score tail of an encoder on a public set (every pair of
 * files of two different identities), written as the calibration table the kiosk derives its
 * thresholds from (core/match/impostor-calibration.ts). Commit the table next to the model as
 * models/<model id>.calibration.json; `npm run build:models` names it in the manifest.
 */
import { relative, resolve } from 'node:path';
import { createSimilarity } from '../core/match/energy.js';
import { CALIBRATION_FORMAT, calibrationSchema, impostorTail, type ImpostorCalibration } from '../core/match/impostor-calibration.js';
import { installRoot } from '../core/runtime/install-root.js';
import { embedAll } from '../eval/embed-all.js';
import { EmbeddingCache } from '../eval/embedding-cache.js';
import { listGallery } from '../eval/gallery-protocol.js';
import { impostorScores } from '../eval/impostor-scores.js';
import { modalityOption, numberOption, positiveOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, progressPrinter, writeJson, type Command } from './command.js';
import { MODALITY_EXTENSIONS, loadModality } from './engines.js';

export const evalCalibrateCommand: Command = {
  name: 'eval calibrate',
  summary: "measure an encoder's impostor-score tail on a public set: the table thresholds are derived from",
  synopsis: ['eval calibrate --modality face|voice --gallery <dir> [--crop-seconds S] [--cache <file>] --out <calibration.json>'],
  options: {
    modality: { type: 'string', value: 'face|voice', description: 'which engine to calibrate (required)' },
    gallery: { type: 'string', value: '<dir>', description: 'one sub-folder per identity; every file is used' },
    'crop-seconds': { type: 'number', value: '<S>', description: 'voice: crop each clip to S seconds of speech, as the kiosk\'s searches' },
    cache: { type: 'string', value: '<file>', description: 'embedding cache shared with eval identify' },
    out: { type: 'string', value: '<calibration.json>', description: 'where to write the table (required)' },
    'models-dir': { type: 'string', value: '<dir>', description: "models folder with manifest.json (default: the repository's models/)" },
    concurrency: { type: 'number', value: '<n>', description: 'files processed at once (default 2)' },
  },

  async run(options, io) {
    const modality = modalityOption(options);
    const outPath = stringOption(options, 'out', true);
    const galleryDir = resolve(stringOption(options, 'gallery', true));
    const cropSeconds = positiveOption(options, 'crop-seconds');
    const cachePath = stringOption(options, 'cache');
    const modelsDir = resolve(stringOption(options, 'models-dir') ?? DEFAULT_MODELS_DIR);

    const identities = await listGallery(galleryDir, { enrollCount: 1, extensions: [...MODALITY_EXTENSIONS[modality]] });
    const engine = await loadModality(modality, modelsDir, false, cropSeconds);
    const cache = cachePath === undefined ? undefined : await EmbeddingCache.open(resolve(cachePath), engine.model);
    try {
      const files = identities.flatMap((i) => [...i.enroll, ...i.probes]);
      const embedded = await embedAll(files, cache?.wrap(engine.embedProbe, engine.variants.probe) ?? engine.embedProbe, {
        stage: 'calibrate',
        concurrency: numberOption(options, 'concurrency', 2),
        onProgress: progressPrinter(io),
      });
      const withEmbeddings = identities.map((i) => ({ id: i.id, embeddings: [...i.enroll, ...i.probes].flatMap((p) => embedded.embeddings.get(p) ?? []) }));
      const scores = impostorScores(withEmbeddings, createSimilarity({ energy: engine.energy }));
      const calibration: ImpostorCalibration = calibrationSchema.parse({
        format: CALIBRATION_FORMAT,
        model: engine.model,
        energy: engine.energy,
        source: {
          data: relative(installRoot(), galleryDir),
          command: `npm run kiosk -- eval calibrate --modality ${modality} --gallery ${relative(installRoot(), galleryDir)}${cropSeconds === undefined ? '' : ` --crop-seconds ${cropSeconds}`} --out ${relative(installRoot(), resolve(outPath))}`,
          identities: withEmbeddings.filter((i) => i.embeddings.length > 0).length,
          files: embedded.embeddings.size,
          impostorComparisons: scores.length,
        },
        tail: impostorTail(scores),
      });
      await writeJson(outPath, calibration);
      const last = calibration.tail.at(-1)!;
      io.out(
        `${modality}: ${scores.length} impostor comparisons from ${embedded.embeddings.size} files (${embedded.failed.length} failed); ` +
          `score at FMR 1e-3 ${calibration.tail.find((p) => Math.abs(Math.log10(p.fmr) + 3) < 1e-9)?.score.toFixed(4) ?? 'n/a'}, ` +
          `strictest level measured: FMR ${last.fmr.toExponential(1)} at ${last.score.toFixed(4)}`,
      );
    } finally {
      await cache?.save();
      await engine.release();
    }
  },
};
