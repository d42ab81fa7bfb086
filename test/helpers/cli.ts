/** Runs the kiosk CLI in-process and captures what it prints. */
import { runCli } from '../../src-main/cli/run-cli.js';

export async function runCaptured(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
