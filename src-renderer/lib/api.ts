/**
 * The renderer's only door to the kiosk: one typed `call(name, input)` over the handler table.
 * In Electron the preload exposes `window.kiosk.invoke`; in a plain browser the same handlers
 * answer `POST /api/<name>`. Either way a failed reply becomes a `KioskApiError` with its code.
 */
import type { HandlerInput, HandlerName, Outputs, Reply } from '../../src-shared/contract.js';

export type { HandlerInput, HandlerName, Outputs };

/** What the Electron preload puts on `window` through contextBridge. */
export interface KioskBridge {
  invoke<N extends HandlerName>(name: N, input: HandlerInput<N>): Promise<Reply<N>>;
}

declare global {
  interface Window {
    kiosk?: KioskBridge;
  }
}

/** Codes the client itself raises when no typed reply came back. */
export type ClientErrorCode = 'NETWORK' | 'TIMEOUT' | 'BAD_REPLY';

export class KioskApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KioskApiError';
    this.code = code;
    this.details = details;
  }
}

/** Long enough for a burst of frames through the encoders on a slow CPU. */
const HTTP_TIMEOUT_MS = 60_000;

export async function call<N extends HandlerName>(name: N, input: HandlerInput<N>): Promise<Outputs[N]> {
  const reply = await send(name, input);
  if (!isReply<N>(reply)) throw new KioskApiError('BAD_REPLY', `Unexpected reply from ${name}`);
  if (!reply.ok) throw new KioskApiError(reply.error.code, reply.error.message, reply.error.details);
  return reply.value;
}

async function send<N extends HandlerName>(name: N, input: HandlerInput<N>): Promise<unknown> {
  const bridge = typeof window === 'undefined' ? undefined : window.kiosk;
  if (bridge) return bridge.invoke(name, input);

  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'TimeoutError') {
      throw new KioskApiError('TIMEOUT', `${name} did not answer in time`);
    }
    throw new KioskApiError('NETWORK', `Cannot reach the kiosk service (${name})`);
  }
  // Typed errors arrive with 4xx/5xx statuses too, so read the body whatever the status.
  try {
    return await response.json();
  } catch {
    throw new KioskApiError('BAD_REPLY', `${name} answered ${response.status} without a JSON reply`);
  }
}

function isReply<N extends HandlerName>(value: unknown): value is Reply<N> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const reply = value as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (reply.ok === true) return 'value' in value;
  return reply.ok === false && typeof reply.error?.code === 'string' && typeof reply.error.message === 'string';
}
