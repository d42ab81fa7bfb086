// @vitest-environment happy-dom
/**
 * Admin → Attempts (issue 14 item 10): the newest recognition attempts with the best score, the
 * margin to the pass mark (a just-passing match flagged, a refusal below it in points), the
 * runner-up and the gallery size; a refused attempt names nobody; English and Korean.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AttemptsPanel from '../../src-renderer/admin/AttemptsPanel.svelte';
import type { AdminCall } from '../../src-renderer/admin/session.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import type { RecognitionAttempt } from '../../src-shared/contract.js';

const at = (h: number, m: number): string => new Date(2026, 11, 6, h, m).toISOString();
const ATTEMPTS: RecognitionAttempt[] = [
  { id: 4, at: at(9, 3), modality: 'voice', mode: 'verify', outcome: 'not_verified', employee: null, bestScore: null, secondScore: null, threshold: 0.31, gallerySize: 12, kioskId: 'door-1' },
  { id: 3, at: at(9, 2), modality: 'face', mode: 'identify', outcome: 'below_threshold', employee: null, bestScore: 0.37, secondScore: 0.21, threshold: 0.45, gallerySize: 12, kioskId: 'door-1' },
  { id: 2, at: at(9, 1), modality: 'face', mode: 'identify', outcome: 'accepted', employee: { id: 7, code: 'E001', name: '김민준' }, bestScore: 0.46, secondScore: 0.2, threshold: 0.45, gallerySize: 12, kioskId: 'door-1' },
  { id: 1, at: at(9, 0), modality: 'face', mode: 'identify', outcome: 'accepted', employee: { id: 8, code: 'E002', name: 'Ann' }, bestScore: 0.72, secondScore: null, threshold: 0.45, gallerySize: 12, kioskId: 'door-1' },
];

function show(attempts: RecognitionAttempt[]) {
  const api = vi.fn(async () => ({ attempts, kept: 10_000 })) as unknown as AdminCall & ReturnType<typeof vi.fn>;
  render(AttemptsPanel, { api });
  return api;
}
const rows = () => screen.getAllByTestId('attempt').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()));

describe('admin attempts panel', () => {
  afterEach(() => {
    cleanup();
    locale.set('en');
  });

  it('lists each attempt with its score, the margin to the pass mark, the runner-up and the outcome (English)', async () => {
    locale.set('en');
    const api = show(ATTEMPTS);
    await waitFor(() => expect(screen.getAllByTestId('attempt')).toHaveLength(4));
    expect(api).toHaveBeenCalledWith('admin.recognition.attempts', { limit: 200 });
    expect(screen.getByTestId('attempts-summary').textContent).toBe('4 shown: 2 accepted (1 just above the pass mark), 2 refused');
    const [refusedVerify, stranger, near, clear] = rows();
    expect(near).toEqual(['6 Dec 09:01', 'Face · search', 'Accepted', '김민준 (E001)', '46 %', '+1.0 points · just above', '20 %', '45 %', '12']);
    expect(clear!.slice(2, 7)).toEqual(['Accepted', 'Ann (E002)', '72 %', '+27.0 points', '—']);
    expect(stranger!.slice(2, 6)).toEqual(['Below the pass mark', '—', '37 %', '-8.0 points']);
    expect(refusedVerify!.slice(1, 5)).toEqual(['Voice · code + check', 'Code and face or voice did not go together', '—', 'no comparison (unknown or inactive code, or not enrolled this way)']);
    expect(screen.getByText(/The kiosk keeps the newest 10,000/)).toBeTruthy();
  });

  it('speaks Korean', async () => {
    locale.set('ko');
    show(ATTEMPTS);
    await waitFor(() => expect(screen.getAllByTestId('attempt')).toHaveLength(4));
    expect(screen.getByTestId('attempts-summary').textContent).toBe('4건 표시: 통과 2건(기준을 간신히 넘은 1건 포함), 거부 2건');
    const [, stranger, near] = rows();
    expect(near!.slice(1, 6)).toEqual(['얼굴 · 전체 검색', '통과', '김민준 (E001)', '46 %', '+1.0점 · 간신히 통과']);
    expect(stranger!.slice(2, 6)).toEqual(['합격 기준 미달', '—', '37 %', '-8.0점']);
    expect(screen.getByText('합격 기준 대비')).toBeTruthy();
  });

  it('says when there is nothing yet', async () => {
    locale.set('en');
    show([]);
    await waitFor(() => expect(screen.getByText('No face or voice attempts yet.')).toBeTruthy());
    expect(screen.queryByTestId('attempt')).toBeNull();
  });
});
