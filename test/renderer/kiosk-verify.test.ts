// @vitest-environment happy-dom
/**
 * The kiosk screen when a modality verifies a claimed code (kiosk.status `recognition`): face
 * waits for a code before any face is sent and then sends it with the frames; voice asks for the
 * code before the phrase. The code keypad has letters, so "E001" needs no keyboard. Both languages.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import KioskScreen from '../../src-renderer/kiosk/KioskScreen.svelte';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, FAKE_JPEG_BASE64, ok, removeBridge, removeCamera, stubBridge, stubCamera } from './bridge.js';

const steadyFace = () => ok<'face.detect'>({ width: 480, height: 360, faces: [{ x: 160, y: 90, width: 160, height: 180, score: 0.95 }] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Types E001 on the touch keys: letters page, E, back to digits, 0 0 1. */
async function typeE001(keys: { letters: string; digits: string } = { letters: 'ABC', digits: '123' }): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: keys.letters }));
  await fireEvent.click(screen.getByRole('button', { name: 'E' }));
  await fireEvent.click(screen.getByRole('button', { name: keys.digits }));
  for (const key of ['0', '0', '1']) await fireEvent.click(screen.getByRole('button', { name: key }));
}

describe('kiosk screen in verify mode', () => {
  afterEach(() => {
    removeBridge();
    removeCamera();
    locale.set('en');
  });

  it('face: sends no face without a code, then sends the next steady face with the code typed on the keys', async () => {
    stubCamera();
    const invoke = stubBridge({ 'face.detect': steadyFace, 'clock.face': () => ok<'clock.face'>({ outcome: 'not_recognised', reason: 'not_verified' }) });
    render(KioskScreen, { props: { recognition: { face: 'verify', voice: 'verify' } } });
    expect(screen.getAllByText('Enter your employee code, then look at the camera').length).toBeGreaterThan(0);
    // A steady face alone starts nothing.
    await waitFor(() => expect(callsTo(invoke, 'face.detect').length).toBeGreaterThan(3), { timeout: 3000 });
    expect(callsTo(invoke, 'clock.face')).toEqual([]);

    await typeE001();
    expect((screen.getByRole('textbox', { name: 'Your employee code' }) as HTMLInputElement).value).toBe('E001');
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(callsTo(invoke, 'clock.face')).toEqual([{ frames: Array(5).fill(FAKE_JPEG_BASE64), employeeCode: 'E001' }]);
    expect(within(card).getByText('The employee code and the face or voice do not go together. Try again, or use your PIN.')).toBeTruthy();
    locale.set('ko');
    await waitFor(() => expect(within(card).getByText('사원 번호와 얼굴 또는 목소리가 맞지 않습니다. 다시 시도하거나 PIN을 사용하세요.')).toBeTruthy());
  });

  it('face: "Change code" forgets the code, and no face is sent for it', async () => {
    stubCamera();
    const invoke = stubBridge({ 'face.detect': () => ok<'face.detect'>({ width: 480, height: 360, faces: [] }) });
    render(KioskScreen, { props: { recognition: { face: 'verify', voice: null } } });
    await typeE001();
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('Now look at the camera')).toBeTruthy();
    expect(screen.getByText('Code E001')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Change code' }));
    expect(screen.getByRole('textbox', { name: 'Your employee code' })).toBeTruthy();
    await sleep(600);
    expect(callsTo(invoke, 'clock.face')).toEqual([]);
  });

  it('voice: asks for the code before the phrase, in Korean too, while face keeps identifying', async () => {
    locale.set('ko');
    stubCamera();
    const invoke = stubBridge({
      'face.detect': () => ok<'face.detect'>({ width: 480, height: 360, faces: [] }),
      'kiosk.phrase': () => ok<'kiosk.phrase'>({ phraseId: 'p1', text: '오늘도 좋은 하루 보내세요' }),
    });
    render(KioskScreen, { props: { recognition: { face: 'identify', voice: 'verify' } } });
    expect(screen.getAllByText('출퇴근을 기록하려면 카메라를 바라봐 주세요').length).toBeGreaterThan(0);
    await fireEvent.click(screen.getByRole('button', { name: '음성으로 기록' }));
    expect(callsTo(invoke, 'kiosk.phrase')).toEqual([]);
    await typeE001({ letters: '영문', digits: '숫자' });
    await fireEvent.click(screen.getByRole('button', { name: '다음' }));
    expect(await screen.findByText('오늘도 좋은 하루 보내세요')).toBeTruthy();
    expect(screen.getByText('사원 번호 E001')).toBeTruthy();
  });

  it('voice in identify mode goes straight to the phrase', async () => {
    stubCamera();
    stubBridge({
      'face.detect': () => ok<'face.detect'>({ width: 480, height: 360, faces: [] }),
      'kiosk.phrase': () => ok<'kiosk.phrase'>({ phraseId: 'p1', text: 'The quick brown fox' }),
    });
    render(KioskScreen, { props: { recognition: { face: 'identify', voice: 'identify' } } });
    await fireEvent.click(screen.getByRole('button', { name: 'Use voice' }));
    expect(await screen.findByText('The quick brown fox')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Your employee code' })).toBeNull();
  });
});
