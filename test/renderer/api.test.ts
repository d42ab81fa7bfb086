// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KioskApiError, call } from '../../src-renderer/lib/api.js';
import { ok, removeBridge, stubBridge } from './bridge.js';

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('api client', () => {
  afterEach(() => {
    removeBridge();
    vi.unstubAllGlobals();
  });

  it('posts JSON to /api/<name> when there is no Electron bridge and returns the value', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: { phraseId: 'p7', text: '오늘도 좋은 하루' } }));
    vi.stubGlobal('fetch', fetch);
    const value = await call('kiosk.phrase', { locale: 'ko' });
    expect(value).toEqual({ phraseId: 'p7', text: '오늘도 좋은 하루' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/kiosk.phrase');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ locale: 'ko' });
  });

  it('turns a typed error reply (any HTTP status) into a KioskApiError with its code', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: false, error: { code: 'INVALID_INPUT', message: 'pin: 4 to 12 digits' } }, 400));
    const err = await call('clock.pin', { code: 'E1', pin: '12' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KioskApiError);
    expect((err as KioskApiError).code).toBe('INVALID_INPUT');
    expect((err as KioskApiError).message).toBe('pin: 4 to 12 digits');
  });

  it('reports a dead server as NETWORK and a non-JSON answer as BAD_REPLY', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await call('kiosk.status', {}).catch((e: KioskApiError) => e.code)).toBe('NETWORK');
    vi.stubGlobal('fetch', async () => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    expect(await call('kiosk.status', {}).catch((e: KioskApiError) => e.code)).toBe('BAD_REPLY');
    vi.stubGlobal('fetch', async () => jsonResponse({ value: 1 }));
    expect(await call('kiosk.status', {}).catch((e: KioskApiError) => e.code)).toBe('BAD_REPLY');
  });

  it('prefers window.kiosk.invoke when the preload provides it', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const invoke = stubBridge({ 'kiosk.status': () => ok<'kiosk.status'>({ ready: true, kioskId: 'k1', models: [], enrolled: 0, livenessMode: 'off', recognition: { face: 'identify', voice: 'verify' } }) });
    expect((await call('kiosk.status', {})).kioskId).toBe('k1');
    expect(invoke).toHaveBeenCalledWith('kiosk.status', {});
    expect(fetch).not.toHaveBeenCalled();
  });
});
