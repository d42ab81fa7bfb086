/**
 * `npm run bench`: every benchmark in one process run, so ratios compare figures taken under
 * the same machine load; writes out/bench.json and out/bench.md.
 *
 *   node --import tsx src-main/bench/run-bench.ts [--quick] [--only face,voice,search,enrol,startup,models]
 *     [--warmup N] [--runs N] [--peer-runs N] [--no-peer] [--max-templates N] [--out DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import { OnnxHost } from '../core/runtime/onnx-host.js';
import { VOICE_ENCODER_ID } from '../core/voice/engine.js';
import { benchEnrolment } from './enrol-bench.js';
import { benchFace } from './face-bench.js';
import { modelsDir, repoRoot } from './inputs.js';
import { scanModel } from './onnx-writer.js';
import { benchModels } from './models-bench.js';
import { judgeTargets, toMarkdown, type BenchReport } from './report.js';
import { benchSearchAt, type SearchRow } from './search-bench.js';
import { benchStartup } from './startup-bench.js';
import { loadAverage, type Repetitions } from './timing.js';
import { benchVoice } from './voice-bench.js';

const SECTIONS = ['face', 'voice', 'search', 'enrol', 'startup', 'models'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    warmup: { type: 'string' },
    runs: { type: 'string' },
    'peer-runs': { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    'max-templates': { type: 'string' },
    out: { type: 'string' },
  },
});

const count = (text: string | undefined, fallback: number, name: string): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${text}`);
  return n;
};

const quick = values.quick;
const warmup = count(values.warmup, quick ? 1 : 3, 'warmup');
const runs = Math.max(1, count(values.runs, quick ? 3 : 20, 'runs'));
const reps: Repetitions = { warmup, runs };
const peerReps: Repetitions | null = values['no-peer'] ? null : { warmup: 1, runs: Math.max(1, count(values['peer-runs'], quick ? 1 : 3, 'peer-runs')) };
const searchReps: Repetitions = { warmup: Math.min(warmup, 2), runs: quick ? 3 : 10 };
const fewReps: Repetitions = { warmup: 1, runs: quick ? 1 : 3 };
const maxTemplates = count(values['max-templates'], 1_000_000, 'max-templates');
const only = new Set<Section>(
  values.only === undefined
    ? SECTIONS
    : values.only.split(',').map((s) => {
        if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
        return s as Section;
      }),
);
const outDir = values.out ?? join(repoRoot, 'out');
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/** The voice encoder's output size as its manifest entry declares it (when the voice section did not run). */
async function voiceDimFromManifest(): Promise<number> {
  const registry = await ModelRegistry.open(modelsDir);
  const dim = registry.entry(VOICE_ENCODER_ID).outputs[0]?.shape.at(-1);
  if (typeof dim !== 'number') throw new Error(`the manifest gives ${VOICE_ENCODER_ID} no fixed output size`);
  return dim;
}

const ortVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
const startLoad = loadAverage();
log(`load average ${startLoad.join(', ')}; warm-up ${warmup}, runs ${runs}`);
/** Filled section by section. */
const partial: { -readonly [K in keyof Omit<BenchReport, 'targets'>]: BenchReport[K] } = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    onnxruntime: ortVersion,
    platform: `${process.platform}-${process.arch}`,
  },
  repetitions: { stages: reps, ...(peerReps ? { 'face-api': peerReps } : {}), search: searchReps, 'start-up and enrollment': fewReps },
  loadAverage: { start: startLoad, end: startLoad },
};

/** A section that fails is reported as failed; the others still run. */
const errors: Record<string, string> = {};
async function section<T>(name: Section, run: () => Promise<T>): Promise<T | undefined> {
  if (!only.has(name)) return undefined;
  try {
    return await run();
  } catch (error) {
    errors[name] = error instanceof Error ? error.message : String(error);
    log(`${name}: FAILED: ${errors[name]}`);
    return undefined;
  }
}

// The kiosk's own runtime settings: CPU, onnxruntime's default thread count.
const host = new OnnxHost({ providers: ['cpu'] });
try {
  partial.face = await section('face', () => benchFace(host, { reps, peerReps, galleryRows: 1000, log }));
  partial.voice = await section('voice', () => benchVoice(host, reps, log));
  if (partial.voice === null) log('voice: no speech recordings (shared data folder absent): skipped');
  partial.enrolment = await section('enrol', () => benchEnrolment(host, fewReps, log));
} finally {
  await host.release();
}
partial.search = await section('search', async () => {
  const rows: SearchRow[] = [];
  const voiceDim = partial.voice?.embeddingDim ?? (await voiceDimFromManifest());
  for (const [modality, dim] of [['face', 128], ['voice', voiceDim]] as const) {
    const scan = await ort.InferenceSession.create(scanModel(dim), { graphOptimizationLevel: 'all', interOpNumThreads: 1 });
    try {
      for (const templates of [1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= maxTemplates)) {
        log(`search: ${modality} ${templates} x ${dim}`);
        rows.push(await benchSearchAt(modality, dim, templates, searchReps, scan));
      }
    } finally {
      await scan.release();
    }
  }
  return rows;
});
partial.models = await section('models', () => benchModels(reps, log));
partial.startup = await section('startup', () => benchStartup(fewReps.runs, true, log));
partial.errors = errors;

const report: BenchReport = { ...partial, loadAverage: { start: startLoad, end: loadAverage() }, targets: [] };
const final: BenchReport = { ...report, targets: judgeTargets(report) };
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(final, null, 2)}\n`);
writeFileSync(join(outDir, 'bench.md'), toMarkdown(final));
log(`wrote ${join(outDir, 'bench.json')} and ${join(outDir, 'bench.md')}`);
for (const t of final.targets) log(`${t.met === null ? '–' : t.met ? 'MET ' : 'MISS'} ${t.target}: ${t.measured}`);
