// @vitest-environment happy-dom
/**
 * A notice already on screen must change language with the switch, like every other text:
 * the e2e run found "Saved" still English on the Korean settings screen.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import EmployeeList from '../../src-renderer/admin/EmployeeList.svelte';
import EnrollWizard from '../../src-renderer/admin/EnrollWizard.svelte';
import SettingsPanel from '../../src-renderer/admin/SettingsPanel.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, FAKE_JPEG_BASE64, fail, ok, removeBridge, removeCamera, stubBridge, stubCamera } from './bridge.js';

const TOKEN = 'token-0123456789abcdef';
const minjun = { id: 5, code: 'E1001', name: '김민준', department: '개발팀', active: true, consentedAt: '2025-01-01', faceTemplates: 3, voiceTemplates: 3 };

/** The text of the one status (or alert) notice, after the language has switched to `lang`. */
async function noticeIn(lang: 'en' | 'ko', role: 'status' | 'alert', expected: string): Promise<void> {
  locale.set(lang);
  await waitFor(() => expect(screen.getByRole(role).textContent).toBe(expected));
}

describe('notices follow a language switch', () => {
  afterEach(() => {
    removeBridge();
    removeCamera();
    locale.set('en');
  });

  it('settings: "Saved" after saving, and the PIN notices, turn Korean and back', async () => {
    locale.set('en');
    const invoke = stubBridge({
      'admin.settings.get': () => ok<'admin.settings.get'>({ settings: { debounceMinutes: 1 } }),
      'admin.settings.set': (input) => ok<'admin.settings.set'>({ settings: { debounceMinutes: 1, ...input.settings } }),
    });
    render(SettingsPanel, { api: adminCall(TOKEN, vi.fn()) });
    const minutes = await screen.findByLabelText('Ignore repeat punches within (minutes)');
    await fireEvent.input(minutes, { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsTo(invoke, 'admin.settings.set')).toEqual([{ settings: { debounceMinutes: 5 }, token: TOKEN }]));

    const form = screen.getByRole('button', { name: 'Save' }).closest('.settings') as HTMLElement;
    await waitFor(() => expect(within(form).getByRole('status').textContent).toBe('Saved'));
    await noticeIn('ko', 'status', '저장했습니다');
    await noticeIn('en', 'status', 'Saved');

    // Two new PINs that differ: an alert, also re-worded on the switch.
    await fireEvent.input(screen.getByLabelText('Current PIN'), { target: { value: '1234' } });
    await fireEvent.input(screen.getByLabelText('New PIN (4–12 digits)'), { target: { value: '908172' } });
    await fireEvent.input(screen.getByLabelText('New PIN again'), { target: { value: '908173' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Change PIN' }));
    await noticeIn('en', 'alert', 'The two new PINs differ.');
    await noticeIn('ko', 'alert', '새 PIN 두 개가 서로 다릅니다.');
  });

  it('employees: "6 templates erased." keeps its count in Korean', async () => {
    locale.set('en');
    stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [minjun] }),
      'admin.employees.erase': () =>
        ok<'admin.employees.erase'>({ employee: { ...minjun, faceTemplates: 0, voiceTemplates: 0 }, templatesErased: 6 }),
    });
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Erase biometrics' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Erase biometrics' }));
    await noticeIn('en', 'status', '6 templates erased.');
    await noticeIn('ko', 'status', '템플릿 6개를 삭제했습니다.');
  });

  it('enrollment: "Photo accepted" and a refused photo turn Korean', async () => {
    locale.set('en');
    stubCamera();
    let shots = 0;
    const invoke = stubBridge({
      'admin.enroll.face': () =>
        ++shots === 1
          ? ok<'admin.enroll.face'>({ employee: { ...minjun, faceTemplates: 1 }, quality: {}, shotsNeeded: 2 })
          : fail('BLURRED', 'face image is blurred'),
    });
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: { ...minjun, faceTemplates: 0, voiceTemplates: 0 }, onclose: vi.fn() });
    const capture = (await screen.findByRole('button', { name: 'Take photo' })) as HTMLButtonElement;
    await waitFor(() => expect(capture.disabled).toBe(false));

    await fireEvent.click(capture);
    await noticeIn('en', 'status', 'Photo accepted');
    expect(callsTo(invoke, 'admin.enroll.face')).toEqual([{ employeeId: 5, image: FAKE_JPEG_BASE64, pose: 'front', token: TOKEN }]);
    await noticeIn('ko', 'status', '사진이 등록되었습니다');

    await fireEvent.click(screen.getByRole('button', { name: '사진 찍기' }));
    await noticeIn('ko', 'alert', '사진이 흐립니다. 잠시 움직이지 말아 주세요.');
    await noticeIn('en', 'alert', 'Blurred — hold still for a moment.');
  });
});
