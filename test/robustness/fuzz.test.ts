/**
 * Fuzz: more than 10,000 malformed payloads per transport, spread over every handler of the
 * contract, from a seeded generator (KIOSK_FUZZ_SEED overrides the seed; a failure names the
 * seed, handler and payload kind). Over HTTP they are real requests to the real server on
 * 127.0.0.1; over IPC they go through the listener main.ts registers for 'kiosk:invoke', after
 * a structured clone as Electron's IPC makes. Both serve one real kiosk (SQLite file, ONNX
 * models). Every reply must be a typed error — a known KioskError code, never INTERNAL — and
 * nothing may be logged as an unexpected failure; afterwards the kiosk still answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src-main/core/logger.js';
import { isKioskErrorCode } from '../../src-shared/error-codes.js';
import type { HandlerName } from '../../src-shared/contract.js';
import { httpStatusFor, startHttpServer, type KioskHttpServer } from '../../src-main/transport/http/server.js';
import { createInvokeListener } from '../../src-main/transport/ipc/invoke-listener.js';
import { APP_ENTRY_URL } from '../../src-main/transport/ipc/window-config.js';
import { TEST_ADMIN_PIN, adminToken, call, hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { handlerNames, malformedPayload, type Flavour, type FuzzTargets, type Malformed } from './malformed.js';
import { Prng } from './prng.js';

const SEED = Number(process.env.KIOSK_FUZZ_SEED ?? 20_250_310);
/** 26 handlers × 460 = 11,960 payloads per transport. */
const PER_HANDLER = 460;
const MIN_PER_TRANSPORT = 10_000;


/** Why `reply` is not a typed error, or null when it is one. */
function notATypedError(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null) return `reply is ${String(reply)}`;
  const { ok, error } = reply as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (ok !== false) return `reply is not an error: ${JSON.stringify(reply).slice(0, 200)}`;
  if (typeof error?.code !== 'string' || !isKioskErrorCode(error.code)) return `unknown error code ${String(error?.code)}`;
  if (error.code === 'INTERNAL') return 'INTERNAL (an unexpected exception)';
  if (typeof error.message !== 'string' || error.message.length === 0) return 'error without a message';
  return null;
}

/** The payloads in sending order: round after round, every handler once per round in a shuffled order. */
function* schedule(targets: FuzzTargets, flavour: Flavour): Generator<{ name: HandlerName; index: number } & Malformed> {
  const rng = new Prng(SEED ^ (flavour === 'json' ? 0x1f2e3d4c : 0x5a6b7c8d));
  const names = handlerNames();
  for (let round = 0; round < PER_HANDLER; round++) {
    const order = [...names];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const name of order) yield { name, index: round, ...malformedPayload(name, rng, targets, flavour) };
  }
}

interface Tally {
  sent: number;
  perHandler: Map<string, number>;
  kinds: Map<string, number>;
  codes: Map<string, number>;
  problems: string[];
}

const tally = (): Tally => ({ sent: 0, perHandler: new Map(), kinds: new Map(), codes: new Map(), problems: [] });
const bump = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);

function record(t: Tally, name: string, kind: string, reply: unknown, problem: string | null): void {
  t.sent++;
  bump(t.perHandler, name);
  bump(t.kinds, kind);
  bump(t.codes, String((reply as { error?: { code?: unknown } } | null)?.error?.code));
  if (problem !== null && t.problems.length < 20) t.problems.push(`seed ${SEED} ${name} (${kind}): ${problem}`);
}

/**
 * Codes only the services behind validation raise: their presence shows the payloads reached the
 * session check, the store, the PIN limiter and the image and audio decoders, not only the schemas.
 */
const SERVICE_CODES = ['UNAUTHORIZED', 'NOT_FOUND', 'DUPLICATE', 'PIN_REJECTED', 'LOCKED_OUT', 'CORRUPT_IMAGE', 'UNSUPPORTED_FORMAT', 'IMAGE_TOO_LARGE'];

