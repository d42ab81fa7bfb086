/**
 * The 127.0.0.1 transport on a real kiosk: static files (safe against traversal, with MIME and
 * CSP), the API (typed replies, status codes), the body limit (413 without reading the rest),
 * DNS-rebinding and cross-origin guards, and a Korean name round trip through HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER } from '../../src-main/transport/csp.js';
import { startHttpServer, type KioskHttpServer } from '../../src-main/transport/http/server.js';
import { TEST_ADMIN_PIN, hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request exactly as written: node:http does not normalise the path, unlike fetch. */
function raw(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.skipIf(!hasModels)('HTTP transport', () => {
  let t: TestKiosk;
  let http: KioskHttpServer;
  let small: KioskHttpServer;
  let root: string;
  let outside: string;
  const api = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    raw(http.port, 'POST', `/api/${name}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await openTestKiosk();
    outside = mkdtempSync(join(tmpdir(), 'kiosk-static-'));
    root = join(outside, 'dist-renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
    writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET');
    http = await startHttpServer({ dispatch: t.dispatch, staticDir: root, port: 0 });
    small = await startHttpServer({ dispatch: t.dispatch, staticDir: root, port: 0, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await http?.close();
    await small?.close();
    await t?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only and refuses any other address', async () => {
    expect(http.url).toBe(`http://127.0.0.1:${http.port}/`);
    await expect(startHttpServer({ dispatch: t.dispatch, staticDir: root, port: 0, host: '0.0.0.0' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('serves the renderer with the right MIME types and the CSP header', async () => {
    const index = await raw(http.port, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CSP_HEADER);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toContain('<title>kiosk</title>');
    expect((await raw(http.port, 'GET', '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(http.port, 'GET', '/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await raw(http.port, 'HEAD', '/index.html');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/%00index.html', '/%E0%A4%A', '//secret.txt']) {
      const response = await raw(http.port, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('TOP-SECRET');
    }
  });

  it('answers 404 for unknown routes and a typed UNKNOWN_HANDLER for unknown API names', async () => {
    expect((await raw(http.port, 'GET', '/nope.html')).status).toBe(404);
    const unknown = await api('nope', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
    expect((await raw(http.port, 'GET', '/api/kiosk.status')).status).toBe(405);
    expect((await raw(http.port, 'DELETE', '/')).status).toBe(405);
  });

  it('answers typed replies: 200 with a value, 400 for bad JSON or input, 415 for a non-JSON body', async () => {
    const status = await api('kiosk.status', {});
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { ready: true, kioskId: 'test-kiosk' } });
    const badJson = await raw(http.port, 'POST', '/api/kiosk.status', { headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect([badJson.status, JSON.parse(badJson.body).error.code]).toEqual([400, 'INVALID_INPUT']);
    const badInput = await api('clock.pin', { code: 1 });
    expect([badInput.status, JSON.parse(badInput.body).error.code]).toEqual([400, 'INVALID_INPUT']);
    const text = await raw(http.port, 'POST', '/api/kiosk.status', { headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect([text.status, JSON.parse(text.body).error.code]).toEqual([415, 'INVALID_INPUT']);
  });

  it('refuses an oversized body with 413 and a typed error, from the declared length or while streaming', async () => {
    // Only the headers are sent: the answer must come without the server waiting for the 10 MB.
    const declared = await new Promise<RawResponse>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: small.port, method: 'POST', path: '/api/kiosk.status', headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', () => undefined);
      req.flushHeaders();
      setTimeout(() => reject(new Error('no answer')), 20_000);
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.connection).toBe('close');
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 64 * 1024 } } });
    const streamed = await new Promise<RawResponse>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: small.port, method: 'POST', path: '/api/kiosk.status', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', () => undefined); // the server closes the connection after answering
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && req.write(chunk)) sent++;
        if (sent < 200) req.once('drain', pump);
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 20_000);
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect((await raw(small.port, 'POST', '/api/kiosk.status', { headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
  });

  it('refuses a Host that is not the loopback address and port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${http.port}`, '127.0.0.1:1', `192.168.1.2:${http.port}`]) {
      const response = await raw(http.port, 'GET', '/', { headers: { host } });
      expect(response.status, host).toBe(403);
      expect(JSON.parse(response.body).error.code).toBe('FORBIDDEN_ORIGIN');
    }
    const rebound = await api('kiosk.status', {}, { host: `attacker.example:${http.port}` });
    expect(rebound.status).toBe(403);
    expect((await raw(http.port, 'GET', '/', { headers: { host: `localhost:${http.port}` } })).status).toBe(200);
  });

  it('refuses API calls from another origin, accepts its own', async () => {
    const foreign = await api('kiosk.status', {}, { origin: 'https://evil.example' });
    expect([foreign.status, JSON.parse(foreign.body).error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    expect((await api('kiosk.status', {}, { origin: `http://127.0.0.1:${http.port}` })).status).toBe(200);
  });

  it('round-trips a Korean name and department through HTTP, into the CSV', async () => {
    const login = JSON.parse((await api('admin.login', { pin: TEST_ADMIN_PIN })).body);
    const token = login.value.token as string;
    const created = JSON.parse((await api('admin.employees.create', { token, code: '직원-7', name: '김민준', department: '개발팀' })).body);
    expect(created).toMatchObject({ ok: true, value: { employee: { code: '직원-7', name: '김민준', department: '개발팀' } } });
    const list = JSON.parse((await api('admin.employees.list', { token })).body);
    expect(list.value.employees.map((e: { name: string }) => e.name)).toContain('김민준');
    // NFD jamo (as some IMEs type it) is stored NFC, so both spellings are the same name.
    const nfd = JSON.parse((await api('admin.employees.create', { token, code: 'K2', name: '이서연'.normalize('NFD') })).body);
    expect(nfd.value.employee.name).toBe('이서연');
    await api('admin.employees.create', { token, code: 'K3', name: '박지우', pin: '4321' });
    await api('clock.pin', { code: 'K3', pin: '4321' });
    const day = t.clock.now().toISOString().slice(0, 10);
    const csv = JSON.parse((await api('reports.csv', { token, from: day, to: day })).body).value.csv as string;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('K3,박지우,,');
  });

  it('tells a locked-out admin when to retry (429 + Retry-After)', async () => {
    for (let i = 0; i < 5; i++) await api('admin.login', { pin: '000000' });
    const locked = await api('admin.login', { pin: TEST_ADMIN_PIN });
    expect(locked.status).toBe(429);
    expect(JSON.parse(locked.body).error.code).toBe('LOCKED_OUT');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
