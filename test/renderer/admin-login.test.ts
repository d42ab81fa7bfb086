// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AdminArea from '../../src-renderer/admin/AdminArea.svelte';
import AdminLogin from '../../src-renderer/admin/AdminLogin.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, fail, ok, removeBridge, stubBridge } from './bridge.js';

async function typePin(digits: string, submit = 'Sign in'): Promise<void> {
  for (const d of digits) await fireEvent.click(screen.getByRole('button', { name: d }));
  await fireEvent.click(screen.getByRole('button', { name: submit }));
}

const TOKEN = 'admin-token-0123456789';

describe('admin login', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
    localStorage.clear();
    sessionStorage.clear();
  });

  it('shows the typed error of a wrong PIN and clears the PIN', async () => {
    const invoke = stubBridge({ 'admin.login': () => fail('UNAUTHORIZED', 'Wrong admin PIN.') });
    const onlogin = vi.fn();
    render(AdminLogin, { onlogin });
    await typePin('2468');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong admin PIN.');
    expect(callsTo(invoke, 'admin.login')).toEqual([{ pin: '2468' }]);
    expect(onlogin).not.toHaveBeenCalled();
    expect((screen.getByLabelText('PIN') as HTMLInputElement).value).toBe('');
  });

  it('says how long a lockout lasts, in Korean too', async () => {
    stubBridge({ 'admin.login': () => fail('LOCKED_OUT', 'Too many wrong attempts: admin is locked for 290 more seconds.', { retryAfterSeconds: 290 }) });
    render(AdminLogin, { onlogin: vi.fn() });
    await typePin('1111');
    expect((await screen.findByRole('alert')).textContent).toBe('Too many wrong attempts — try again in 5 min.');
    locale.set('ko');
    await typePin('1111', '로그인');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('잘못된 시도가 너무 많습니다. 5분 후에 다시 시도하세요.'));
  });

  it("words every code in the screen's language, never with the service's own (English, internal) sentence", async () => {
    stubBridge({ 'admin.login': () => fail('MIGRATION_FAILED', 'Database migration 0007 failed: disk full') });
    render(AdminLogin, { onlogin: vi.fn() });
    await typePin('1234');
    expect((await screen.findByRole('alert')).textContent).toBe('The kiosk data could not be upgraded — ask an administrator.');
  });

  it('keeps the token in memory only and sends it with admin calls', async () => {
    const invoke = stubBridge({
      'admin.login': () => ok<'admin.login'>({ token: TOKEN, expiresAt: new Date(Date.now() + 600_000).toISOString() }),
      'admin.employees.list': () =>
        ok<'admin.employees.list'>({
          employees: [
            { id: 1, code: 'E1', name: '박지훈', department: 'Ops', active: true, consentedAt: '2025-01-01', faceTemplates: 3, voiceTemplates: 2 },
          ],
        }),
    });
    render(AdminArea);
    await typePin('1234');
    const row = (await screen.findByText('박지훈')).closest('tr') as HTMLElement;
    expect(within(row).getByText('3')).toBeTruthy();
    expect(within(row).getByText('2')).toBeTruthy();
    expect(callsTo(invoke, 'admin.employees.list')).toEqual([{ includeInactive: false, token: TOKEN }]);
    const stored = [...Object.values({ ...localStorage }), ...Object.values({ ...sessionStorage })].join(' ');
    expect(stored).not.toContain(TOKEN);
  });

  it('returns to the PIN screen when the service says the session ended', async () => {
    stubBridge({
      'admin.login': () => ok<'admin.login'>({ token: TOKEN, expiresAt: new Date(Date.now() + 600_000).toISOString() }),
      'admin.employees.list': () => fail('UNAUTHORIZED', 'session expired'),
    });
    render(AdminArea);
    await typePin('1234');
    await waitFor(() => expect(screen.getByText('Your admin session ended — sign in again.')).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('asks to replace a default admin PIN, and a mistyped current PIN does not end the session', async () => {
    let attempts = 0;
    const invoke = stubBridge({
      'admin.login': () => ok<'admin.login'>({ token: TOKEN, expiresAt: new Date(Date.now() + 600_000).toISOString(), pinIsDefault: true }),
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [] }),
      'admin.settings.get': () => ok<'admin.settings.get'>({ settings: { debounceMinutes: 1 } }),
      'admin.pin.change': () => (++attempts === 1 ? fail('UNAUTHORIZED', 'The current admin PIN is wrong.') : ok<'admin.pin.change'>({ ok: true })),
    });
    render(AdminArea);
    await typePin('1234');
    const banner = await screen.findByText(/The admin PIN is still the first-run default/);
    await fireEvent.click(within(banner).getByRole('button', { name: 'Settings' }));
    // The banner's way in lands on the PIN form: first in the panel (above the long recognition settings) and focused.
    const pinForm = await screen.findByTestId('admin-pin-form');
    expect(pinForm.parentElement?.querySelector('form')).toBe(pinForm);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Current PIN')));
    const fill = async (current: string, next: string, repeat: string) => {
      await fireEvent.input(screen.getByLabelText('Current PIN'), { target: { value: current } });
      await fireEvent.input(screen.getByLabelText('New PIN (4–12 digits)'), { target: { value: next } });
      await fireEvent.input(screen.getByLabelText('New PIN again'), { target: { value: repeat } });
      await fireEvent.click(screen.getByRole('button', { name: 'Change PIN' }));
    };

    await fill('1234', '908172', '908173');
    expect(await screen.findByText('The two new PINs differ.')).toBeTruthy();
    expect(callsTo(invoke, 'admin.pin.change')).toEqual([]);

    await fill('1235', '908172', '908172');
    expect(await screen.findByText('The current admin PIN is wrong.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();

    await fill('1234', '908172', '908172');
    expect(await screen.findByText('Admin PIN changed. Other admin sessions were signed out.')).toBeTruthy();
    expect(callsTo(invoke, 'admin.pin.change').at(-1)).toEqual({ currentPin: '1234', newPin: '908172', token: TOKEN });
    expect(screen.queryByText(/The admin PIN is still the first-run default/)).toBeNull();
  });
});
