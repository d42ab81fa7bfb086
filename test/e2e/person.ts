/**
 * One person at the kiosk: Debian's Chromium (never a downloaded browser), headless, with a
 * fresh profile whose fake camera and microphone play that person's clip in a loop. The fake
 * device files are fixed when the browser starts, so every person gets a browser of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { FakeMedia } from './fake-media.js';

export const CHROMIUM = process.env.KIOSK_E2E_CHROMIUM ?? '/usr/bin/chromium';

export type Lang = 'en' | 'ko';

export interface Person {
  readonly page: Page;
  /** Uncaught page errors and Content-Security-Policy violations seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** The screens the kiosk is checked on: a 1366x800 laptop or monitor, and a portrait 1080x1920 kiosk display. */
export const SCREENS = { landscape: { width: 1366, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;

/** Opens the browser; the caller navigates, so it can listen for the first replies before the page loads. */
export async function arrive(options: { media: FakeMedia; lang: Lang; profilesDir: string; screen?: keyof typeof SCREENS }): Promise<Person> {
  const profile = mkdtempSync(join(options.profilesDir, 'profile-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: SCREENS[options.screen ?? 'landscape'],
    locale: options.lang === 'ko' ? 'ko-KR' : 'en-GB',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${options.media.video}`,
      `--use-file-for-fake-audio-capture=${options.media.audio}`,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // The machine running the tests may be busy: wait for the UI, never for a fixed time.
  page.setDefaultTimeout(90_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  // The language the person reads, before the app first renders (the app keeps it in localStorage).
  await page.addInitScript((lang) => {
    if (localStorage.getItem('kiosk.locale') === null) localStorage.setItem('kiosk.locale', lang);
  }, options.lang);
  return {
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The next reply of one API handler, with its JSON body. */
export async function nextReply<T>(page: Page, handler: string, action?: () => Promise<void>): Promise<{ status: number; body: ApiReply<T> }> {
  const waiting = page.waitForResponse((r: Response) => r.url().endsWith(`/api/${handler}`) && r.request().method() === 'POST');
  if (action) await action();
  const response = await waiting;
  return { status: response.status(), body: (await response.json()) as ApiReply<T> };
}

export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Waits until the camera preview plays, so a capture grabs a real frame. */
export async function cameraLive(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const video = document.querySelector('video');
    return video !== null && video.readyState >= 2 && video.videoWidth > 0;
  });
}
