/**
 * The kiosk as a user runs it: the renderer built with vite into a temporary folder, then
 * `kiosk serve` as a child process on a free port with its own database. The test talks to it
 * through a browser and, to check what was written, through the same HTTP API.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export interface KioskProcess {
  readonly url: string;
  /** POST /api/<name>: the handler's value, or throws with the typed error's code. */
  api<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Everything the server wrote to stderr so far (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** The test runner's variables (VITEST, NODE_ENV=test) would change how vite builds and the kiosk runs. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') delete env[key];
  return env;
}

/** `vite build` of the renderer into `outDir` (the repository's dist-renderer/ is left alone). */
export function buildRenderer(outDir: string): Promise<void> {
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  return run(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], childEnv());
}

/** `central`: the kiosk's postgres:// URL (serve --central), for the several-kiosks run. */
export async function startKiosk(options: { dbPath: string; staticDir: string; kioskId: string; timeZone: string; central?: string }): Promise<KioskProcess> {
  const args = ['--import', 'tsx', join(repoRoot, 'src-main/cli/kiosk.ts'), 'serve', '--port', '0', '--db', options.dbPath];
  args.push('--static', options.staticDir, '--kiosk-id', options.kioskId, '--time-zone', options.timeZone);
  if (options.central !== undefined) args.push('--central', options.central);
  // No KIOSK_ADMIN_PIN: a new database gets the documented first-run PIN, as on a fresh install.
  const env = childEnv();
  delete env.KIOSK_ADMIN_PIN;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, { cwd: repoRoot, env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Kiosk running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`kiosk serve exited with ${code} before listening:\n${stderr}`)));
  });

  return {
    url,
    log: () => stderr,
    async api<T>(name: string, input: unknown): Promise<T> {
      const response = await fetch(`${url}api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const reply = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
      if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
      return reply.value;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}
