/**
 * `kiosk eval face`: the face pipeline on the LFW pair protocol or on a folder-per-identity gallery.
 */
import { resolve } from 'node:path';
import { UsageError, numberOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, percent, progressPrinter, withoutRoc, writeJson, type Command } from './command.js';
import { loadFaceEmbedder } from './engines.js';
import { evaluateGallery, listGallery } from '../eval/gallery-protocol.js';
import { DEFAULT_IMAGE_PATTERN, compileImagePattern, evaluateLfw, loadLfwPairs } from '../eval/lfw-protocol.js';
import { writeRocSvg } from '../eval/roc-svg.js';
import { createSimilarity, type EnergyKind } from '../core/match/energy.js';
import { meanVector } from '../core/match/vector-mean.js';

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.pgm', '.gif'];

function energyOption(value: string | undefined): EnergyKind {
  if (value === undefined) return 'euclidean';
  if (value === 'euclidean' || value === 'cosine') return value;
  throw new UsageError(`--energy must be euclidean or cosine, got "${value}"`);
}

export const evalFaceCommand: Command = {
  name: 'eval face',
  summary: 'evaluate the face pipeline (LFW pairs or a gallery folder)',
  synopsis: [
    'eval face --lfw-pairs <pairs.txt> --images <dir> [--image-pattern P] [--flip] [--energy E] --json <out.json> [--roc <out.svg>]',
    'eval face --gallery <dir> [--flip] [--energy E] --json <out.json> [--roc <out.svg>]',
  ],
  options: {
    'lfw-pairs': { type: 'string', value: '<pairs.txt>', description: 'LFW View-2 pairs file (header "folds pairsPerClass")' },
    images: { type: 'string', value: '<dir>', description: 'folder the pair images live in' },
    'image-pattern': { type: 'string', value: '<P>', description: `image path under --images; {name}, {i}, {i4} (default ${DEFAULT_IMAGE_PATTERN})` },
    gallery: { type: 'string', value: '<dir>', description: 'one sub-folder per identity; first file enrolled, the others probed' },
    flip: { type: 'boolean', description: 'average the embeddings of each face and its mirror image' },
    energy: { type: 'string', value: '<euclidean|cosine>', description: 'energy function (default euclidean, the encoder\'s training metric)' },
    json: { type: 'string', value: '<out.json>', description: 'where to write the results (required)' },
    roc: { type: 'string', value: '<out.svg>', description: 'also write the ROC curve as SVG' },
    'models-dir': { type: 'string', value: '<dir>', description: 'models folder with manifest.json (default: the repository\'s models/)' },
    concurrency: { type: 'number', value: '<n>', description: 'images processed at once (default 2)' },
  },

  async run(options, io) {
    const jsonPath = stringOption(options, 'json', true);
    const pairsPath = stringOption(options, 'lfw-pairs');
    const galleryDir = stringOption(options, 'gallery');
    if ((pairsPath === undefined) === (galleryDir === undefined)) {
      throw new UsageError('give either --lfw-pairs (with --images) or --gallery');
    }
    const energy = energyOption(stringOption(options, 'energy'));
    const similarity = createSimilarity({ energy });
    const flip = options.flip === true;
    const rocPath = stringOption(options, 'roc');
    const concurrency = numberOption(options, 'concurrency', 2);
    const modelsDir = resolve(stringOption(options, 'models-dir') ?? DEFAULT_MODELS_DIR);
    const onProgress = progressPrinter(io);
    const started = Date.now();

    if (pairsPath !== undefined) {
      const imagesDir = resolve(stringOption(options, 'images', true));
      const pattern = stringOption(options, 'image-pattern') ?? DEFAULT_IMAGE_PATTERN;
      compileImagePattern(pattern);
      // Input problems surface before the models load.
      const pairs = await loadLfwPairs(pairsPath);
      const engine = await loadFaceEmbedder({ modelsDir, flip });
      try {
        const result = await evaluateLfw(pairs, { imagesDir, pattern, embed: engine.embed, similarity, concurrency, onProgress });
        const thresholdNote = pairs.folds === 1 ? ' (single fold: threshold chosen on the same fold, optimistic)' : '';
        await writeJson(jsonPath, {
          protocol: 'lfw-pairs',
          pairsFile: resolve(pairsPath),
          imagesDir,
          imagePattern: pattern,
          model: engine.model,
          energy,
          flip,
          ...withoutRoc(result),
          seconds: (Date.now() - started) / 1000,
        });
        io.out(
          `accuracy ${percent(result.accuracy)} ± ${percent(result.accuracyStd)} over ${pairs.folds} fold(s)${thresholdNote}; ` +
            `EER ${percent(result.eer)}; TAR ${percent(result.tarAtFar['0.01'])} @ FAR 1e-2, ${percent(result.tarAtFar['0.001'])} @ FAR 1e-3; ` +
            `${result.pairs} pairs, ${result.failedPairs} failed (${result.failed.length} images)`,
        );
        if (rocPath !== undefined) {
          await writeRocSvg(rocPath, [{ label: `${engine.model.id} (${energy}${flip ? ', flip' : ''})`, roc: result.roc, eer: result.eer }], {
            title: `LFW pairs: ${pairs.folds} fold(s), ${result.pairs} pairs`,
          });
        }
      } finally {
        await engine.release();
      }
    } else {
      if (options.images !== undefined || options['image-pattern'] !== undefined) {
        throw new UsageError('--images and --image-pattern belong to --lfw-pairs, not --gallery');
      }
      const identities = await listGallery(resolve(galleryDir as string), { enrollCount: 1, extensions: IMAGE_EXTENSIONS });
      const engine = await loadFaceEmbedder({ modelsDir, flip });
      try {
        const result = await evaluateGallery(identities, { embed: engine.embed, template: meanVector, similarity, concurrency, onProgress });
        await writeJson(jsonPath, {
          protocol: 'gallery',
          galleryDir: resolve(galleryDir as string),
          enrollCount: 1,
          model: engine.model,
          energy,
          flip,
          ...withoutRoc(result),
          seconds: (Date.now() - started) / 1000,
        });
        io.out(
          `rank-1 ${percent(result.rank1)}; EER ${percent(result.eer)}; TAR ${percent(result.tarAtFar['0.01'])} @ FAR 1e-2, ` +
            `${percent(result.tarAtFar['0.001'])} @ FAR 1e-3; ${result.genuine} genuine / ${result.impostor} impostor scores; ` +
            `${result.failed.length} files failed`,
        );
        if (rocPath !== undefined) {
          await writeRocSvg(rocPath, [{ label: `${engine.model.id} (${energy}${flip ? ', flip' : ''})`, roc: result.roc, eer: result.eer }], {
            title: `Gallery ${identities.length} identities, ${result.probes} probes`,
          });
        }
      } finally {
        await engine.release();
      }
    }
  },
};
