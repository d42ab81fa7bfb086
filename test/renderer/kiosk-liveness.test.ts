// @vitest-environment happy-dom
/**
 * The kiosk screen in each liveness mode: in challenge mode it asks clock.face.challenge for an
 * action, shows it with a countdown while filming, and sends the challenge's id with the frames;
 * in passive mode it says that natural movement is fine. Both languages.
 */
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, type Outputs } from '../../src-shared/contract.js';
import App from '../../src-renderer/App.svelte';
import KioskScreen from '../../src-renderer/kiosk/KioskScreen.svelte';
import { challengeBurstPlan, CHALLENGE_SEND_MARGIN_MS } from '../../src-renderer/lib/challenge.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, FAKE_JPEG_BASE64, fail, ok, removeBridge, removeCamera, stubBridge, stubCamera } from './bridge.js';

const steadyFace = () => ok<'face.detect'>({ width: 480, height: 360, faces: [{ x: 160, y: 90, width: 160, height: 180, score: 0.95 }] });
const CHALLENGE_ID = '0123456789abcdef0123456789abcdef';
const notRecognised = () => ok<'clock.face'>({ outcome: 'not_recognised', reason: 'below_threshold' });

/** A 2.5 s limit keeps the filming short here: 2.5 s less the 2 s sending margin. */
function challengeAttempt(instruction: Outputs['clock.face.challenge']['instruction'], clockFace = notRecognised, timeLimitMs = 2500) {
  stubCamera();
  const invoke = stubBridge({
    'face.detect': steadyFace,
    'clock.face.challenge': () => ok<'clock.face.challenge'>({ challengeId: CHALLENGE_ID, instruction, timeLimitMs }),
    'clock.face': clockFace,
  });
  render(KioskScreen, { props: { livenessMode: 'challenge', recognition: { face: 'identify', voice: 'verify' } } });
  return invoke;
}

