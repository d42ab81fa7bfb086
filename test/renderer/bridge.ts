/**
 * Stubs the renderer's true boundary, `window.kiosk.invoke` (the Electron preload), so the
 * real api client, components and i18n run against scripted replies.
 */
import { cleanup } from '@testing-library/svelte';
import { vi } from 'vitest';
import type { HandlerInput, HandlerName, Outputs, Reply } from '../../src-main/handlers/contract.js';
import type { KioskBridge } from '../../src-renderer/lib/api.js';

type Handler<N extends HandlerName> = (input: HandlerInput<N>) => Reply<N> | Promise<Reply<N>>;
export type Handlers = { [N in HandlerName]?: Handler<N> };

export const ok = <N extends HandlerName>(value: Outputs[N]): Reply<N> => ({ ok: true, value });
export const fail = (
  code: string,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } } => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/** Installs the stub and returns the spy; unlisted handlers answer a typed NOT_STUBBED error. */
export function stubBridge(handlers: Handlers) {
  const invoke = vi.fn(async (name: HandlerName, input: unknown) => {
    const handler = handlers[name] as ((input: unknown) => unknown) | undefined;
    return handler ? handler(input) : fail('NOT_STUBBED', `no stub for ${name}`);
  });
  window.kiosk = { invoke } as unknown as KioskBridge;
  return invoke;
}

/** Unmounts first: components still mounted would otherwise fall back to fetch on teardown. */
export function removeBridge(): void {
  cleanup();
  delete window.kiosk;
}

/** Inputs the stub received for one handler, in order. */
export function callsTo(invoke: ReturnType<typeof stubBridge>, name: HandlerName): unknown[] {
  return invoke.mock.calls.filter(([n]) => n === name).map(([, input]) => input);
}

/** Replaces navigator.mediaDevices for one test (happy-dom has none). */
export function stubMediaDevices(getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>) {
  const spy = vi.fn(getUserMedia);
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: spy, enumerateDevices: async () => [] },
  });
  return spy;
}

export function removeMediaDevices(): void {
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: undefined });
}
