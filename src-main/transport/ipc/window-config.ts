/**
 * Everything the Electron shell decides about security, as plain data and pure functions, so
 * a test can check the hardening without starting Electron (types only are imported from it).
 * main.ts applies these; nothing here may import Electron at run time.
 */
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';

/** The renderer is served from app://kiosk/, a privileged standard scheme (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The single IPC channel; preload.cts repeats it (a sandboxed preload cannot import modules). */
export const INVOKE_CHANNEL = 'kiosk:invoke';

export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  // standard + secure: a real origin for 'self' in the CSP, and getUserMedia works (secure context).
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    title: 'Attendance kiosk',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** True only for URLs of the app's own origin (app://kiosk). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/**
 * Camera and microphone ('media') for the app's own pages; everything else (notifications,
 * geolocation, clipboard, HID, serial, ...) is refused, and so is media for any other origin.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, mediaTypes?: readonly string[]): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  return (mediaTypes ?? []).every((type) => type === 'audio' || type === 'video');
}

/** No navigation away from the single-page renderer, ever (links, drag-and-drop, injected script). */
export function isNavigationAllowed(_url: string): boolean {
  return false;
}

/** window.open and target=_blank never open a window. */
export const WINDOW_OPEN_RESPONSE = { action: 'deny' } as const;
