/**
 * Stubs the renderer's true boundary, `window.kiosk.invoke` (the Electron preload), so the
 * real api client, components and i18n run against scripted replies.
 */
import { cleanup } from '@testing-library/svelte';
import { vi } from 'vitest';
import type { HandlerInput, HandlerName, Outputs, Reply } from '../../src-shared/contract.js';
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

/** A tiny JPEG-looking payload: the stubbed service never decodes it. */
export const FAKE_JPEG_BASE64 = '/9j/4AAQSkZJRg==';

type Shadowed = { target: object; key: string; original: PropertyDescriptor | undefined };
let shadowed: Shadowed[] = [];

function shadow(target: object, key: string, descriptor: PropertyDescriptor): void {
  shadowed.push({ target, key, original: Object.getOwnPropertyDescriptor(target, key) });
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
}

/**
 * A camera that delivers frames: getUserMedia gives a stream, the video reports a 640x480
 * picture, and the canvas encodes to a fixed JPEG (happy-dom has neither video nor 2D canvas).
 */
export function stubCamera(): void {
  // happy-dom's MediaStream has no getTracks; a stream without tracks stops as nothing.
  stubMediaDevices(async () => Object.assign(new MediaStream(), { getTracks: () => [] }));
  shadow(HTMLVideoElement.prototype, 'readyState', { get: () => 4 });
  shadow(HTMLVideoElement.prototype, 'videoWidth', { get: () => 640 });
  shadow(HTMLVideoElement.prototype, 'videoHeight', { get: () => 480 });
  const noop = (): void => undefined;
  const context = { drawImage: noop, clearRect: noop, beginPath: noop, roundRect: noop, stroke: noop };
  shadow(HTMLCanvasElement.prototype, 'getContext', { value: () => ({ ...context }) });
  shadow(HTMLCanvasElement.prototype, 'toDataURL', { value: () => `data:image/jpeg;base64,${FAKE_JPEG_BASE64}` });
}

/** Undoes stubCamera, putting back what each property was before. */
export function removeCamera(): void {
  for (const { target, key, original } of shadowed.reverse()) {
    if (original) Object.defineProperty(target, key, original);
    else delete (target as Record<string, unknown>)[key];
  }
  shadowed = [];
  removeMediaDevices();
}
