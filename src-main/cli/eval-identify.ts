/**
 * `kiosk eval identify`: open-set 1:N identification of faces or voices at several gallery sizes,
 * in NIST FRVT 1:N terms (FNIR at a fixed FPIR, mated misidentification), and the kiosk's own
 * decision rule with its default threshold and margin — what a company of N people would see —
 * and its claim-and-verify mode (the code first, one comparison) at the same false-accept target.
 */
import { resolve } from 'node:path';
import { createSimilarity } from '../core/match/energy.js';
import { writeDetSvg } from '../eval/det-svg.js';
import { KIOSK_SETTINGS } from '../core/context/settings.js';
import { readCalibration, thresholdForTarget } from '../core/match/impostor-calibration.js';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import { EmbeddingCache } from '../eval/embedding-cache.js';
import { listGallery } from '../eval/gallery-protocol.js';
import {
  FPIR_TARGETS,
  evaluateIdentification,
  splitForIdentification,
  type SizeFigures,
} from '../eval/identification-protocol.js';
import { UsageError, modalityOption, numberOption, positiveOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, percent, progressPrinter, writeJson, type Command } from './command.js';
import { MODALITY_EXTENSIONS, loadModality } from './engines.js';

/** The encoder's table named in the manifest, or null when there is none. */
async function shippedCalibration(modelsDir: string, modelId: string): Promise<string | null> {
  return (await ModelRegistry.open(modelsDir)).calibrationPathOf(modelId);
}

