/**
 * The kiosk command line: finds the subcommand, parses its options, runs it, and maps every failure
 * to a message and an exit code (2: usage, 1: the command failed) instead of a stack trace.
 */
import { isKioskError } from '../core/errors.js';
import { UsageError, formatOptions, parseOptions } from './args.js';
import type { CliIo, Command } from './command.js';
import { evalCalibrateCommand } from './eval-calibrate.js';
import { evalFaceCommand } from './eval-face.js';
import { evalIdentifyCommand } from './eval-identify.js';
import { evalLivenessCommand } from './eval-liveness.js';
import { evalVoiceCommand } from './eval-voice.js';
import { serveCommand } from './serve.js';
import { SERVER_COMMANDS } from './server.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const COMMANDS: readonly Command[] = [evalFaceCommand, evalVoiceCommand, evalIdentifyCommand, evalCalibrateCommand, evalLivenessCommand, serveCommand, ...SERVER_COMMANDS];

export function usage(): string {
  const lines = ['Usage: npm run kiosk -- <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(14)} ${c.summary}`);
  lines.push('', 'Run "npm run kiosk -- <command> --help" for its options.');
  return lines.join('\n');
}

export function commandUsage(command: Command): string {
  return ['Usage:', ...command.synopsis.map((s) => `  npm run kiosk -- ${s}`), '', 'Options:', formatOptions(command.options)].join('\n');
}

function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, k) => argv[k] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 1 && (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h')) {
    io.out(usage());
    return EXIT_OK;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    io.err(argv.length === 0 ? 'error: no command given' : `error: unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}"`);
    io.err(usage());
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandUsage(command));
    return EXIT_OK;
  }
  try {
    await command.run(parseOptions(rest, command.options), io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err(commandUsage(command));
      return EXIT_USAGE;
    }
    if (isKioskError(error)) {
      io.err(`error [${error.code}]: ${error.message}`);
      return EXIT_FAILED;
    }
    // An unexpected failure is a bug: one line here, the stack only on request.
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.KIOSK_DEBUG) io.err(error instanceof Error ? (error.stack ?? '') : '');
    return EXIT_FAILED;
  }
}
