/**
 * The kiosk over HTTP, for any Chromium browser on the same machine: `POST /api/<handler>`
 * with a JSON body answers the handler table's Reply as JSON, and GET serves the built
 * renderer. It listens on 127.0.0.1 only, and guards against the ways a web page elsewhere
 * could still reach a loopback server:
 *  - DNS rebinding: the Host header must name the loopback address and this port;
 *  - cross-site requests: an Origin header, when sent, must be this server's own origin, and
 *    the body must be declared application/json (which browsers cannot send cross-origin
 *    without a preflight this server never approves);
 *  - oversized bodies: refused with 413 from the Content-Length header before reading, or as
 *    soon as a streamed body passes the limit, and the connection is closed instead of draining.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KioskError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Dispatch } from '../../handlers/table.js';
import { CSP_HEADER } from '../csp.js';
import { mimeType, resolveStaticFile } from '../static-files.js';

export const LOOPBACK_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
/** An enrollment photo or 30 s of 48 kHz float PCM is at most ~8 MB of base64; camera bursts are far smaller. */
export const DEFAULT_MAX_BODY_BYTES = 12 * 1024 * 1024;

export interface HttpServerOptions {
  readonly dispatch: Dispatch;
  /** The built renderer (dist-renderer/). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Only 127.0.0.1 is accepted; anything else is refused. */
  readonly host?: string;
  readonly maxBodyBytes?: number;
  /** Further origins allowed to call the API, e.g. the vite dev server "http://localhost:5173". */
  readonly extraOrigins?: readonly string[];
  readonly log?: Logger;
}

export interface KioskHttpServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops accepting connections and waits (at most `graceMs`) for requests in flight. */
  close(graceMs?: number): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()',
};

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  EMPTY_INPUT: 400,
  UNAUTHORIZED: 401,
  PIN_REJECTED: 401,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  UNKNOWN_HANDLER: 404,
  DUPLICATE: 409,
  CONFLICT: 409,
  CONSENT_REQUIRED: 409,
  PHRASE_EXPIRED: 410,
  UNDO_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  IMAGE_TOO_LARGE: 413,
  LOCKED_OUT: 429,
  INTERNAL: 500,
  VOICE_UNAVAILABLE: 503,
};

/** Status for a reply's error code; other typed errors (quality gates, bad audio, ...) are 422. */
export function httpStatusFor(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}

export async function startHttpServer(options: HttpServerOptions): Promise<KioskHttpServer> {
  const host = options.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) {
    throw new KioskError('INVALID_INPUT', `The kiosk server listens on ${LOOPBACK_HOST} only, not ${host}.`, { field: 'host' });
  }
  const log = options.log ?? silentLogger;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let port = options.port ?? DEFAULT_PORT;
  const allowed = { hosts: new Set<string>(), origins: new Set<string>() };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('HTTP request failed unexpectedly', error);
      if (!res.headersSent) sendJson(res, 500, { code: 'INTERNAL', message: 'Something went wrong inside the kiosk. The problem was logged.' });
      else res.destroy();
    });
  });
  server.requestTimeout = 120_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowed.hosts.has(hostHeader)) {
      return refuse(res, 403, 'FORBIDDEN_ORIGIN', `Host ${JSON.stringify(hostHeader.slice(0, 100))} is not this kiosk's address.`);
    }
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path.startsWith('/api/')) return api(req, res, path.slice('/api/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return refuse(res, 405, 'INVALID_INPUT', `${req.method} is not allowed here.`);
    }
    return staticFile(req, res, path);
  }

  async function api(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return refuse(res, 405, 'INVALID_INPUT', 'API calls are POST requests.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.origins.has(origin.toLowerCase())) {
      return refuse(res, 403, 'FORBIDDEN_ORIGIN', `Requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed.`);
    }
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, 415, 'INVALID_INPUT', 'The body must be application/json.');

    const body = await readBody(req, maxBodyBytes);
    if (body === 'aborted') return;
    if (body === 'too_large') {
      // Close rather than drain: the sender may keep streaming.
      res.setHeader('connection', 'close');
      res.on('finish', () => req.socket.destroy());
      return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBodyBytes} bytes.`, { maxBytes: maxBodyBytes });
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'INVALID_INPUT', 'The body is not valid JSON.');
    }
    const reply = await options.dispatch(name, input);
    if (reply.ok) return sendJson(res, 200, reply);
    const retryAfter = reply.error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
    return sendJson(res, httpStatusFor(reply.error.code), reply);
  }

  function staticFile(req: IncomingMessage, res: ServerResponse, path: string): void {
    const file = resolveStaticFile(options.staticDir, path);
    if (file === null) {
      if (path === '/' && !existsSync(join(options.staticDir, 'index.html'))) {
        return sendText(res, 503, `The kiosk's screens are not built (${options.staticDir} has no index.html): run "npm run build:renderer".`);
      }
      return sendText(res, 404, 'Not found.');
    }
    setSecurityHeaders(res);
    res.setHeader('content-type', mimeType(file));
    res.setHeader('cache-control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', (error) => {
      log.error(`cannot read ${file}`, error);
      res.destroy();
    });
    stream.pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  for (const name of [`${LOOPBACK_HOST}:${port}`, `localhost:${port}`]) {
    allowed.hosts.add(name);
    allowed.origins.add(`http://${name}`);
  }
  for (const origin of options.extraOrigins ?? []) {
    const url = new URL(origin);
    allowed.hosts.add(url.host.toLowerCase());
    allowed.origins.add(url.origin.toLowerCase());
  }

  return {
    url: `http://${LOOPBACK_HOST}:${port}/`,
    port,
    server,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The body, or 'too_large' as soon as it is known to exceed the limit (from Content-Length or while streaming). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that hangs up mid-body gets no answer (resolving twice is a no-op after 'end').
    req.on('close', () => resolve('aborted'));
    req.on('error', reject);
  });
}

function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  setSecurityHeaders(res);
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string, details?: Record<string, unknown>): void {
  sendJson(res, status, { ok: false, error: details === undefined ? { code, message } : { code, message, details } });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  setSecurityHeaders(res);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
