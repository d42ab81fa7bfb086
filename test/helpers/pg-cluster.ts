/**
 * A throw-away PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start` on a
 * free loopback port with its socket in that folder, stopped and removed by `stop()`. The system
 * cluster is never used or touched. Tests skip with a message when the binaries are absent
 * (`hasPostgres`); Debian's `postgresql` package provides them (`.ci/run` installs it).
 *
 * initdb refuses to run as root, so when the tests run as root the cluster is created and run as
 * the `postgres` user (runuser), and the folder is handed to that user first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Debian's layout first (the newest version installed), then whatever is on PATH. */
function findBinDir(): string | null {
  const fromEnv = process.env.KIOSK_PG_BIN;
  if (fromEnv !== undefined) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return which.status === 0 && path !== '' ? path.replace(/\/initdb$/, '') : null;
}

const binDir = findBinDir();
const asRoot = userInfo().uid === 0;
const runAsPostgres = asRoot && spawnSync('id', ['-u', 'postgres']).status === 0;

/** Whether a throw-away cluster can be started here. */
export const hasPostgres = binDir !== null && (!asRoot || runAsPostgres);
export const postgresSkipReason =
  binDir === null
    ? 'PostgreSQL binaries (initdb, pg_ctl) not found: install Debian\'s postgresql (apt-get install -y postgresql) or set KIOSK_PG_BIN; central tests are skipped'
    : 'running as root without a postgres user to run initdb as; central tests are skipped';

if (!hasPostgres) console.warn(`[tests] ${postgresSkipReason}`);

export interface PgCluster {
  readonly port: number;
  readonly host: string;
  /** A superuser connection URL to database `db` (created with createDatabase). */
  url(db?: string, user?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut), keeping its files. */
  stopServer(): void;
  /** Starts it again on the same port. */
  startServer(): void;
  /** Stops the server and removes its folder. */
  stop(): void;
}

const SUPERUSER = 'postgres';

function run(binary: string, args: readonly string[]): string {
  const bin = join(binDir as string, binary);
  const [file, argv] = runAsPostgres ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startCluster(): Promise<PgCluster> {
  if (!hasPostgres) throw new Error(postgresSkipReason);
  const root = mkdtempSync(join(tmpdir(), 'kiosk-pg-'));
  chmodSync(root, 0o700);
  if (runAsPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dataDir = join(root, 'data');
  let port = await freePort();
  const host = '127.0.0.1';
  run('initdb', ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const options = (): string => `-c listen_addresses=${host} -p ${port} -c unix_socket_directories=${root} -c fsync=off -c max_connections=60 -c shared_buffers=16MB`;
  const start = (): void => {
    run('pg_ctl', ['-D', dataDir, '-o', options(), '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stopServer = (): void => {
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
    } catch {
      // Already stopped.
    }
  };
  // Test files start clusters in parallel: a port found free can be taken before this one binds it.
  for (let attempt = 1; ; attempt++) {
    try {
      start();
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(root, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  const url = (db = 'postgres', user = SUPERUSER): string => `postgres://${user}@${host}:${port}/${db}`;
  return {
    port,
    host,
    url,
    async createDatabase(name: string): Promise<string> {
      run('createdb', ['-h', host, '-p', String(port), '-U', SUPERUSER, name]);
      return url(name);
    },
    stopServer,
    startServer: start,
    stop(): void {
      stopServer();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
