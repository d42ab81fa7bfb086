// @vitest-environment happy-dom
/**
 * The footer's status line on a kiosk of a central server: online, offline since when with the
 * punches waiting, refused; in English and Korean. A standalone kiosk's footer is unchanged.
 */
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { ok, removeBridge, stubBridge } from './bridge.js';
import type { CentralLink } from '../../src-shared/contract.js';

const base = { ready: true, kioskId: 'door-2', models: [], enrolled: 3, livenessMode: 'off' as const, recognition: { face: 'identify' as const, voice: 'verify' as const } };

function showStatus(central?: CentralLink): void {
  stubBridge({ 'kiosk.status': () => ok<'kiosk.status'>(central === undefined ? base : { ...base, central }) });
  render(App);
}

describe('central status line', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
  });

  it('says online, and nothing more while no punch waits', async () => {
    locale.set('en');
    showStatus({ state: 'online', offlineSince: null, punchesWaiting: 0, lastSyncAt: '2026-12-06T08:00:00.000Z', clockOffsetMs: 12 });
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toBe('Kiosk door-2 · 3 enrolled · server online'));
  });

  it('says since when it is offline and how many punches wait, in English and Korean', async () => {
    const since = new Date(2026, 11, 6, 9, 5).toISOString();
    locale.set('en');
    showStatus({ state: 'offline', offlineSince: since, punchesWaiting: 4, lastSyncAt: null, clockOffsetMs: null });
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toBe('Kiosk door-2 · 3 enrolled · offline since 09:05 · 4 punches waiting'));
    locale.set('ko');
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toBe('키오스크 door-2 · 등록 3명 · 09:05부터 오프라인 · 전송 대기 4건'));
  });

  it('leaves a standalone kiosk\'s footer as it was', async () => {
    locale.set('en');
    showStatus();
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toBe('Kiosk door-2 · 3 enrolled'));
  });
});
