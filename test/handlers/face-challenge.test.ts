/**
 * Challenge liveness through the handler table, on a real kiosk (SQLite file, ONNX models):
 * kiosk.status names the mode, clock.face.challenge issues the action, clock.face takes its id.
 * Refusals use a still burst (one real photo sent four times), which performs no action
 * whatever was drawn. The genuine pass uses ORL subject s1's own head turns (same sitting,
 * same lighting): looked at by eye, s1/1 faces the camera, in s1/2 he has turned to his left
 * (nose towards the image's right) and in s1/6 to his right.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_INSTRUCTIONS, type ChallengeInstruction } from '../../src-shared/vocabulary.js';
import type { Outputs } from '../../src-shared/contract.js';
import { adminToken, base64Of, call, failure, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { data } from '../helpers/paths.js';

const orl = (n: number): string => data('faces/orl/s1', `${n}.pgm`);
const hasOrl = [1, 2, 3, 6].every((n) => existsSync(orl(n)));

describe.skipIf(!hasModels || !hasWebcamPhotos || !hasOrl)('clock.face.challenge and clock.face with a challengeId (real kiosk)', () => {
  let t: TestKiosk;
  let token: string;
  let still: string[];
  const eventCount = (): number => t.kiosk.context.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') }).length;
  const setMode = (livenessMode: string) => call(t.dispatch, 'admin.settings.set', { token, settings: { livenessMode } });
  const challenge = () => call(t.dispatch, 'clock.face.challenge', {});
  /** Challenges are drawn at random: draws until `instruction` comes (P(200 misses) = (2/3)^200). */
  async function challengeFor(instruction: ChallengeInstruction): Promise<Outputs['clock.face.challenge']> {
    for (let draw = 0; draw < 200; draw++) {
      const issued = await challenge();
      if (issued.instruction === instruction) return issued;
    }
    throw new Error(`no ${instruction} challenge in 200 draws`);
  }

  async function enroll(code: string, name: string, photo: string): Promise<number> {
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code, name });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'consent-v1' });
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: employee.id, image: base64Of(photo), pose: 'front' });
    return employee.id;
  }

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    await enroll('E001', 'Barack Obama', webcam('obama.jpg'));
    await enroll('ORL1', 'ORL subject 1', orl(3));
    still = Array<string>(4).fill(base64Of(webcam('obama2.jpg')));
  });
  afterAll(() => t?.close());

  it('kiosk.status reports the liveness mode the admin set', async () => {
    expect((await call(t.dispatch, 'kiosk.status', {})).livenessMode).toBe('off');
    for (const mode of ['challenge', 'passive', 'off'] as const) {
      await setMode(mode);
      expect((await call(t.dispatch, 'kiosk.status', {})).livenessMode).toBe(mode);
    }
  });

  it('issues random challenges with a fresh 128-bit id each, drawing every instruction', async () => {
    const drawn = await Promise.all(Array.from({ length: 60 }, () => challenge()));
    expect(new Set(drawn.map((c) => c.challengeId)).size).toBe(drawn.length);
    for (const c of drawn) {
      expect(c.challengeId).toMatch(/^[0-9a-f]{32}$/);
      expect(Number.isInteger(c.timeLimitMs) && c.timeLimitMs > 0).toBe(true);
    }
    // P(an instruction missing from 60 uniform draws) = 3·(2/3)^60 ≈ 1e-10.
    expect(new Set(drawn.map((c) => c.instruction))).toEqual(new Set(CHALLENGE_INSTRUCTIONS));
  });

  it('issues one in any mode; the mode in force when clock.face arrives decides the check', async () => {
    await setMode('off');
    const { challengeId, instruction } = await challenge();
    await setMode('passive');
    // Passive mode ignores the id (and leaves it unused): the still burst fails the motion check.
    expect(await failure(t.dispatch, 'clock.face', { frames: still, challengeId })).toMatchObject({ code: 'LIVENESS_FAILED', details: { reason: 'no_motion' } });
    await setMode('challenge');
    expect(await failure(t.dispatch, 'clock.face', { frames: still, challengeId })).toMatchObject({
      code: 'LIVENESS_FAILED',
      details: { reason: 'not_performed', instruction },
    });
    expect(eventCount()).toBe(0);
  });

  it('in challenge mode refuses a missing, unknown, expired or reused challengeId before identifying anyone', async () => {
    await setMode('challenge');
    expect(await failure(t.dispatch, 'clock.face', { frames: still })).toMatchObject({ code: 'LIVENESS_FAILED', details: { reason: 'challenge_required' } });
    expect((await failure(t.dispatch, 'clock.face', { frames: still, challengeId: 'ab'.repeat(16) })).code).toBe('CHALLENGE_EXPIRED');

    const late = await challenge();
    t.clock.advance(late.timeLimitMs);
    expect((await failure(t.dispatch, 'clock.face', { frames: still, challengeId: late.challengeId })).code).toBe('CHALLENGE_EXPIRED');

    // Just inside the limit the id is accepted, and the still burst is refused for want of the action.
    const inTime = await challenge();
    t.clock.advance(inTime.timeLimitMs - 1);
    expect(await failure(t.dispatch, 'clock.face', { frames: still, challengeId: inTime.challengeId })).toMatchObject({
      code: 'LIVENESS_FAILED',
      details: { reason: 'not_performed', instruction: inTime.instruction },
    });
    expect((await failure(t.dispatch, 'clock.face', { frames: still, challengeId: inTime.challengeId })).code).toBe('CHALLENGE_EXPIRED');
    expect((await failure(t.dispatch, 'clock.face', { frames: still, challengeId: 'AB'.repeat(16) })).code).toBe('INVALID_INPUT');
    expect(eventCount()).toBe(0);

    // The same burst with liveness off is Obama clocking in: the refusals above were the liveness check's.
    await setMode('off');
    expect(await call(t.dispatch, 'clock.face', { frames: still })).toMatchObject({ outcome: 'recorded', event: { employee: { code: 'E001' } } });
    expect(eventCount()).toBe(1);
  });

  it('clocks in a real head turn that answers the challenge, and refuses the same turn for the other side', async () => {
    await setMode('challenge');
    const turnLeft = [1, 1, 2].map((n) => base64Of(orl(n)));
    const turnRight = [1, 1, 6].map((n) => base64Of(orl(n)));

    const wrongSide = await challengeFor('turn_right');
    expect(await failure(t.dispatch, 'clock.face', { frames: turnLeft, challengeId: wrongSide.challengeId })).toMatchObject({
      code: 'LIVENESS_FAILED',
      details: { reason: 'wrong_direction', instruction: 'turn_right' },
    });
    expect(eventCount()).toBe(1);

    const left = await challengeFor('turn_left');
    expect(await call(t.dispatch, 'clock.face', { frames: turnLeft, challengeId: left.challengeId })).toMatchObject({
      outcome: 'recorded',
      event: { employee: { code: 'ORL1' }, direction: 'in', modality: 'face' },
    });
    expect(eventCount()).toBe(2);

    t.clock.advance(3600_000);
    const right = await challengeFor('turn_right');
    expect(await call(t.dispatch, 'clock.face', { frames: turnRight, challengeId: right.challengeId })).toMatchObject({
      outcome: 'recorded',
      event: { employee: { code: 'ORL1' }, direction: 'out' },
    });
    expect(eventCount()).toBe(3);
  });
});
