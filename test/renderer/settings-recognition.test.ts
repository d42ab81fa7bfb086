// @vitest-environment happy-dom
/**
 * The recognition settings an admin tunes with: a false-accept target can be switched off (null,
 * the raw threshold then applies — the expert override) and back on, and identify/verify is a
 * choice per modality, worded in both languages.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SettingsPanel from '../../src-renderer/admin/SettingsPanel.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, ok, removeBridge, stubBridge } from './bridge.js';

const TOKEN = 'token-0123456789abcdef';
const SAVED = { faceFalseAcceptTarget: 0.001, voiceFalseAcceptTarget: null, faceMode: 'identify', voiceMode: 'verify' };

function open() {
  const invoke = stubBridge({
    'admin.settings.get': () => ok<'admin.settings.get'>({ settings: SAVED }),
    'admin.settings.set': (input) => ok<'admin.settings.set'>({ settings: { ...SAVED, ...input.settings } }),
  });
  render(SettingsPanel, { api: adminCall(TOKEN, vi.fn()) });
  return invoke;
}

describe('recognition settings', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
  });

  it('switches a target off (null) and another back on, and saves exactly those', async () => {
    const invoke = open();
    const face = (await screen.findByLabelText(/^Face: accepted risk/)) as HTMLInputElement;
    expect(face.value).toBe('0.001');
    const voice = screen.getByLabelText('Voice: accepted risk of a wrong match per clock-in') as HTMLInputElement;
    // Off when saved as null: no number to edit.
    expect(voice.disabled).toBe(true);
    const [faceOff, voiceOff] = screen.getAllByRole('checkbox', { name: 'Off: use the fixed threshold' }) as HTMLInputElement[];
    expect([faceOff!.checked, voiceOff!.checked]).toEqual([false, true]);

    await fireEvent.click(faceOff!);
    await fireEvent.click(voiceOff!);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsTo(invoke, 'admin.settings.set')).toEqual([{ settings: { faceFalseAcceptTarget: null, voiceFalseAcceptTarget: 0.001 }, token: TOKEN }]));
  });

  it('offers identify and verify per modality, in Korean too', async () => {
    const invoke = open();
    const faceMode = (await screen.findByLabelText('Face: search everyone, or verify the code entered first')) as HTMLSelectElement;
    expect([...faceMode.options].map((o) => o.textContent)).toEqual(['Identify (search everyone)', 'Verify (employee code first)']);
    await fireEvent.change(faceMode, { target: { value: 'verify' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsTo(invoke, 'admin.settings.set')).toEqual([{ settings: { faceMode: 'verify' }, token: TOKEN }]));

    locale.set('ko');
    const voiceMode = (await screen.findByLabelText('음성: 전체 검색 또는 먼저 입력한 사원 번호 확인')) as HTMLSelectElement;
    expect([...voiceMode.options].map((o) => o.textContent)).toEqual(['식별 (전체 검색)', '확인 (사원 번호 먼저)']);
  });
});
