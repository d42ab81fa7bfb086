/** The benchmark's results as one JSON document and a markdown report, with the targets judged. */
import type { EnrolBenchResult } from './enrol-bench.js';
import type { FaceBenchResult } from './face-bench.js';
import type { ModelsBenchResult } from './models-bench.js';
import type { SearchRow } from './search-bench.js';
import type { Summary } from './stats.js';
import type { StartupBenchResult } from './startup-bench.js';
import type { VoiceBenchResult } from './voice-bench.js';

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  readonly machine: { cpu: string; cores: number; memoryGiB: number; node: string; onnxruntime: string; platform: string };
  readonly repetitions: Record<string, { warmup: number; runs: number }>;
  readonly loadAverage: { start: [number, number, number]; end: [number, number, number] };
  readonly face?: FaceBenchResult;
  readonly voice?: VoiceBenchResult | null;
  readonly search?: SearchRow[];
  readonly enrolment?: EnrolBenchResult;
  readonly startup?: StartupBenchResult;
  readonly models?: ModelsBenchResult;
  /** Sections that failed, with the error. */
  readonly errors?: Record<string, string>;
  readonly targets: Target[];
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  /** null when the section was not run or had no data. */
  readonly met: boolean | null;
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const cell = (s: Summary | null | undefined): string => (s ? `${ms(s.median)} / ${ms(s.p95)}` : '–');
const ratio = (s: Summary | null | undefined): string => (s ? `${s.median.toFixed(1)}× (p95 ${s.p95.toFixed(1)}×)` : '–');
const gb = (bytesPerSecond: number): string => `${(bytesPerSecond / 1e9).toFixed(2)} GB/s`;
const giga = (v: number): string => (v / 1e9).toFixed(v >= 1e9 ? 2 : 4);
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;
const load = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(', ');
const threads = (t: number): string => (t === 0 ? 'default' : String(t));

export function judgeTargets(r: Omit<BenchReport, 'targets'>): Target[] {
  const targets: Target[] = [];
  const f = r.face;
  targets.push(
    f
      ? { target: 'face frame → decision ≤ 40 ms median', measured: `${ms(f.frame.ours.median)} ms`, met: f.frame.ours.median <= 40 }
      : { target: 'face frame → decision ≤ 40 ms median', measured: 'not run', met: null },
  );
  const speedup = f?.frame.speedup ?? null;
  // Decoding is the same jpeg-js code on both sides, so the photo pipeline is judged after it.
  const inference = f?.stages.find((s) => s.stage === 'inference')?.speedup ?? null;
  const total = f?.stages.find((s) => s.stage === 'total')?.speedup ?? null;
  targets.push({
    target: '≥ 3× faster than face-api (same weights)',
    measured: speedup
      ? `frame → decision ${speedup.median.toFixed(1)}×; photos after decoding ${inference ? inference.median.toFixed(1) : '–'}× (with the shared JPEG decoder ${total ? total.median.toFixed(1) : '–'}×); face-api on ${f!.peer!.backend}`
      : 'face-api not run',
    met: speedup ? speedup.median >= 3 && (inference === null || inference.median >= 3) : null,
  });
  const same = (f?.agreement ?? []).flatMap((a) => [a.sameDlibChip, a.sameFaceApiChip]).filter((v): v is number => v !== null);
  targets.push({
    target: 'embeddings cosine ≥ 0.999 vs face-api (same input)',
    measured: same.length > 0 ? `min ${Math.min(...same).toFixed(7)} over ${same.length} chips` : 'face-api not run',
    met: same.length > 0 ? Math.min(...same) >= 0.999 : null,
  });
  targets.push(
    r.voice
      ? { target: 'voice 3 s → embedding ≤ 80 ms median', measured: `${ms(r.voice.endToEnd.median)} ms (RTF ${r.voice.realTimeFactor.toFixed(3)})`, met: r.voice.endToEnd.median <= 80 }
      : { target: 'voice 3 s → embedding ≤ 80 ms median', measured: 'no speech recordings', met: null },
  );
  const million = r.search?.find((s) => s.modality === 'face' && s.templates === 1_000_000);
  targets.push(
    million
      ? {
          target: '1:N over 1M face templates ≤ 60 ms (≥ 50% of copy bandwidth)',
          measured: `${ms(million.search.median)} ms, ${pct(million.fractionOfCopy)} of copy`,
          met: million.search.median <= 60 && million.fractionOfCopy >= 0.5,
        }
      : { target: '1:N over 1M face templates ≤ 60 ms (≥ 50% of copy bandwidth)', measured: 'not run', met: null },
  );
  const ready = r.startup?.variants.map((v) => ({ v: v.variant, ms: v.restart.ready.median }));
  targets.push(
    ready && ready.length > 0
      ? {
          target: 'ready ≤ 1.5 s from process start',
          measured: ready.map((x) => `${x.v} ${(x.ms / 1000).toFixed(2)} s`).join(', '),
          met: Math.min(...ready.map((x) => x.ms)) <= 1500,
        }
      : { target: 'ready ≤ 1.5 s from process start', measured: 'not run', met: null },
  );
  return targets;
}

