// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModalityHealth } from '../../src-shared/contract.js';
import HealthPanel from '../../src-renderer/admin/HealthPanel.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, ok, removeBridge, stubBridge } from './bridge.js';

const person = (id: number, name: string) => ({ id, code: `E${id}`, name });
const face: ModalityHealth = {
  modality: 'face',
  enrolled: 3,
  templates: { total: 7, minPerPerson: 1, maxPerPerson: 3 },
  threshold: { value: 0.583, from: 'target', target: 0.001, perComparisonFmr: 1.4e-4 },
  mode: { setting: 'identify', inForce: 'identify', recommended: 'verify', verifyThreshold: 0.5, ownCapturesRefused: { identify: 0.4, verify: 0.1, captures: 7 } },
  strangerAcceptance: { perSearch: 0.001, per1000: 1 },
  wrongColleague: { perSearch: 0.0007, per1000: 0.7, perMonth: 0.42 },
  clockInsPerDay: 20,
  closestPairs: [
    { a: person(1, '김민준'), b: person(2, '김민서'), score: 0.61, aboveThreshold: true },
    { a: person(1, '김민준'), b: person(3, 'Bob'), score: 0.2, aboveThreshold: false },
  ],
  weakEnrollments: [{ employee: person(3, 'Bob'), templates: 1, selfAgreement: null, reasons: ['few_templates'] }],
};

describe('recognition-health panel', () => {
  afterEach(() => {
    removeBridge();
    locale.set('en');
  });

  it('shows the threshold and its target, the estimated rates, the look-alike plot with the pair above the threshold, and weak enrollments', async () => {
    const invoke = stubBridge({ 'admin.recognition.health': () => ok<'admin.recognition.health'>({ computedAt: '2025-03-10T00:00:00.000Z', clockInsPerDay: 20, face, voice: null }) });
    render(HealthPanel, { api: adminCall('token-0123456789abcdef', vi.fn()) });
    const section = (await screen.findByRole('heading', { name: 'Face' })).closest('article') as HTMLElement;
    expect(within(section).getByText(/set from your target of 0\.001/)).toBeTruthy();
    expect(within(section).getByText(/about 0\.42 a month at 20 clock-ins a day/)).toBeTruthy();
    const plot = within(section).getByRole('img', { name: /Most alike pairs/ });
    expect(plot.querySelectorAll('rect.bar')).toHaveLength(2);
    expect(plot.querySelectorAll('rect.bar.above')).toHaveLength(1);
    expect(within(section).getByRole('status').textContent).toContain('same person enrolled twice');
    expect(within(section).getByText(/Bob \(E3\): only 1 template/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Voice' })).toBeNull();
    // A search would refuse 40 % of the staff's own shots, verification 10 %: verify is recommended.
    const mode = within(section).getByTestId('health-mode-face').textContent!;
    expect(mode).toContain('Identify (search everyone) (setting: Identify (search everyone))');
    expect(mode).toContain('Recommended: Verify (employee code first)');
    expect(mode).toContain('a search would turn away 40% and verification 10%');

    await fireEvent.click(screen.getByRole('button', { name: 'Recompute' }));
    expect(callsTo(invoke, 'admin.recognition.health')).toHaveLength(2);
  });

  it('speaks Korean and says when a rate is unknown', async () => {
    locale.set('ko');
    const unknown = { ...face, strangerAcceptance: { perSearch: null, per1000: null }, threshold: { ...face.threshold, from: 'setting' as const, target: null } };
    stubBridge({ 'admin.recognition.health': () => ok<'admin.recognition.health'>({ computedAt: '2025-03-10T00:00:00.000Z', clockInsPerDay: 0, face: unknown, voice: null }) });
    render(HealthPanel, { api: adminCall('token-0123456789abcdef', vi.fn()) });
    expect(await screen.findByRole('heading', { name: '얼굴' })).toBeTruthy();
    expect(screen.getByText(/알 수 없음/)).toBeTruthy();
    expect(screen.getByText(/고정 기준값 설정/)).toBeTruthy();
    expect(screen.getByTestId('health-mode-face').textContent).toContain('권장: 확인 (사원 번호 먼저)');
  });

  it('says when voice search is not backed by the calibration and the code is asked first', async () => {
    const voice: ModalityHealth = {
      ...face,
      modality: 'voice',
      mode: { setting: 'identify', inForce: 'verify', recommended: 'verify', verifyThreshold: 0.485, ownCapturesRefused: { identify: null, verify: null, captures: 0 } },
    };
    stubBridge({ 'admin.recognition.health': () => ok<'admin.recognition.health'>({ computedAt: '2025-03-10T00:00:00.000Z', clockInsPerDay: 0, face, voice }) });
    render(HealthPanel, { api: adminCall('token-0123456789abcdef', vi.fn()) });
    await screen.findByRole('heading', { name: 'Voice' });
    const mode = screen.getByTestId('health-mode-voice').textContent!;
    expect(mode).toContain('voice search is not backed by the calibration at this staff size');
    expect(mode).toContain('No one is enrolled with two or more captures yet');
  });
});