describe('kiosk screen and face liveness', () => {
  afterEach(() => {
    removeBridge();
    removeCamera();
    locale.set('en');
  });

  it('films a challenge with the most frames a burst may hold, ending the send margin before its time limit', () => {
    for (const limit of [2500, 5000, 10_000, 60_000]) {
      const plan = challengeBurstPlan(limit);
      expect(plan.count).toBe(LIMITS.framesPerBurst);
      expect((plan.count - 1) * plan.intervalMs).toBeLessThanOrEqual(limit - CHALLENGE_SEND_MARGIN_MS);
    }
    // 10 s limit: 3 s of action over 7 gaps, 428.57 ms rounded down.
    expect(challengeBurstPlan(10_000).intervalMs).toBe(428);
    expect(challengeBurstPlan(1000).intervalMs).toBe(0);
  });

  it('shows the drawn action with a countdown, then sends its challengeId with the frames', async () => {
    const invoke = challengeAttempt('turn_left');
    const prompt = await screen.findByTestId('challenge', {}, { timeout: 5000 });
    expect(within(prompt).getByText('Slowly turn your head a little to your left')).toBeTruthy();
    // The filming's time (0.5 s here), not the challenge's limit.
    expect(within(prompt).getByText('1 s')).toBeTruthy();

    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(within(card).getByText('Not recognised')).toBeTruthy();
    expect(screen.queryByTestId('challenge')).toBeNull();
    const order = invoke.mock.calls.map(([name]) => name).filter((name) => name.startsWith('clock.'));
    expect(order).toEqual(['clock.face.challenge', 'clock.face']);
    expect(callsTo(invoke, 'clock.face.challenge')).toEqual([{}]);
    expect(callsTo(invoke, 'clock.face')).toEqual([{ frames: Array(LIMITS.framesPerBurst).fill(FAKE_JPEG_BASE64), challengeId: CHALLENGE_ID }]);
  });

  it('words the action and the countdown in Korean', async () => {
    locale.set('ko');
    const invoke = challengeAttempt('blink');
    const prompt = await screen.findByTestId('challenge', {}, { timeout: 5000 });
    expect(within(prompt).getByText('눈을 잠깐 감았다가 떠 주세요')).toBeTruthy();
    expect(within(prompt).getByText('1초')).toBeTruthy();
    await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(callsTo(invoke, 'clock.face')).toMatchObject([{ challengeId: CHALLENGE_ID }]);
  });

  it('counts down the ~3 s of filming, not the 10 s limit, and keeps the instruction off the lower face', async () => {
    challengeAttempt('blink', notRecognised, 10_000);
    const prompt = await screen.findByTestId('challenge', {}, { timeout: 5000 });
    expect(within(prompt).getByText('3 s')).toBeTruthy();
    expect(within(prompt).queryByText('10 s')).toBeNull();
    expect(prompt.dataset.placement).toBe('top');
    await waitFor(() => expect(within(prompt).getByText('2 s')).toBeTruthy(), { timeout: 2500 });
    await screen.findByTestId('result-card', {}, { timeout: 6000 });
  });

  it('says the action was not seen when the service refuses the challenge', async () => {
    challengeAttempt('turn_right', () => fail('LIVENESS_FAILED', 'not seen', { reason: 'not_performed', instruction: 'turn_right' }));
    expect(await screen.findByText('Slowly turn your head a little to your right', {}, { timeout: 5000 })).toBeTruthy();
    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(within(card).getByText('The movement asked for was not seen — try again and follow the instruction.')).toBeTruthy();
    locale.set('ko');
    await waitFor(() => expect(within(card).getByText('요청한 동작이 확인되지 않았습니다. 다시 시도하고 안내에 따라 주세요.')).toBeTruthy());
  });

  it('does not film when no challenge could be issued', async () => {
    stubCamera();
    const invoke = stubBridge({ 'face.detect': steadyFace, 'clock.face.challenge': () => fail('INTERNAL', 'broken') });
    render(KioskScreen, { props: { livenessMode: 'challenge', recognition: { face: 'identify', voice: 'verify' } } });
    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(within(card).getByText('Something went wrong inside the kiosk — please try again.')).toBeTruthy();
    expect(callsTo(invoke, 'clock.face')).toEqual([]);
  });

  it('in passive mode asks for no action, tells people they need not freeze, and sends a plain burst', async () => {
    stubCamera();
    const invoke = stubBridge({ 'face.detect': steadyFace, 'clock.face': notRecognised });
    render(KioskScreen, { props: { livenessMode: 'passive', recognition: { face: 'identify', voice: 'verify' } } });
    // On the idle card, and on the camera while a face settles.
    expect(screen.getAllByText('Look at the camera naturally — no need to freeze.').length).toBeGreaterThan(0);
    locale.set('ko');
    await waitFor(() => expect(screen.getAllByText('카메라를 자연스럽게 바라봐 주세요. 굳이 멈춰 있지 않아도 됩니다.').length).toBeGreaterThan(0));
    await screen.findByTestId('result-card', {}, { timeout: 5000 });
    expect(callsTo(invoke, 'clock.face.challenge')).toEqual([]);
    expect(callsTo(invoke, 'clock.face')).toEqual([{ frames: Array(5).fill(FAKE_JPEG_BASE64) }]);
  });

  it('in passive mode a refusal does not call the person a picture: it says what to do, in both languages', async () => {
    stubCamera();
    stubBridge({
      'face.detect': steadyFace,
      'clock.face': () => fail('LIVENESS_FAILED', 'This looks like a still picture, not a live face.', { reason: 'no_motion' }),
    });
    render(KioskScreen, { props: { livenessMode: 'passive', recognition: { face: 'identify', voice: 'verify' } } });
    const card = await screen.findByTestId('result-card', {}, { timeout: 5000 });
    const english = 'The kiosk could not confirm a live face this time — look at the camera, say your name or smile, and try again. Your PIN works too.';
    expect(within(card).getByText(english)).toBeTruthy();
    expect(card.textContent).not.toMatch(/picture|photo/i);
    expect(within(card).getByRole('button', { name: 'Try again' })).toBeTruthy();
    locale.set('ko');
    await waitFor(() => expect(card.textContent).toContain('이번에는 실제 얼굴인지 확인하지 못했습니다.'));
    expect(card.textContent).not.toMatch(/사진/);
  });

  it('takes the mode from kiosk.status', async () => {
    stubCamera();
    stubBridge({ 'kiosk.status': () => ok<'kiosk.status'>({ ready: true, kioskId: 'k1', models: [], enrolled: 1, livenessMode: 'challenge', recognition: { face: 'identify', voice: 'verify' } }) });
    render(App);
    expect(await screen.findByText('You will be asked for a small movement — follow the instruction on screen.')).toBeTruthy();
  });
});
