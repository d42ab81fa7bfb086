// @vitest-environment happy-dom
/**
 * The kiosk after a face attempt: one set of "Use voice / Use PIN" buttons, on the failure card
 * when there is one (the e2e run found a second bar under it, cut off at 1366x800).
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src-shared/contract.js';
import KioskScreen from '../../src-renderer/kiosk/KioskScreen.svelte';
import type { ClockResult } from '../../src-renderer/kiosk/outcome.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, FAKE_JPEG_BASE64, fail, ok, removeBridge, removeCamera, stubBridge, stubCamera } from './bridge.js';

/** One large face that holds still in the middle of a 480x360 detection frame. */
const steadyFace = () => ok<'face.detect'>({ width: 480, height: 360, faces: [{ x: 160, y: 90, width: 160, height: 180, score: 0.95 }] });

async function faceAttempt(clockFace: () => Reply<'clock.face'>) {
  stubCamera();
  const invoke = stubBridge({ 'face.detect': steadyFace, 'clock.face': clockFace });
  render(KioskScreen);
  const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
  return { invoke, card };
}

const buttons = (name: string) => screen.queryAllByRole('button', { name });

describe('kiosk screen after a face attempt', () => {
  afterEach(() => {
    removeBridge();
    removeCamera();
    locale.set('en');
  });

  it('offers voice and PIN once, on the card, when the face is not recognised', async () => {
    const notRecognised: ClockResult = { outcome: 'not_recognised', reason: 'below_threshold' };
    const { invoke, card } = await faceAttempt(() => ok<'clock.face'>(notRecognised));
    expect(callsTo(invoke, 'clock.face')).toEqual([{ frames: Array(5).fill(FAKE_JPEG_BASE64) }]);
    expect(within(card).getByText('Not recognised')).toBeTruthy();

    for (const name of ['Use voice', 'Use PIN', 'Try again']) {
      expect(buttons(name)).toHaveLength(1);
      expect(card.contains(buttons(name)[0] ?? null)).toBe(true);
    }
    expect(screen.queryByRole('navigation', { name: 'Other ways to clock in' })).toBeNull();

    await fireEvent.click(within(card).getByRole('button', { name: 'Use PIN' }));
    expect(screen.getByRole('dialog', { name: 'Clock in with PIN' })).toBeTruthy();
    expect(screen.queryByTestId('result-card')).toBeNull();
  });

  it('keeps one set on an error card too, and words the error in the current language', async () => {
    const { card } = await faceAttempt(() => fail('MULTIPLE_FACES', 'more than one face in the frames'));
    expect(within(card).getByText('One person at a time, please — only the person clocking in or enrolling should be in view.')).toBeTruthy();
    expect(buttons('Use voice')).toHaveLength(1);
    expect(buttons('Use PIN')).toHaveLength(1);

    locale.set('ko');
    await waitFor(() => expect(within(card).getByText('한 번에 한 사람씩 해 주세요. 기록하거나 등록하는 사람만 화면에 있어야 합니다.')).toBeTruthy());
    expect(buttons('음성으로 기록')).toHaveLength(1);
    expect(buttons('PIN으로 기록')).toHaveLength(1);
  });

  it('shows the bar under a success card, which has no buttons of its own', async () => {
    const at = new Date().toISOString();
    const { card } = await faceAttempt(() =>
      ok<'clock.face'>({ outcome: 'recorded', event: { employee: { id: 1, code: 'E1', name: '김민준' }, direction: 'in', modality: 'face', score: 0.8, at } }),
    );
    expect(within(card).queryAllByRole('button')).toHaveLength(0);
    const bar = screen.getByRole('navigation', { name: 'Other ways to clock in' });
    expect(buttons('Use voice')).toEqual([within(bar).getByRole('button', { name: 'Use voice' })]);
    expect(buttons('Use PIN')).toEqual([within(bar).getByRole('button', { name: 'Use PIN' })]);
  });

  it('"Not you?" cancels a wrong punch through clock.undo, then offers PIN and voice once, on the card', async () => {
    const at = new Date().toISOString();
    const event = { employee: { id: 1, code: 'E1', name: '김민준' }, direction: 'in' as const, modality: 'face' as const, score: 0.8, at };
    stubCamera();
    const invoke = stubBridge({
      'face.detect': steadyFace,
      'clock.face': () => ok<'clock.face'>({ outcome: 'recorded', event, undo: { token: 'b'.repeat(32), expiresInMs: 60_000 } }),
      'clock.undo': () => ok<'clock.undo'>({ voided: event }),
    });
    render(KioskScreen);
    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    await fireEvent.click(within(card).getByRole('button', { name: 'Not 김민준? Cancel this punch' }));
    expect(callsTo(invoke, 'clock.undo')).toEqual([{ undoToken: 'b'.repeat(32) }]);
    const cancelled = await screen.findByText('Punch cancelled');
    expect(cancelled).toBeTruthy();
    expect(buttons('Use PIN')).toHaveLength(1);
    expect(buttons('Use voice')).toHaveLength(1);
  });

  it('asks for one person at a time while two faces are in view, and clocks no one', async () => {
    stubCamera();
    const two = () =>
      ok<'face.detect'>({
        width: 480,
        height: 360,
        faces: [
          { x: 60, y: 90, width: 150, height: 170, score: 0.95 },
          { x: 280, y: 100, width: 130, height: 150, score: 0.9 },
        ],
      });
    const invoke = stubBridge({ 'face.detect': two });
    render(KioskScreen);
    await waitFor(() => expect(screen.getByTestId('camera-hint').textContent).toBe('One person at a time, please'), { timeout: 3000 });
    locale.set('ko');
    await waitFor(() => expect(screen.getByTestId('camera-hint').textContent).toBe('한 번에 한 사람씩 기록해 주세요'));
    await new Promise((r) => setTimeout(r, 1200));
    expect(callsTo(invoke, 'clock.face')).toEqual([]);
  });

  it('says the camera shows nothing when its frames are black', async () => {
    stubCamera();
    stubBridge({ 'face.detect': () => ok<'face.detect'>({ width: 480, height: 360, faces: [], blank: true }) });
    render(KioskScreen);
    await waitFor(() => expect(screen.getByTestId('camera-hint').textContent).toBe('The camera shows nothing — check that it is not covered. You can use your PIN.'), { timeout: 3000 });
    locale.set('ko');
    await waitFor(() => expect(screen.getByTestId('camera-hint').textContent).toContain('카메라에 아무것도 보이지 않습니다.'));
  });
});