export function toMarkdown(r: BenchReport): string {
  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);
  line(`# Benchmark (${r.date})`);
  line();
  line(`Command: \`${r.command}\`. Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, onnxruntime-node ${r.machine.onnxruntime}, ${r.machine.platform}.`);
  line(`Load average (1, 5, 15 min) at start: ${load(r.loadAverage.start)}; at end: ${load(r.loadAverage.end)}. Times are median / p95 in ms after warm-up.`);
  line(`Repetitions: ${Object.entries(r.repetitions).map(([k, v]) => `${k} ${v.warmup} warm-up + ${v.runs}`).join('; ')}.`);
  line();
  for (const [name, message] of Object.entries(r.errors ?? {})) line(`**Section ${name} failed:** ${message.split('\n')[0]}\n`);
  line('## Targets');
  line();
  line('| target | measured | met |');
  line('|---|---|---|');
  for (const t of r.targets) line(`| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);

  if (r.face) {
    const f = r.face;
    line();
    line('## Face');
    line();
    line(`Photos: ${f.inputs.photos.map((p) => `${p.label} (${p.width}x${p.height})`).join(', ')}; from ${f.inputs.source}.`);
    line(
      f.peer
        ? `Peer: @vladmandic/face-api ${f.peer.faceApi}, tfjs ${f.peer.tfjs}, backend **${f.peer.backend}** (${f.peer.note}); same weight files; ${f.peer.rounds} timed rounds, interleaved with the kiosk's.`
        : `Peer: face-api not run${f.peerError ? ` (${f.peerError})` : ''}.`,
    );
    line();
    line('| stage | kiosk (onnxruntime) | face-api | face-api / kiosk |');
    line('|---|---|---|---|');
    for (const s of f.stages) line(`| ${s.stage} | ${cell(s.ours)} | ${cell(s.faceApi)} | ${ratio(s.speedup)} |`);
    line(
      `| **frame → decision** (${f.inputs.frame}, 1:N over ${f.frame.gallery}, ${f.frame.mode} mode) | ${cell(f.frame.ours)} | ${cell(f.frame.faceApi)} | ${ratio(f.frame.speedup)} |`,
    );
    line(`| frame as the renderer sends it: JPEG, ${(f.frame.jpeg.bytes / 1024).toFixed(0)} KiB → decision | ${cell(f.frame.jpeg.ms)} | – | – |`);
    line();
    line('A clock-in analyses a burst of such frames (and checks liveness across them) before one decision.');
    line();
    const d = f.frame.decision;
    line(
      `Decision on the frame: ${d.accepted ? `accepted employee ${d.employeeId} (the one enrolled from ${f.inputs.enrolled}), score ${d.score.toFixed(3)}` : `rejected (${d.reason})`}` +
        (f.frame.faceApiMatch ? `; face-api's FaceMatcher: ${f.frame.faceApiMatch.label} at distance ${f.frame.faceApiMatch.distance?.toFixed(3)}.` : '.'),
    );
    line();
    line('Per photo, whole pipeline (decode → embed):');
    line();
    line('| photo | kiosk | face-api |');
    line('|---|---|---|');
    for (const p of f.perPhoto) line(`| ${p.photo} | ${cell(p.ours)} | ${cell(p.faceApi)} |`);
    if (f.agreement.length > 0) {
      line();
      line('Embedding agreement (cosine) with face-api:');
      line();
      line("| photo | same dlib chip | same face-api input | each pipeline end to end |");
      line('|---|---|---|---|');
      const c = (v: number | null): string => (v === null ? '–' : v.toFixed(6));
      for (const a of f.agreement) line(`| ${a.photo} | ${c(a.sameDlibChip)} | ${c(a.sameFaceApiChip)} | ${c(a.endToEnd)} |`);
      line();
      line("End to end the two pipelines differ by design: face-api crops an axis-aligned box around its landmarks, the kiosk cuts dlib's rotated, scaled face chip (what the encoder was trained on).");
    }
    line();
    line(`Load average after the face section: ${load(f.loadAverage)}.`);
  }

  if (r.voice) {
    const v = r.voice;
    line();
    line('## Voice');
    line();
    line(`Recordings: ${v.files.map((x) => `${x.label} (${x.seconds.toFixed(2)} s, ${x.speechSeconds.toFixed(2)} s speech)`).join(', ')}. Embedding dimension ${v.embeddingDim}.`);
    line();
    line('| stage | ms |');
    line('|---|---|');
    for (const s of v.stages) line(`| ${s.stage} | ${cell(s.ms)} |`);
    line(`| **VoiceEngine.embedAudio, end to end** | ${cell(v.endToEnd)} |`);
    line();
    line(`Real-time factor: ${v.realTimeFactor.toFixed(3)} (median time / audio duration). Load average: ${load(v.loadAverage)}.`);
  }

  if (r.search && r.search.length > 0) {
    line();
    line('## 1:N search');
    line();
    line('Synthetic templates, 4 per employee, top-2 distinct employees; copy = Float32Array.prototype.set of the same bytes, timed in the same rounds.');
    line();
    line('| modality | dim | energy | templates | MB | search ms | copy ms | search GB/s | copy GB/s | of copy | prototype: onnxruntime scan ms, of copy |');
    line('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const s of r.search) {
      const o = s.onnxScan ? `${cell(s.onnxScan.ms)}, ${pct(s.onnxScan.fractionOfCopy)}${s.onnxScan.sameBest ? '' : ' (best differs!)'}` : '–';
      line(
        `| ${s.modality} | ${s.dim} | ${s.energy} | ${s.templates.toLocaleString('en')} | ${(s.bytes / 1e6).toFixed(1)} | ${cell(s.search)} | ${cell(s.copy)} | ${gb(s.searchBytesPerSecond)} | ${gb(s.copyBytesPerSecond)} | ${pct(s.fractionOfCopy)} | ${o} |`,
      );
    }
    line();
    line(
      'The prototype column is not the kiosk\'s code: the same rows scanned by one onnxruntime MatMul (SIMD, default threads) followed by the same distinct-employee top-2 in JavaScript; "best differs" would flag a disagreement with Gallery.search.',
    );
  }

  if (r.enrolment) {
    const e = r.enrolment;
    line();
    line('## Batch enrollment');
    line();
    line(`${e.photos} photos → embedding → AES-GCM sealed template in SQLite → gallery, images/s (median / p95 of runs; evaluate mode, no quality gates):`);
    line();
    line(`- one at a time through FaceEngine: ${e.oneByOne.median.toFixed(2)} / ${e.oneByOne.p95.toFixed(2)}`);
    line(`- batched encoder, one transaction: ${e.batched.median.toFixed(2)} / ${e.batched.p95.toFixed(2)}`);
  }

  if (r.startup) {
    line();
    line('## Start-up');
    line();
    line('Spawn → "[kiosk] models:" log line (store opened, models loaded) → "Kiosk running at" (HTTP server listening); peak RSS (VmHWM) after one face and one voice clock-in.');
    line();
    line('| variant | first start: models / ready | restart: models / ready | peak RSS MiB |');
    line('|---|---|---|---|');
    for (const v of r.startup.variants) {
      line(`| ${v.variant} (\`${v.command}\`) | ${cell(v.firstStart.modelsLoaded)} / ${cell(v.firstStart.ready)} | ${cell(v.restart.modelsLoaded)} / ${cell(v.restart.ready)} | ${cell(v.peakRssMiB)} |`);
    }
    if (r.startup.compileMs !== null) line(`\nTranspiling src-main/ and src-shared/ into dist-main/ took ${ms(r.startup.compileMs)} ms (not part of start-up).`);
    const served = r.startup.variants[0]?.served ?? [];
    if (served.length > 0) line(`\nServed while measuring RSS: ${served.map((s) => `\`${s}\``).join('; ')}.`);
  }

  if (r.models) {
    const m = r.models;
    line();
    line('## Models: FLOPs, threads, fraction of peak');
    line();
    line(
      'MACs per inference counted from each ONNX graph (Conv, Gemm, MatMul, LSTM; shapes from a profiled onnxruntime run), FLOPs = 2 × MACs. ' +
        `Peak = a ${m.peak.size}³ float32 MatMul through onnxruntime at the same thread setting, in the same rounds. Cells: ms median / p95, GMAC/s, % of peak.`,
    );
    line();
    line(`| model | input | GMACs | params | ${m.threadSettings.map((t) => `threads ${threads(t)}`).join(' | ')} |`);
    line(`|---|---|---|---|${m.threadSettings.map(() => '---').join('|')}|`);
    line(`| peak MatMul | ${m.peak.size}² | ${giga(m.peak.size ** 3)} | – | ${m.peak.timings.map((t) => `${cell(t.ms)}, ${giga(t.macsPerSecond)}`).join(' | ')} |`);
    for (const row of m.models) {
      line(
        `| ${row.id} | ${row.input} | ${giga(row.flops.macs)} | ${(row.flops.parameters / 1e6).toFixed(2)} M | ${row.timings
          .map((t) => `${cell(t.ms)}, ${giga(t.macsPerSecond)}, ${pct(t.fractionOfPeak)}`)
          .join(' | ')} |`,
      );
    }
    line();
    line(
      `Execution providers: CUDA ${m.cuda.provider === 'cuda' ? 'loaded' : `not available here, the kiosk ran on ${m.cuda.provider}`}` +
        (m.cuda.skipped.length > 0 ? ` (onnxruntime: "${m.cuda.skipped.map((s) => s.reason).join('; ')}")` : '') +
        '. Load average: ' +
        load(m.loadAverage) +
        '.',
    );
    if (m.cuda.timings.length > 0) {
      line();
      line('| model | CUDA ms |');
      line('|---|---|');
      for (const t of m.cuda.timings) line(`| ${t.id} | ${cell(t.ms)} |`);
    }
  }
  line();
  return out.join('\n');
}
