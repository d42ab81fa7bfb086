// @vitest-environment happy-dom
/**
 * The footer's status line on a kiosk of a central server: online, offline since when with the
 * punches waiting, refused; in English and Korean. A standalone kiosk's footer is unchanged.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../src-renderer/App.svelte';
import ResultCard from '../../src-renderer/kiosk/ResultCard.svelte';
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

describe('admin: the kiosks of the central server', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
  });

  async function signIn(): Promise<void> {
    await fireEvent.click(screen.getByRole('button', { name: 'Admin' }));
    for (const digit of '1234') await fireEvent.click(screen.getByRole('button', { name: digit }));
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  }

  it('lists every kiosk with last seen, clock offset, outbox and lost events, flagged where it matters', async () => {
    locale.set('en');
    const central: CentralLink = { state: 'online', offlineSince: null, punchesWaiting: 0, lastSyncAt: null, clockOffsetMs: 3 };
    stubBridge({
      'kiosk.status': () => ok<'kiosk.status'>({ ...base, central }),
      'admin.login': () => ok<'admin.login'>({ token: 'admin-token-0123456789', expiresAt: new Date(Date.now() + 600_000).toISOString() }),
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [] }),
      'admin.central.kiosks': () =>
        ok<'admin.central.kiosks'>({
          link: central,
          kiosks: [
            { kioskId: 'door-1', revoked: false, lastSeen: new Date(2026, 11, 6, 8, 30).toISOString(), clockOffsetMs: 1200, clockFlagged: false, outboxDepth: 0, punches: 40, flaggedPunches: 0, lost: [] },
            { kioskId: 'door-2', revoked: false, lastSeen: null, clockOffsetMs: -600_000, clockFlagged: true, outboxDepth: 7, punches: 12, flaggedPunches: 12, lost: [{ from: 5, to: 6 }] },
          ],
        }),
    });
    render(App);
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toContain('server online'));
    await signIn();
    await fireEvent.click(await screen.findByRole('button', { name: 'Kiosks' }));
    const cells = (kiosk: string) => [...((screen.getByText(kiosk).closest('tr') as HTMLElement).querySelectorAll('td'))].map((td) => td.textContent?.replace(/\s+/g, ' ').trim());
    await screen.findByText('door-2');
    expect(cells('door-2')).toEqual(['door-2', 'never', '-600 s · over 2 min: punches flagged', '7', '12 (12 flagged)', 'LOST #5–6']);
    expect(cells('door-1')).toEqual(['door-1', '08:30', '+1.2 s', '0', '40', 'none']);
  });

  it('has no Kiosks tab on a standalone kiosk', async () => {
    locale.set('en');
    stubBridge({
      'kiosk.status': () => ok<'kiosk.status'>(base),
      'admin.login': () => ok<'admin.login'>({ token: 'admin-token-0123456789', expiresAt: new Date(Date.now() + 600_000).toISOString() }),
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [] }),
    });
    render(App);
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toBe('Kiosk door-2 · 3 enrolled'));
    await signIn();
    await screen.findByRole('button', { name: 'Recognition health' });
    expect(screen.queryByRole('button', { name: 'Kiosks' })).toBeNull();
  });
});

describe('result card of a punch taken offline', () => {
  afterEach(() => locale.set('en'));

  it('says the punch is kept on this kiosk and may be corrected, in English and Korean; an online punch says nothing of it', async () => {
    const outcome = (offline: boolean) => ({
      kind: 'clock' as const,
      modality: 'pin' as const,
      result: { outcome: 'recorded' as const, event: { employee: { id: 7, code: 'E7', name: '이서연' }, direction: 'in' as const, modality: 'pin' as const, score: null, at: new Date().toISOString(), ...(offline ? { offline: true } : {}) } },
    });
    locale.set('en');
    const online = render(ResultCard, { outcome: outcome(false) });
    expect(screen.queryByText(/Saved on this kiosk/)).toBeNull();
    online.unmount();
    render(ResultCard, { outcome: outcome(true) });
    expect(screen.getByText(/^Saved on this kiosk while the server cannot be reached/)).toBeTruthy();
    locale.set('ko');
    await waitFor(() => expect(screen.getByText(/^서버에 연결할 수 없어 이 키오스크에 저장했습니다/)).toBeTruthy());
  });
});
