/**
 * `kiosk serve`: the whole kiosk in a browser (see app/serve-kiosk.ts) on
 * http://127.0.0.1:<port>/ until SIGINT or SIGTERM, then finishes the requests in flight and
 * closes the database.
 */
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../core/logger.js';
import { UsageError, numberOption, stringOption } from './args.js';
import { DEFAULT_MODELS_DIR, type CliIo, type Command } from './command.js';
import { installRoot } from '../core/runtime/install-root.js';

/** Same as the HTTP server's; repeated so this module stays free of the server's imports. */
const DEFAULT_PORT = 8787;
export const DEFAULT_STATIC_DIR = join(installRoot(), 'dist-renderer');
/** KIOSK_HOME overrides it. */
export const DEFAULT_DATA_DIR = join(homedir(), '.attendance-kiosk');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the kiosk in a browser at http://127.0.0.1:<port>/',
  synopsis: ['serve [--port N] [--db FILE] [--models DIR] [--kiosk-id ID] [--time-zone ZONE] [--allow-origin URL] [--central URL]'],
  options: {
    port: { type: 'number', value: '<N>', description: `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)` },
    db: { type: 'string', value: '<FILE>', description: 'SQLite database (default $KIOSK_HOME/kiosk.db, KIOSK_HOME=~/.attendance-kiosk); the template key file kiosk.key is kept beside it' },
    models: { type: 'string', value: '<DIR>', description: "models folder with manifest.json (default: the repository's models/)" },
    static: { type: 'string', value: '<DIR>', description: "built renderer to serve (default: the repository's dist-renderer/)" },
    'kiosk-id': { type: 'string', value: '<ID>', description: 'name recorded on every attendance event (default: the host name)' },
    'time-zone': { type: 'string', value: '<ZONE>', description: "IANA time zone of the kiosk's days (default: the system's)" },
    'allow-origin': { type: 'string', value: '<URL>', description: 'one more origin allowed to call the API (e.g. the vite dev server)' },
    central: {
      type: 'string',
      value: '<URL>',
      description: 'a central PostgreSQL server (postgres://role:password@host/db, as "server add-kiosk" prints): this kiosk then syncs with it; use a --db of its own',
    },
  },

  async run(options, io) {
    const port = numberOption(options, 'port', DEFAULT_PORT) as number;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${port}`);
    const dataDir = process.env.KIOSK_HOME ?? DEFAULT_DATA_DIR;
    const allowOrigin = stringOption(options, 'allow-origin');
    if (allowOrigin !== undefined && !/^https?:\/\/[^/]+$/.test(allowOrigin)) {
      throw new UsageError(`--allow-origin must look like http://host:port, got "${allowOrigin}"`);
    }
    const timeZone = stringOption(options, 'time-zone');
    const central = stringOption(options, 'central');
    if (central !== undefined && !/^postgres(ql)?:\/\//.test(central)) throw new UsageError(`--central must be a postgres:// URL, got "${central.replace(/:[^:@/]*@/, ':***@')}"`);
    const adminPin = process.env.KIOSK_ADMIN_PIN;
    // Imported here, not at the top: the engines load onnxruntime, which other commands' usage text must not need.
    const { startServe } = await import('../app/serve-kiosk.js');
    const running = await startServe({
      dbPath: resolve(stringOption(options, 'db') ?? join(dataDir, 'kiosk.db')),
      modelsDir: resolve(stringOption(options, 'models') ?? DEFAULT_MODELS_DIR),
      staticDir: resolve(stringOption(options, 'static') ?? DEFAULT_STATIC_DIR),
      port,
      kioskId: stringOption(options, 'kiosk-id') ?? hostname().slice(0, 64),
      log: ioLogger(io),
      ...(timeZone === undefined ? {} : { timeZone }),
      ...(allowOrigin === undefined ? {} : { extraOrigins: [allowOrigin] }),
      ...(adminPin === undefined ? {} : { initialAdminPin: adminPin }),
      ...(central === undefined ? {} : { central }),
    });
    io.out(`Kiosk running at ${running.http.url}  (Ctrl+C to stop)`);
    const signal = await nextStopSignal();
    io.err(`${signal}: finishing requests in flight and closing the database...`);
    await running.stop();
    io.err('stopped');
  },
};

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function ioLogger(io: CliIo): Logger {
  return {
    info: (message) => io.err(`[kiosk] ${message}`),
    warn: (message) => io.err(`[kiosk] warning: ${message}`),
    error: (message, error) => io.err(`[kiosk] error: ${message}${error instanceof Error ? `\n${error.stack ?? error.message}` : ''}`),
  };
}
