// @vitest-environment happy-dom
/**
 * The footer's enrolled count follows the admin's changes at once, not at the next 30 s
 * refresh (the e2e run saw "1 enrolled" on the kiosk right after an erase).
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, ok, removeBridge, stubBridge } from './bridge.js';

const TOKEN = 'admin-token-0123456789';
const minjun = { id: 5, code: 'E1001', name: '김민준', department: '개발팀', active: true, consentedAt: '2025-01-01', faceTemplates: 3, voiceTemplates: 3 };

describe('footer enrolled count', () => {
  afterEach(() => {
    vi.useRealTimers();
    removeBridge();
    locale.set('en');
  });

  it('drops right after an erase in the admin area, well before the periodic refresh', async () => {
    locale.set('en');
    // Fake timers freeze the 30 s refresh (and the clock); promises and the stub still run.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let erased = false;
    const employee = () => (erased ? { ...minjun, faceTemplates: 0, voiceTemplates: 0 } : minjun);
    const invoke = stubBridge({
      'kiosk.status': () => ok<'kiosk.status'>({ ready: true, kioskId: 'front-desk', models: [], enrolled: erased ? 0 : 1, livenessMode: 'off', recognition: { face: 'identify', voice: 'verify' } }),
      'admin.login': () => ok<'admin.login'>({ token: TOKEN, expiresAt: new Date(Date.now() + 600_000).toISOString() }),
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [employee()] }),
      'admin.employees.erase': () => {
        erased = true;
        return ok<'admin.employees.erase'>({ employee: employee(), templatesErased: 6 });
      },
    });
    render(App);
    const footer = screen.getByRole('contentinfo');
    await waitFor(() => expect(footer.textContent).toBe('Kiosk front-desk · 1 enrolled'));

    await fireEvent.click(screen.getByRole('button', { name: 'Admin' }));
    for (const digit of '1234') await fireEvent.click(screen.getByRole('button', { name: digit }));
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Erase biometrics' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Erase biometrics' }));

    await waitFor(() => expect(footer.textContent).toBe('Kiosk front-desk · 0 enrolled'));
    expect(callsTo(invoke, 'kiosk.status')).toHaveLength(2);
    // Still in the admin area: the count did not wait for a return to the kiosk screen.
    expect(screen.getByRole('button', { name: 'Back to kiosk' })).toBeTruthy();
  });
});
