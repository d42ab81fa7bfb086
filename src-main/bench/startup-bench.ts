/**
 * Start-up: a child process runs `kiosk serve` (store, models, HTTP server) and the clock
 * runs from spawn() until it prints its "Kiosk running at" line; the "[kiosk] models:" log
 * line marks the models loaded. Each run starts once on a new database (migrations, first
 * admin PIN hash) and once more on that same database (a kiosk's everyday restart); the
 * restarted kiosk then serves face and voice clock-ins over HTTP, and its peak resident
 * memory is read from /proc/<pid>/status (VmHWM).
 * Two ways to start: through tsx (TypeScript compiled on the fly, as `npm run kiosk`) and
 * compiled JavaScript in dist-main/ (transpiled here with TypeScript's transpileModule,
 * the same JavaScript `npm run build:main` emits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { decodeWav } from '../core/voice/pcm.js';
import { faceInputs, repoRoot, speechFiles } from './inputs.js';
import { summarize, type Summary } from './stats.js';
import { loadAverage } from './timing.js';

export interface StartupVariant {
  readonly variant: 'tsx' | 'compiled';
  readonly command: string;
  readonly firstStart: { modelsLoaded: Summary; ready: Summary };
  readonly restart: { modelsLoaded: Summary; ready: Summary };
  /** Peak RSS (VmHWM) after serving the clock-ins, MiB. */
  readonly peakRssMiB: Summary;
  readonly served: string[];
}

export interface StartupBenchResult {
  readonly variants: StartupVariant[];
  readonly compileMs: number | null;
  readonly loadAverage: [number, number, number];
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly modelsLoadedMs: number;
  readonly readyMs: number;
}

const READY_TIMEOUT_MS = 120_000;

function startKiosk(args: readonly string[], home: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...args, 'serve', '--port', '0', '--db', join(home, 'kiosk.db')], {
      cwd: repoRoot,
      env: { ...process.env, KIOSK_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let modelsLoadedMs = NaN;
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kiosk serve was not ready within ${READY_TIMEOUT_MS} ms:\n${output.slice(-2000)}`));
    }, READY_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (Number.isNaN(modelsLoadedMs) && output.includes('[kiosk] models:')) modelsLoadedMs = performance.now() - start;
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kiosk running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!.replace(/\/$/, ''), modelsLoadedMs, readyMs: performance.now() - start });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiosk serve exited with code ${code}:\n${output.slice(-2000)}`));
    });
  });
}

async function stopKiosk(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function post(url: string, handler: string, body: unknown): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/${handler}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A face clock-in (a JPEG frame) and a voice clock-in (a sentence), so every model has run once. */
async function serveClockIns(url: string): Promise<string[]> {
  const served: string[] = [];
  const frame = readFileSync(faceInputs().framePhoto.path).toString('base64');
  const face = await post(url, 'clock.face', { frames: [frame] });
  served.push(`clock.face: HTTP ${face.status} ${face.text.slice(0, 120)}`);
  const speech = speechFiles(1)[0];
  if (speech) {
    const phrase = await post(url, 'kiosk.phrase', { locale: 'en' });
    const phraseId = (JSON.parse(phrase.text) as { value?: { phraseId?: string } }).value?.phraseId;
    const pcm = decodeWav(readFileSync(speech.path));
    const pcmBase64 = Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength).toString('base64');
    const voice = await post(url, 'clock.voice', { phraseId: phraseId ?? 'none', pcmBase64, sampleRate: pcm.sampleRate });
    served.push(`clock.voice: HTTP ${voice.status} ${voice.text.slice(0, 120)}`);
  }
  return served;
}

function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function benchVariant(variant: StartupVariant['variant'], args: readonly string[], runs: number, log: (line: string) => void): Promise<StartupVariant> {
  const first = { modelsLoaded: [] as number[], ready: [] as number[] };
  const again = { modelsLoaded: [] as number[], ready: [] as number[] };
  const rss: number[] = [];
  let served: string[] = [];
  for (let run = 0; run < runs; run++) {
    log(`startup (${variant}): run ${run + 1}/${runs}`);
    const home = mkdtempSync(join(tmpdir(), 'kiosk-bench-home-'));
    try {
      const fresh = await startKiosk(args, home);
      await stopKiosk(fresh.child);
      first.modelsLoaded.push(fresh.modelsLoadedMs);
      first.ready.push(fresh.readyMs);
      const restarted = await startKiosk(args, home);
      try {
        again.modelsLoaded.push(restarted.modelsLoadedMs);
        again.ready.push(restarted.readyMs);
        served = await serveClockIns(restarted.url);
        if (process.platform === 'linux') rss.push(peakRssMiB(restarted.child.pid!));
      } finally {
        await stopKiosk(restarted.child);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  const both = (s: { modelsLoaded: number[]; ready: number[] }) => ({ modelsLoaded: summarize(s.modelsLoaded), ready: summarize(s.ready) });
  return {
    variant,
    command: `node ${args.map((a) => (a.startsWith('/') ? relative(repoRoot, a) : a)).join(' ')} serve --port 0 --db <new dir>/kiosk.db`,
    firstStart: both(first),
    restart: both(again),
    peakRssMiB: rss.length > 0 ? summarize(rss) : summarize([NaN]),
    served,
  };
}

/** Transpiles src-main/ and src-shared/ into dist-main/ as `npm run build:main` lays them out (dist-main/src-main/…). */
export function transpileMain(): number {
  const start = performance.now();
  const out = join(repoRoot, 'dist-main');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  for (const file of ['src-main', 'src-shared'].flatMap((dir) => walk(join(repoRoot, dir)))) {
    if (!/\.c?ts$/.test(file) || file.endsWith('.d.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: file.endsWith('.cts') ? ts.ModuleKind.CommonJS : ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = join(out, relative(repoRoot, file)).replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return performance.now() - start;
}

export async function benchStartup(runs: number, compiled: boolean, log: (line: string) => void): Promise<StartupBenchResult> {
  const variants = [await benchVariant('tsx', ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts')], runs, log)];
  let compileMs: number | null = null;
  if (compiled) {
    log('startup: transpiling src-main/ and src-shared/ into dist-main/');
    compileMs = transpileMain();
    const entry = join(repoRoot, 'dist-main/src-main/cli/kiosk.js');
    if (existsSync(entry)) variants.push(await benchVariant('compiled', [entry], runs, log));
  }
  return { variants, compileMs, loadAverage: loadAverage() };
}
