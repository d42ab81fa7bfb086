// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PinPad from '../../src-renderer/components/PinPad.svelte';
import KioskScreen from '../../src-renderer/kiosk/KioskScreen.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, fail, ok, removeBridge, stubBridge } from './bridge.js';

const key = (label: string) => screen.getByRole('button', { name: label });

async function tap(...labels: string[]): Promise<void> {
  for (const label of labels) await fireEvent.click(key(label));
}

describe('PIN pad', () => {
  it('submits the code typed on the keyboard and the PIN tapped on the keys', async () => {
    const onsubmit = vi.fn();
    render(PinPad, { withCode: true, onsubmit });
    await fireEvent.input(screen.getByLabelText('Employee code'), { target: { value: 'E-1001' } });
    await tap('Next');
    await tap('4', '3', '2', '9', 'Delete', '1');
    await tap('OK');
    expect(onsubmit).toHaveBeenCalledTimes(1);
    expect(onsubmit).toHaveBeenCalledWith({ code: 'E-1001', pin: '4321' });
  });

  it('types a numeric code on the keys too, and refuses a PIN shorter than 4 digits', async () => {
    const onsubmit = vi.fn();
    render(PinPad, { withCode: true, onsubmit });
    await tap('1', '0', '0', '7', 'Next', '5', '5', '5');
    expect((screen.getByLabelText('Employee code') as HTMLInputElement).value).toBe('1007');
    expect((key('OK') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.submit(key('OK').closest('form')!);
    expect(onsubmit).not.toHaveBeenCalled();
    await tap('5', 'OK');
    expect(onsubmit).toHaveBeenCalledWith({ code: '1007', pin: '5555' });
  });

  it('types a code with letters on the keys, switching between letters and digits (EN and KO labels)', async () => {
    const onsubmit = vi.fn();
    render(PinPad, { withCode: true, onsubmit });
    await tap('ABC', 'E', '123', '0', '0', '1');
    expect((screen.getByLabelText('Employee code') as HTMLInputElement).value).toBe('E001');
    // The PIN is digits only: no letter keys once it is being typed.
    await tap('Next');
    expect(screen.queryByRole('button', { name: 'ABC' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'E' })).toBeNull();
    await tap('1', '2', '3', '4', 'OK');
    expect(onsubmit).toHaveBeenCalledWith({ code: 'E001', pin: '1234' });
  });

  it('names the letter and digit keys in Korean', async () => {
    locale.set('ko');
    try {
      render(PinPad, { withCode: true, onsubmit: vi.fn() });
      await tap('영문', 'K');
      expect(screen.getByRole('button', { name: '숫자' })).toBeTruthy();
      expect((screen.getByLabelText('사원 번호') as HTMLInputElement).value).toBe('K');
    } finally {
      locale.set('en');
    }
  });
});

describe('kiosk PIN fallback', () => {
  afterEach(removeBridge);

  it('sends the typed code and PIN to clock.pin and shows the employee on the result card', async () => {
    const invoke = stubBridge({
      'face.detect': () => ok<'face.detect'>({ width: 480, height: 270, faces: [] }),
      'clock.pin': (input) =>
        ok<'clock.pin'>({
          outcome: 'recorded',
          event: { employee: { id: 3, code: input.code, name: '이서연' }, direction: 'in', modality: 'pin', score: null, at: new Date().toISOString() },
        }),
    });
    render(KioskScreen);
    await tap('Use PIN');
    await fireEvent.input(screen.getByLabelText('Employee code'), { target: { value: 'K0042' } });
    await tap('Next', '8', '6', '4', '2', 'OK');
    await waitFor(() => expect(screen.getByTestId('result-card')).toBeTruthy());
    expect(callsTo(invoke, 'clock.pin')).toEqual([{ code: 'K0042', pin: '8642' }]);
    expect(screen.getByTestId('result-card').textContent).toContain('이서연');
    expect(screen.getByText('IN')).toBeTruthy();
  });

  it('keeps the pad open, says the PIN is wrong and clears it for the next try', async () => {
    const invoke = stubBridge({ 'clock.pin': () => fail('PIN_REJECTED', 'Employee code or PIN is wrong.') });
    render(KioskScreen);
    await tap('Use PIN');
    await fireEvent.input(screen.getByLabelText('Employee code'), { target: { value: 'K0042' } });
    await tap('Next', '1', '1', '1', '1', 'OK');
    const dialog = within(screen.getByRole('dialog', { name: 'Clock in with PIN' }));
    await waitFor(() => expect(dialog.getByRole('alert').textContent).toBe('Employee code or PIN is wrong — check both and try again.'));
    expect(screen.queryByTestId('result-card')).toBeNull();
    // The refused PIN is cleared: the next try is not appended to it (which would fail again and count to the lockout).
    expect((screen.getByLabelText('PIN') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Employee code') as HTMLInputElement).value).toBe('K0042');
    await tap('2', '2', '2', '2', 'OK');
    await waitFor(() => expect(callsTo(invoke, 'clock.pin')).toEqual([{ code: 'K0042', pin: '1111' }, { code: 'K0042', pin: '2222' }]));
  });
});
