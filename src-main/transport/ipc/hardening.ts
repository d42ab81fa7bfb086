/**
 * The session and web-contents hardening main.ts applies, written against the few Electron
 * methods it calls so a test can apply it to recording stand-ins and fire the recorded
 * handlers (Electron itself cannot run here):
 *  - every response carries the renderer's CSP;
 *  - no request leaves for the network (http, https, ws, wss): the kiosk shows no remote content;
 *  - only camera and microphone, only for app://kiosk; no device (HID, serial, USB) access;
 *  - no navigation, no redirect, no <webview>, no new window.
 */
import { CSP_HEADER } from '../csp.js';
import { WINDOW_OPEN_RESPONSE, isNavigationAllowed, isPermissionAllowed } from './window-config.js';

/** Network schemes the session refuses outright; the app's own pages come from app://. */
export const REMOTE_URL_PATTERNS: readonly string[] = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

type Headers = Record<string, string | string[]>;

/** The part of Electron's Session that applySessionPolicy uses. */
export interface SessionLike {
  readonly webRequest: {
    onBeforeRequest(filter: { urls: string[] }, listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(listener: (details: { responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void): void;
  };
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; mediaTypes?: string[] }) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

/** The part of Electron's WebContents that hardenWebContents uses. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => typeof WINDOW_OPEN_RESPONSE): void;
}

export function applySessionPolicy(session: SessionLike): void {
  session.webRequest.onBeforeRequest({ urls: [...REMOTE_URL_PATTERNS] }, (_details, callback) => callback({ cancel: true }));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...withoutCsp(details.responseHeaders ?? {}), 'Content-Security-Policy': [CSP_HEADER] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, details.mediaTypes ?? []));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(contents: WebContentsLike): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => WINDOW_OPEN_RESPONSE);
}

/** Header names are case-insensitive: a response's own CSP (any spelling) must not sit beside ours. */
function withoutCsp(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
}
