/**
 * A real kiosk for the service, handler and transport tests: a SQLite file in a temp folder,
 * the repository's ONNX models, a manual clock and a fixed time zone. Only scrypt is made
 * cheaper (same algorithm, lower cost) so PIN-heavy tests stay quick.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '../../src-main/core/logger.js';
import { openKiosk } from '../../src-main/app/open-kiosk.js';
import type { Kiosk } from '../../src-main/handlers/kiosk.js';
import type { ScryptCost } from '../../src-main/core/auth/pin-hash.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import type { HandlerName, Outputs, Reply } from '../../src-shared/contract.js';
import { createDispatcher, createHandlers, type Dispatch } from '../../src-main/handlers/table.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';

export const modelsDir = join(repoRoot, 'models');
export const hasModels = ['manifest.json', 'face-detector-ssd-mobilenet-v1.onnx', 'face-landmarks-68.onnx', 'face-encoder-dlib-resnet.onnx'].every(
  (file) => existsSync(join(modelsDir, file)),
);
if (!hasModels) console.warn('[tests] face models missing (run "npm run build:models"): kiosk service tests are skipped.');

export const webcam = (name: string): string => data('faces/webcam', name);
export const hasWebcamPhotos = hasData && ['obama.jpg', 'obama2.jpg', 'biden.jpg'].every((f) => existsSync(webcam(f)));
if (!hasWebcamPhotos) console.warn('[tests] ../shared/data/faces/webcam missing: face enrollment and clock-in tests are skipped.');

/** face-api's demo photos: every one shows several people. */
export const faceApiSample = (n: number): string => join(repoRoot, 'node_modules/@vladmandic/face-api/demo', `sample${n}.jpg`);

export const TEST_ADMIN_PIN = '246810';
export const FAST_SCRYPT: ScryptCost = { log2N: 10, r: 8, p: 1 };
export const TIME_ZONE = 'Asia/Seoul';

export const base64Of = (path: string): string => readFileSync(path).toString('base64');

export class ManualClock {
  constructor(private t: number) {}
  readonly now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestKiosk {
  readonly kiosk: Kiosk;
  readonly dispatch: Dispatch;
  readonly clock: ManualClock;
  readonly dir: string;
  readonly dbPath: string;
  readonly key: Buffer;
  close(): Promise<void>;
}

export interface TestKioskOptions {
  readonly modelsDir?: string;
  readonly dir?: string;
  readonly key?: Buffer;
  readonly log?: Logger;
  /** 09:00 in Seoul by default. */
  readonly start?: string;
}

export async function openTestKiosk(options: TestKioskOptions = {}): Promise<TestKiosk> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kiosk-app-'));
  const dbPath = join(dir, 'kiosk.db');
  const clock = new ManualClock(Date.parse(options.start ?? '2025-03-10T00:00:00.000Z'));
  const key = options.key ?? randomBytes(32);
  const log = options.log ?? silentLogger;
  const kiosk = await openKiosk({
    dbPath,
    cipher: new Aes256GcmCipher(key),
    modelsDir: options.modelsDir ?? modelsDir,
    kioskId: 'test-kiosk',
    timeZone: TIME_ZONE,
    now: clock.now,
    initialAdminPin: TEST_ADMIN_PIN,
    scryptCost: FAST_SCRYPT,
    log,
  });
  return {
    kiosk,
    dispatch: createDispatcher(createHandlers(kiosk), log),
    clock,
    dir,
    dbPath,
    key,
    close: async () => {
      await kiosk.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The handler's value; fails with the error code when the reply is an error. */
export async function call<N extends HandlerName>(dispatch: Dispatch, name: N, input: unknown): Promise<Outputs[N]> {
  const reply = (await dispatch(name, input)) as Reply<N>;
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

/** The error of a reply that must fail. */
export async function failure(dispatch: Dispatch, name: string, input: unknown): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const reply = await dispatch(name, input);
  if (reply.ok) throw new Error(`${name} was expected to fail but answered ${JSON.stringify(reply.value).slice(0, 200)}`);
  return reply.error;
}

export async function adminToken(dispatch: Dispatch): Promise<string> {
  return (await call(dispatch, 'admin.login', { pin: TEST_ADMIN_PIN })).token;
}