export function parseSizes(text: string): (number | 'all')[] {
  const sizes = text.split(',').map((part) => part.trim());
  return sizes.map((part) => {
    if (part === 'all') return 'all';
    const n = Number(part);
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--sizes takes positive integers and 'all', separated by commas; got ${JSON.stringify(part)}`);
    return n;
  });
}

const sizeLine = (f: SizeFigures): string =>
  `N=${f.n}: rank-1 ${percent(f.rank1)}; ` +
  FPIR_TARGETS.map((key) => `FNIR ${percent(f.fnirAtFpir[key])} @ FPIR ${key} (${f.atFpir[key].nonMatedAccepted}/${f.nonMated} strangers, misidentified ${f.atFpir[key].misidentified}/${f.mated})`).join('; ') +
  `; kiosk rule (t=${f.kioskRule.threshold}, margin ${f.kioskRule.margin}): FPIR ${percent(f.kioskRule.fpir)} (${f.kioskRule.nonMatedAccepted}/${f.nonMated}), ` +
  `FNIR ${percent(f.kioskRule.fnir)}, misidentification ${percent(f.kioskRule.misidentification)} (${f.kioskRule.misidentified}/${f.mated})` +
  (f.verify === null
    ? ''
    : `; verify (t=${f.verify.threshold.min.toFixed(3)}–${f.verify.threshold.max.toFixed(3)}): FNMR ${percent(f.verify.fnmr)} (${f.verify.genuineRefused}/${f.verify.genuineClaims}), ` +
      `FMR ${percent(f.verify.fmr)} (${f.verify.impostorAccepted}/${f.verify.impostorClaims} strangers claiming a random member)`);

export const evalIdentifyCommand: Command = {
  name: 'eval identify',
  summary: 'open-set 1:N identification at several gallery sizes (FNIR at fixed FPIR, misidentification, the kiosk rule)',
  synopsis: [
    'eval identify --modality face|voice --gallery <dir> [--enroll-count K] [--sizes 100,500,all] [--non-mated-fraction F] [--seed S] [--crop-seconds S] [--flip] --json <out.json> [--det <out.svg>]',
  ],
  options: {
    modality: { type: 'string', value: 'face|voice', description: 'which engine to evaluate (required)' },
    gallery: { type: 'string', value: '<dir>', description: 'one sub-folder per identity (images, or audio files: .wav .flac .ogg .opus .oga .mp3 .webm)' },
    'enroll-count': { type: 'number', value: '<K>', description: 'first K files (by name) enroll an identity with more than K files (default 1)' },
    sizes: { type: 'string', value: '<list>', description: "gallery sizes, e.g. 100,500,all (default all)" },
    'non-mated-fraction': { type: 'number', value: '<F>', description: 'fraction of enrollable identities held out as strangers (default 0.2)' },
    seed: { type: 'number', value: '<S>', description: 'seed of the held-out choice and of the gallery order (default 1)' },
    'crop-seconds': { type: 'number', value: '<S>', description: 'voice: crop each search to S seconds of speech' },
    flip: { type: 'boolean', description: 'face: average each embedding with its mirror image' },
    json: { type: 'string', value: '<out.json>', description: 'where to write the results (required)' },
    det: { type: 'string', value: '<out.svg>', description: 'also write the DET curves (one per size) as SVG' },
    cache: { type: 'string', value: '<file>', description: 'keep the embeddings in this file and reuse them in later runs (same model only)' },
    calibration: {
      type: 'string',
      value: '<file>',
      description: "derive the kiosk rule's and the verify mode's thresholds from this impostor table and the target (default: the model's shipped table)",
    },
    target: { type: 'number', value: '<p>', description: "false-accept target per search or claim for the derived thresholds (default: the kiosk's, face 1e-3, voice 1e-2)" },
    'models-dir': { type: 'string', value: '<dir>', description: "models folder with manifest.json (default: the repository's models/)" },
    concurrency: { type: 'number', value: '<n>', description: 'files processed at once (default 2)' },
  },

  async run(options, io) {
    const modality = modalityOption(options);
    const jsonPath = stringOption(options, 'json', true);
    const galleryDir = resolve(stringOption(options, 'gallery', true));
    const enrollCount = numberOption(options, 'enroll-count', 1) as number;
    if (!Number.isInteger(enrollCount) || enrollCount < 1) throw new UsageError(`--enroll-count must be a positive integer, got ${enrollCount}`);
    const sizes = parseSizes(stringOption(options, 'sizes') ?? 'all');
    const nonMatedFraction = numberOption(options, 'non-mated-fraction', 0.2) as number;
    if (!(nonMatedFraction >= 0 && nonMatedFraction < 1)) throw new UsageError(`--non-mated-fraction must be in [0, 1), got ${nonMatedFraction}`);
    const seed = numberOption(options, 'seed', 1) as number;
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
    const cropSeconds = positiveOption(options, 'crop-seconds');
    const flip = options.flip === true;
    const detPath = stringOption(options, 'det');
    const cachePath = stringOption(options, 'cache');
    const calibrationPath = stringOption(options, 'calibration');
    const target = numberOption(options, 'target', KIOSK_SETTINGS[modality === 'face' ? 'faceFalseAcceptTarget' : 'voiceFalseAcceptTarget'].default ?? undefined);
    if (target !== undefined && !(target > 0 && target < 0.5)) throw new UsageError(`--target must be in (0, 0.5), got ${target}`);
    const concurrency = numberOption(options, 'concurrency', 2);
    const modelsDir = resolve(stringOption(options, 'models-dir') ?? DEFAULT_MODELS_DIR);
    const started = Date.now();

    const identities = await listGallery(galleryDir, { enrollCount, extensions: [...MODALITY_EXTENSIONS[modality]] });
    const split = splitForIdentification(identities, { nonMatedFraction, seed });
    const engine = await loadModality(modality, modelsDir, flip, cropSeconds);
    const cache = cachePath === undefined ? undefined : await EmbeddingCache.open(resolve(cachePath), engine.model);
    try {
      const tablePath = calibrationPath === undefined ? await shippedCalibration(modelsDir, engine.model.id) : resolve(calibrationPath);
      const calibration = tablePath === null ? null : await readCalibration(tablePath, engine.model);
      // As the kiosk (core/context/threshold-in-force.ts): from the target over the templates compared, else the raw setting.
      const thresholdFor = (templates: number): number =>
        calibration === null || target === undefined ? engine.kioskRule.threshold : thresholdForTarget(calibration, target, templates).threshold;
      const kioskRule = (templates: number) => ({ ...engine.kioskRule, threshold: thresholdFor(templates) });
      const result = await evaluateIdentification(split, {
        embed: cache?.wrap(engine.embed, engine.variants.embed) ?? engine.embed,
        embedProbe: cache?.wrap(engine.embedProbe, engine.variants.probe) ?? engine.embedProbe,
        rule: engine.rule,
        similarity: createSimilarity({ energy: engine.energy }),
        sizes,
        seed,
        kioskRule,
        verifyRule: thresholdFor,
        concurrency,
        onProgress: progressPrinter(io),
      });
      await writeJson(jsonPath, {
        protocol: 'open-set identification (NIST FRVT 1:N terms)',
        modality,
        model: engine.model,
        galleryDir,
        enrollCount,
        nonMatedFraction,
        seed,
        cropSeconds: cropSeconds ?? null,
        flip,
        energy: engine.energy,
        kioskThreshold:
          calibration === null
            ? { from: 'setting', threshold: engine.kioskRule.threshold }
            : { from: 'target', target, calibration: tablePath, calibrationSource: calibration.source },
        ...result,
        seconds: (Date.now() - started) / 1000,
      });
      io.out(
        `${modality}: ${result.identities} identities, ${result.enrollable} enrollable (${result.failedToEnrol} failed to enrol), ` +
          `${result.strangers} strangers with ${result.nonMated} searches; ${result.failedToAcquire} searches failed to acquire`,
      );
      for (const figures of result.sizes) io.out(sizeLine(figures));
      if (detPath !== undefined) {
        await writeDetSvg(
          detPath,
          result.sizes.map((f) => ({ label: `N = ${f.n}`, det: f.det })),
          `${modality} 1:N, K=${enrollCount}, ${result.nonMated} non-mated searches`,
        );
      }
    } finally {
      // Also after a failure: what was embedded is not computed again.
      await cache?.save();
      await engine.release();
    }
  },
};
