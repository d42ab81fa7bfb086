/**
 * `kiosk eval voice`: the voice encoder and the mean-log-mel baseline on the same gallery, so the
 * encoder's gain over a trivial spectrum match is always in the report.
 */
import { resolve } from 'node:path';
import { UsageError, numberOption, positiveOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, percent, progressPrinter, withoutRoc, writeJson, type Command } from './command.js';
import { MODALITY_EXTENSIONS, loadVoiceEmbedders } from './engines.js';
import { evaluateGallery, listGallery, type GalleryEvaluation } from '../eval/gallery-protocol.js';
import { writeRocSvg } from '../eval/roc-svg.js';
import { createSimilarity } from '../core/match/energy.js';

const cosine = createSimilarity({ energy: 'cosine' });

const line = (label: string, r: GalleryEvaluation): string =>
  `${label}: EER ${percent(r.eer)}; rank-1 ${percent(r.rank1)}; TAR ${percent(r.tarAtFar['0.01'])} @ FAR 1e-2, ` +
  `${percent(r.tarAtFar['0.001'])} @ FAR 1e-3; ${r.genuine} genuine / ${r.impostor} impostor scores; ${r.failed.length} files failed`;

export const evalVoiceCommand: Command = {
  name: 'eval voice',
  summary: 'evaluate the voice encoder against the mean-log-mel baseline on a gallery folder',
  synopsis: ['eval voice --gallery <dir> [--enroll-count K] [--crop-seconds S] [--min-speech-seconds S] --json <out.json> [--roc <out.svg>]'],
  options: {
    gallery: { type: 'string', value: '<dir>', description: 'one sub-folder per speaker with audio files (.wav .flac .ogg .opus .oga .mp3 .webm)' },
    'enroll-count': { type: 'number', value: '<K>', description: 'first K files per speaker (by name) form the template (default 1)' },
    'crop-seconds': { type: 'number', value: '<S>', description: 'crop each probe to S seconds of speech' },
    'min-speech-seconds': {
      type: 'number',
      value: '<S>',
      description: "accept clips with at least S seconds of speech (default: the kiosk's gate, 1.0)",
    },
    json: { type: 'string', value: '<out.json>', description: 'where to write the results (required)' },
    roc: { type: 'string', value: '<out.svg>', description: 'also write the ROC curves (encoder and baseline) as SVG' },
    'models-dir': { type: 'string', value: '<dir>', description: 'models folder with manifest.json (default: the repository\'s models/)' },
    concurrency: { type: 'number', value: '<n>', description: 'files processed at once (default 2)' },
  },

  async run(options, io) {
    const jsonPath = stringOption(options, 'json', true);
    const galleryDir = stringOption(options, 'gallery', true);
    const enrollCount = numberOption(options, 'enroll-count', 1) as number;
    if (!Number.isInteger(enrollCount) || enrollCount < 1) throw new UsageError(`--enroll-count must be a positive integer, got ${enrollCount}`);
    const cropSeconds = positiveOption(options, 'crop-seconds');
    const minSpeechSeconds = positiveOption(options, 'min-speech-seconds');
    const rocPath = stringOption(options, 'roc');
    const concurrency = numberOption(options, 'concurrency', 2);
    const modelsDir = resolve(stringOption(options, 'models-dir') ?? DEFAULT_MODELS_DIR);
    const onProgress = progressPrinter(io);
    const started = Date.now();

    const identities = await listGallery(resolve(galleryDir), { enrollCount, extensions: MODALITY_EXTENSIONS.voice });
    const voice = await loadVoiceEmbedders({ modelsDir, cropSeconds, minSpeechSeconds });
    try {
      const encoder = await evaluateGallery(identities, { ...voice.encoder, similarity: cosine, concurrency, onProgress });
      const baseline = await evaluateGallery(identities, { ...voice.baseline, similarity: cosine, concurrency, onProgress });
      await writeJson(jsonPath, {
        protocol: 'gallery',
        galleryDir: resolve(galleryDir),
        enrollCount,
        cropSeconds: cropSeconds ?? null,
        minSpeechSeconds: minSpeechSeconds ?? null,
        model: voice.model,
        energy: 'cosine',
        ...withoutRoc(encoder),
        baseline: { method: 'mean log-mel vector + cosine', ...withoutRoc(baseline) },
        seconds: (Date.now() - started) / 1000,
      });
      io.out(line('encoder', encoder));
      io.out(line('baseline', baseline));
      if (rocPath !== undefined) {
        await writeRocSvg(
          rocPath,
          [
            { label: `encoder ${voice.model.id}`, roc: encoder.roc, eer: encoder.eer },
            { label: 'baseline: mean log-mel + cosine', roc: baseline.roc, eer: baseline.eer },
          ],
          { title: `Voice gallery: ${identities.length} speakers, K=${enrollCount}${cropSeconds ? `, ${cropSeconds} s probes` : ''}` },
        );
      }
    } finally {
      await voice.release();
    }
  },
};