describe.skipIf(!hasModels)('fuzz: malformed payloads to every handler over both transports', () => {
  let t: TestKiosk;
  let targets: FuzzTargets;
  let http: KioskHttpServer;
  let staticDir: string;
  const unexpected: string[] = [];
  const log: Logger = { info: () => undefined, warn: () => undefined, error: (message, error) => unexpected.push(`${message}: ${String(error)}`) };

  beforeAll(async () => {
    t = await openTestKiosk({ log });
    const token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'FUZZ1', name: '퍼즈 대상' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
    targets = { token, adminPin: TEST_ADMIN_PIN, consentedEmployeeId: employee.id, existingCode: 'FUZZ1' };
    staticDir = mkdtempSync(join(tmpdir(), 'kiosk-fuzz-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    http = await startHttpServer({ dispatch: t.dispatch, staticDir, port: 0, log });
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  /** With the voice models installed, junk audio must reach the audio checks too. */
  const serviceCodes = (): string[] => [...SERVICE_CODES, ...(t.kiosk.context.voice === null ? ['VOICE_UNAVAILABLE'] : ['BAD_AUDIO', 'PHRASE_EXPIRED', 'CODE_REQUIRED'])];

  const stillAnswers = async (): Promise<void> => {
    expect(await call(t.dispatch, 'kiosk.status', {})).toMatchObject({ ready: true });
    // The admin session used as a target survived: no payload signed it out or changed the PIN.
    expect((await call(t.dispatch, 'admin.employees.list', { token: targets.token, includeInactive: true })).employees.map((e) => e.code)).toEqual(['FUZZ1']);
  };

  it('IPC: every payload through the kiosk:invoke listener is answered with a typed error', async () => {
    const listen = createInvokeListener(t.dispatch);
    const fromApp = { senderFrame: { url: APP_ENTRY_URL } };
    const result = tally();
    for (const item of schedule(targets, 'clone')) {
      // The payload is already what Electron's IPC delivers: a structured clone of what was sent.
      const reply = await listen(fromApp, item.name, item.payload);
      record(result, item.name, item.kind, reply, notATypedError(reply));
    }
    // The same listener refuses other senders and names outside the contract.
    const rng = new Prng(SEED);
    for (let i = 0; i < 100; i++) {
      const sender = rng.pick([{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }, {}]);
      const refused = await listen(sender, rng.pick(handlerNames()), {});
      record(result, 'wrong-sender', 'sender', refused, notATypedError(refused));
      const name = rng.pick<unknown>(['__proto__', 'constructor', '', 'kiosk.status ', 'KIOSK.STATUS', 42, null, ['kiosk.status'], { name: 'x' }, 'x'.repeat(10_000)]);
      const unknown = await listen(fromApp, name, {});
      record(result, 'unknown-handler', 'name', unknown, notATypedError(unknown));
    }

    console.info(`[fuzz] IPC, seed ${SEED}: ${result.sent} payloads; replies by code`, Object.fromEntries(result.codes));
    expect(result.problems).toEqual([]);
    expect(result.sent).toBeGreaterThanOrEqual(MIN_PER_TRANSPORT);
    for (const name of handlerNames()) expect(result.perHandler.get(name), name).toBeGreaterThanOrEqual(PER_HANDLER);
    for (const kind of ['junk', 'random-object', 'missing', 'extra', 'mutated', 'semantic']) expect(result.kinds.get(kind) ?? 0, kind).toBeGreaterThan(100);
    for (const code of [...serviceCodes(), 'FORBIDDEN_ORIGIN', 'UNKNOWN_HANDLER']) expect(result.codes.get(code) ?? 0, code).toBeGreaterThan(0);
    expect(unexpected).toEqual([]);
    await stillAnswers();
  }, 240_000);

  it('HTTP: every payload as a real request to the server on 127.0.0.1 is answered with a typed error and its status', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const host = `127.0.0.1:${http.port}`;
    const send = (path: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: http.port, method, path, agent, headers: { host, 'content-type': 'application/json', ...headers } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const parse = (text: string): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        return `not JSON: ${text.slice(0, 100)}`;
      }
    };

    const result = tally();
    const items = schedule(targets, 'json');
    const worker = async (): Promise<void> => {
      for (let next = items.next(); !next.done; next = items.next()) {
        const item = next.value;
        const response = await send(`/api/${item.name}`, JSON.stringify(item.payload));
        const reply = parse(response.body);
        let problem = notATypedError(reply);
        const code = (reply as { error?: { code?: string } }).error?.code;
        if (problem === null && response.status !== httpStatusFor(code!)) problem = `status ${response.status} for ${code}`;
        record(result, item.name, item.kind, reply, problem);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    // Malformed at the HTTP level: bodies that are not JSON, wrong media types and methods, odd paths, foreign hosts.
    const rng = new Prng(SEED + 1);
    const httpJunk: ((name: HandlerName) => Promise<{ status: number; body: string }>)[] = [
      (name) => send(`/api/${name}`, Buffer.from(rng.bytes(1 + rng.int(200)))),
      (name) => send(`/api/${name}`, '{"token": "x",'),
      (name) => send(`/api/${name}`, '{}', { 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '']) }),
      (name) => send(`/api/${name}`, '', {}, rng.pick(['GET', 'PUT', 'DELETE', 'PATCH'])),
      () => send(`/api/${rng.pick(['..%2f..%2fetc%2fpasswd', '%00', 'admin.login%20', '__proto__', 'x'.repeat(2000)])}`, '{}'),
      (name) => send(`/api/${name}`, '{}', { host: rng.pick(['evil.example', `attacker.example:${http.port}`]) }),
    ];
    for (let i = 0; i < 300; i++) {
      const variant = rng.int(httpJunk.length);
      const reply = parse((await httpJunk[variant]!(rng.pick(handlerNames()))).body);
      record(result, `http-${variant}`, 'http', reply, notATypedError(reply));
    }
    agent.destroy();

    console.info(`[fuzz] HTTP, seed ${SEED}: ${result.sent} requests; replies by code`, Object.fromEntries(result.codes));
    expect(result.problems).toEqual([]);
    for (const code of [...serviceCodes(), 'FORBIDDEN_ORIGIN', 'UNKNOWN_HANDLER']) expect(result.codes.get(code) ?? 0, code).toBeGreaterThan(0);
    expect(result.sent).toBeGreaterThanOrEqual(MIN_PER_TRANSPORT);
    for (const name of handlerNames()) expect(result.perHandler.get(name), name).toBeGreaterThanOrEqual(PER_HANDLER);
    expect(unexpected).toEqual([]);
    await stillAnswers();
  }, 240_000);
});
