// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ResultCard from '../../src-renderer/kiosk/ResultCard.svelte';
import type { Outcome } from '../../src-renderer/kiosk/outcome.js';
import { locale } from '../../src-renderer/lib/i18n.js';

/** A local time today, as the ISO string the service sends. */
function todayAt(hours: number, minutes: number): string {
  const d = new Date();
  d.setHours(hours, minutes, 0, 0);
  return d.toISOString();
}

const recorded = (direction: 'in' | 'out', at: string, score: number | null, modality: 'face' | 'voice' | 'pin' = 'face', confidence?: 'clear' | 'near'): Outcome => ({
  kind: 'clock',
  modality,
  result: {
    outcome: 'recorded',
    event: { employee: { id: 7, code: 'E1001', name: '김민준' }, direction, modality, score, at },
    ...(confidence === undefined ? {} : { confidence }),
  },
});

describe('kiosk result card', () => {
  afterEach(() => locale.set('en'));

  it('shows the greeting with the name, IN, the time and the match confidence of a recorded event', () => {
    locale.set('en');
    render(ResultCard, { outcome: recorded('in', todayAt(8, 59), 0.873, 'face', 'clear') });
    expect(screen.getByRole('heading').textContent).toBe('Good morning, 김민준');
    expect(screen.getByText('IN')).toBeTruthy();
    expect(screen.getByText('08:59')).toBeTruthy();
    expect(screen.getByText('Clocked in at 08:59')).toBeTruthy();
    expect(screen.getByTestId('confidence').textContent).toBe('Clear match');
    expect(screen.queryByText('Not recognised')).toBeNull();
  });

  it('shows OUT with an evening greeting, and no percentage for a PIN punch', () => {
    render(ResultCard, { outcome: recorded('out', todayAt(18, 30), null, 'pin') });
    expect(screen.getByRole('heading').textContent).toBe('Good evening, 김민준');
    expect(screen.getByText('OUT')).toBeTruthy();
    expect(screen.getByText('Clocked out at 18:30')).toBeTruthy();
    expect(screen.queryByText(/Match/)).toBeNull();
  });

  it('greets a 3 a.m. punch with a plain hello, not "Good evening" (EN and KO)', () => {
    const { unmount } = render(ResultCard, { outcome: recorded('in', todayAt(3, 0), 0.9) });
    expect(screen.getByRole('heading').textContent).toBe('Hello, 김민준');
    unmount();
    locale.set('ko');
    render(ResultCard, { outcome: recorded('out', todayAt(3, 0), 0.9) });
    expect(screen.getByRole('heading').textContent).toBe('김민준님, 안녕하세요');
  });

  it('speaks Korean: 출근 and the honorific greeting', () => {
    locale.set('ko');
    render(ResultCard, { outcome: recorded('in', todayAt(9, 5), 0.91, 'face', 'clear') });
    expect(screen.getByRole('heading').textContent).toBe('김민준님, 좋은 아침입니다');
    expect(screen.getByText('출근')).toBeTruthy();
    expect(screen.getByTestId('confidence').textContent).toBe('확실히 일치');
  });

  it('says a score just above the pass mark is a match, never as a percentage that reads as a failure (EN and KO)', () => {
    // 0.46 against a pass mark of 0.45 used to read "Match 46%".
    const { unmount } = render(ResultCard, { outcome: recorded('in', todayAt(9, 5), 0.46, 'face', 'near') });
    expect(screen.getByTestId('confidence').textContent).toBe('Matched — just above the pass mark');
    expect(screen.getByTestId('result-card').textContent).not.toMatch(/%|46/);
    unmount();
    locale.set('ko');
    render(ResultCard, { outcome: recorded('in', todayAt(9, 5), 0.46, 'voice', 'near') });
    expect(screen.getByTestId('confidence').textContent).toBe('일치 — 기준을 조금 넘었습니다');
    expect(screen.getByTestId('result-card').textContent).not.toMatch(/%|46/);
  });

  it('shows no confidence where the service sent none (a PIN punch, an older service)', () => {
    render(ResultCard, { outcome: recorded('in', todayAt(9, 5), 0.91) });
    expect(screen.queryByTestId('confidence')).toBeNull();
  });

  it('tells a debounced punch apart from a new one: when it was, and when the next punch is accepted', () => {
    const at = todayAt(9, 2);
    // 09:02:30 + 1 minute: accepted from 09:03:30, so the card says 09:04 (never a minute that is still refused).
    const first = new Date(new Date(at).getTime() + 30_000).toISOString();
    const outcome = (direction: 'in' | 'out', nextDirection: 'in' | 'out'): Outcome => ({
      kind: 'clock',
      modality: 'face',
      result: {
        outcome: 'debounced',
        event: { employee: { id: 7, code: 'E1001', name: 'Ana Silva' }, direction, modality: 'voice', score: 0.8, at: first },
        nextPunchAt: new Date(Date.parse(first) + 60_000).toISOString(),
        nextDirection,
      },
    });
    const { unmount } = render(ResultCard, { outcome: outcome('in', 'out') });
    expect(screen.getByText('You clocked in at 09:02 — you can clock out from 09:04.')).toBeTruthy();
    expect(screen.getByText('Nothing new was recorded.')).toBeTruthy();
    expect(screen.queryByText('Clocked in at 09:02')).toBeNull();
    // The earlier punch's way and score would read as this attempt's.
    expect(screen.queryByText('Voice')).toBeNull();
    expect(screen.queryByText(/Match/)).toBeNull();
    unmount();

    locale.set('ko');
    const ko = render(ResultCard, { outcome: outcome('in', 'out') });
    expect(screen.getByText('09:02에 출근하셨습니다. 09:04부터 퇴근을 기록할 수 있습니다.')).toBeTruthy();
    ko.unmount();
    render(ResultCard, { outcome: outcome('out', 'in') });
    expect(screen.getByText('09:02에 퇴근하셨습니다. 09:04부터 다시 출근을 기록할 수 있습니다.')).toBeTruthy();
    locale.set('en');
  });

  it('shows the not-recognised state with its reason and the three ways forward', async () => {
    const onretry = vi.fn();
    const onvoice = vi.fn();
    const onpin = vi.fn();
    render(ResultCard, {
      outcome: { kind: 'clock', modality: 'face', result: { outcome: 'not_recognised', reason: 'below_threshold' } },
      onretry,
      onvoice,
      onpin,
    });
    expect(screen.getByRole('heading').textContent).toBe('Not recognised');
    expect(screen.getByText('No enrolled employee matched.')).toBeTruthy();
    expect(screen.queryByText('IN')).toBeNull();
    expect(screen.queryByText('OUT')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Use voice' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Use PIN' }));
    expect([onretry.mock.calls.length, onvoice.mock.calls.length, onpin.mock.calls.length]).toEqual([1, 1, 1]);
  });

  it('says 인식되지 않았습니다 in Korean', () => {
    locale.set('ko');
    render(ResultCard, { outcome: { kind: 'clock', modality: 'voice', result: { outcome: 'not_recognised', reason: 'ambiguous' } } });
    expect(screen.getByRole('heading').textContent).toBe('인식되지 않았습니다');
  });

  it('offers "Not you?" while a face punch can be cancelled, and after it says nothing was recorded, in either language', async () => {
    const withUndo: Outcome = {
      kind: 'clock',
      modality: 'face',
      result: {
        outcome: 'recorded',
        event: { employee: { id: 7, code: 'E1001', name: '김민준' }, direction: 'in', modality: 'face', score: 0.7, at: todayAt(9, 0) },
        undo: { token: 'a'.repeat(32), expiresInMs: 60_000 },
      },
    };
    const onundo = vi.fn();
    const { unmount } = render(ResultCard, { outcome: withUndo, onundo });
    await fireEvent.click(screen.getByRole('button', { name: 'Not 김민준? Cancel this punch' }));
    expect(onundo).toHaveBeenCalledOnce();
    unmount();

    render(ResultCard, { outcome: recorded('in', todayAt(9, 0), 0.7), onundo });
    expect(screen.queryByRole('button', { name: /Cancel this punch/ })).toBeNull();
  });

  it('shows a cancelled punch with the ways left to clock in', async () => {
    locale.set('ko');
    const onpin = vi.fn();
    render(ResultCard, { outcome: { kind: 'voided', name: '김민준', modality: 'face' }, onpin, onvoice: vi.fn(), onretry: vi.fn() });
    expect(screen.getByRole('heading').textContent).toBe('기록이 취소되었습니다');
    expect(screen.getByText(/김민준님으로 기록된 것은 없습니다/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'PIN으로 기록' }));
    expect(onpin).toHaveBeenCalledOnce();
  });
});
