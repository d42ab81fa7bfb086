/**
 * Answers app://kiosk/<path> requests with files of the built renderer, with the CSP and the
 * other security headers on every response (custom-protocol responses do not pass through
 * session.webRequest, so the headers are set here). Pure fetch-API code: testable under Node.
 */
import { readFile } from 'node:fs/promises';
import { CSP_HEADER } from '../csp.js';
import { mimeType, resolveStaticFile } from '../static-files.js';
import { APP_HOST } from './window-config.js';

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  const file = url.host === APP_HOST && request.method === 'GET' ? resolveStaticFile(rendererDir, url.pathname) : null;
  if (file === null) return new Response('Not found', { status: 404, headers: APP_RESPONSE_HEADERS });
  return new Response(await readFile(file), { status: 200, headers: { ...APP_RESPONSE_HEADERS, 'content-type': mimeType(file) } });
}
