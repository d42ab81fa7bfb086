/**
 * ClockService on fake engines and a real store: every outcome of a face, voice and PIN punch,
 * checked both in what the service answers and in what the database holds afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNDO_WINDOW_MS } from '../../src-main/core/attendance/clock-service.js';
import { DEFAULT_LIMITER_POLICY } from '../../src-main/core/auth/attempt-limiter.js';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { ModalityGallery } from '../../src-main/core/match/modality-gallery.js';
import { FACE_MODEL, VOICE_MODEL } from './fake-engines.js';
import {
  ACTOR,
  KIOSK_ID,
  PHRASE_TTL_MS,
  SAMPLE_RATE,
  START,
  SYNTHETIC_CALIBRATION,
  attendance,
  cosine,
  enrolFace,
  faceScore,
  hire,
  openServices,
  performingLandmarks,
  speakingLandmarks,
  stillLandmarks,
  type Services,
} from './service-fixture.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

// Face embeddings: Ann and Bob are √2 apart, far beyond the 0.55 distance the default threshold allows.
const ANN = [1, 0, 0, 0];
const BOB = [0, 1, 0, 0];
const STRANGER = [0, 0, 1, 0];
/** Ann seen 0.3 away from her enrolled shot. */
const ANN_PROBE = [1, 0, 0, 0.3];

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

const clockFace = (embedding: readonly number[], frames = 3) =>
  s.clocking.clockFace(Array.from({ length: frames }, () => s.face.face(embedding)));

describe('ClockService.clockFace', () => {
  it('records in, then out once the debounce window has passed, with the score and the model', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    await enrolFace(s, 'E002', 'Bob', BOB);
    const analysesBefore = s.face.calls.length;

    const first = await clockFace(ANN_PROBE);
    expect(first).toEqual({
      outcome: 'recorded',
      event: { employee: { id: ann, code: 'E001', name: 'Ann' }, direction: 'in', modality: 'face', score: expect.closeTo(faceScore(ANN_PROBE, ANN), 5), at: START },
      undo: { token: expect.stringMatching(/^[0-9a-f]{32}$/), expiresInMs: UNDO_WINDOW_MS },
      confidence: 'clear',
    });
    s.clock.advance(s.store.settings.get('debounceMinutes') * MINUTE);
    const second = await clockFace(ANN_PROBE);
    expect(second).toMatchObject({ outcome: 'recorded', event: { direction: 'out' } });

    expect(attendance(s)).toEqual([
      expect.objectContaining({ employeeId: ann, direction: 'in', modality: 'face', modelId: FACE_MODEL.id, kioskId: KIOSK_ID, occurredAt: START }),
      expect.objectContaining({ employeeId: ann, direction: 'out', modality: 'face', modelId: FACE_MODEL.id }),
    ]);
    expect(attendance(s)[0]!.score).toBeCloseTo(faceScore(ANN_PROBE, ANN), 5);
    // A clock-in frame goes through the probe gates, not enrollment's stricter ones.
    expect(s.face.calls.slice(analysesBefore).map((c) => c.mode)).toEqual(Array(6).fill('probe'));
  });

  it('debounces a second punch within debounceMinutes: outcome debounced, nothing written, the earlier event answered', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    s.store.settings.set('debounceMinutes', 5);
    const first = await clockFace(ANN_PROBE);
    s.clock.advance(5 * MINUTE - 1);

    // Ann's exact face now would score 1: the answer carries the earlier event's 0.7, not a new one.
    // The earlier event is answered, without a new undo token: nothing new was written.
    // It also says when the next punch is accepted (5 minutes after the first) and that it will be a clock-out.
    const earlier = first.outcome === 'recorded' ? first.event : null;
    const nextPunchAt = new Date(Date.parse(earlier!.at) + 5 * MINUTE).toISOString();
    expect(await clockFace(ANN)).toEqual({ outcome: 'debounced', event: earlier, nextPunchAt, nextDirection: 'out' });
    expect(attendance(s)).toHaveLength(1);
    s.clock.advance(1);
    expect(await clockFace(ANN)).toMatchObject({ outcome: 'recorded', event: { direction: 'out', at: nextPunchAt } });
    // After the clock-out, a repeat says the next punch clocks in again.
    s.clock.advance(2 * MINUTE);
    expect(await clockFace(ANN)).toMatchObject({ outcome: 'debounced', event: { direction: 'out' }, nextPunchAt: new Date(Date.parse(nextPunchAt) + 5 * MINUTE).toISOString(), nextDirection: 'in' });
  });

  it('after the clock was set back, a punch earlier than the last one is recorded, not debounced', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    await clockFace(ANN_PROBE);
    s.clock.advance(-10 * MINUTE);
    expect(await clockFace(ANN_PROBE)).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    expect(attendance(s)).toHaveLength(2);
  });

  it('answers not_recognised below_threshold for a stranger and writes nothing', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    await enrolFace(s, 'E002', 'Bob', BOB);
    expect(await clockFace(STRANGER)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(attendance(s)).toEqual([]);
  });

  it('refuses a probe equally close to two enrolled people as ambiguous (margin rule), but takes one clearly nearer either', async () => {
    // 0.8 apart: far enough for enrollment's duplicate check, close enough for one probe to reach both.
    const twinA = await enrolFace(s, 'T001', 'Twin A', [0.4, 0, 0, 0]);
    await enrolFace(s, 'T002', 'Twin B', [-0.4, 0, 0, 0]);
    const between = [0, 0.1, 0, 0];
    expect(faceScore(between, [0.4, 0, 0, 0])).toBeGreaterThan(s.store.settings.get('faceThreshold'));

    expect(await clockFace(between)).toEqual({ outcome: 'not_recognised', reason: 'ambiguous' });
    expect(attendance(s)).toEqual([]);
    expect(await clockFace([0.3, 0.1, 0, 0])).toMatchObject({ outcome: 'recorded', event: { employee: { id: twinA } } });
  });

  it('answers not_recognised no_enrolled_employees while nobody has a face template', async () => {
    await hire(s, 'E001', 'Ann');
    expect(await clockFace(ANN)).toEqual({ outcome: 'not_recognised', reason: 'no_enrolled_employees' });
    expect(attendance(s)).toEqual([]);
  });

  it('skips frames with problems and averages the good ones before deciding', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    await enrolFace(s, 'E002', 'Bob', BOB);
    // Each of these alone is 0.6 from Ann (score 0.4, under the 0.45 threshold); their mean is Ann exactly.
    const left = [1, 0.6, 0, 0];
    const right = [1, -0.6, 0, 0];
    expect(await clockFace(left, 1)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(await clockFace(right, 1)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });

    // FACE_UNCLEAR (landmarks that make no face) is a frame problem like the others: skipped, not the burst's end.
    const burst = [s.face.failing('BLURRED'), s.face.face(left), s.face.failing('NO_FACE'), s.face.failing('FACE_UNCLEAR'), s.face.face(right)];
    const result = await s.clocking.clockFace(burst);
    expect(result).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann }, score: expect.closeTo(1, 5) } });
    expect(attendance(s)).toEqual([expect.objectContaining({ employeeId: ann, score: expect.closeTo(1, 5) })]);
  });

  it('throws the most common frame problem when no frame is usable, and EMPTY_INPUT for no frames', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    const frames = ['NO_FACE', 'BLURRED', 'STRONG_POSE', 'BLURRED'] as const;
    await expect(s.clocking.clockFace(frames.map((code) => s.face.failing(code)))).rejects.toMatchObject({ code: 'BLURRED' });
    await expect(s.clocking.clockFace([])).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
    expect(attendance(s)).toEqual([]);
  });

  it('face.detect flags a camera that shows nothing; a burst of black frames is CAMERA_BLANK, not NO_FACE', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    expect(await s.clocking.detect(s.face.failing('CAMERA_BLANK'))).toMatchObject({ faces: [], blank: true });
    expect(await s.clocking.detect(s.face.face(ANN))).toMatchObject({ blank: false });
    await expect(s.clocking.clockFace([s.face.failing('CAMERA_BLANK'), s.face.failing('CAMERA_BLANK')])).rejects.toMatchObject({ code: 'CAMERA_BLANK' });
  });

  it('does not skip a failure that is not about the frame: it fails the whole burst', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    await expect(s.clocking.clockFace([s.face.face(ANN), s.face.failing('INTERNAL')])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(attendance(s)).toEqual([]);
  });

  it('in passive mode refuses a still burst with LIVENESS_FAILED and writes nothing; a speaking face is recorded', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    s.store.settings.set('livenessMode', 'passive');

    await expect(s.clocking.clockFace(s.face.burst(ANN, stillLandmarks()))).rejects.toMatchObject({
      code: 'LIVENESS_FAILED',
      details: { reason: 'no_motion' },
    });
    expect(attendance(s)).toEqual([]);
    expect(await s.clocking.clockFace(s.face.burst(ANN, speakingLandmarks()))).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
  });

  describe('challenge mode', () => {
    beforeEach(() => s.store.settings.set('livenessMode', 'challenge'));

    it('refuses a burst without a challengeId (challenge_required) and an unknown one (CHALLENGE_EXPIRED)', async () => {
      await enrolFace(s, 'E001', 'Ann', ANN);
      const frames = () => s.face.burst(ANN, speakingLandmarks());
      await expect(s.clocking.clockFace(frames())).rejects.toMatchObject({ code: 'LIVENESS_FAILED', details: { reason: 'challenge_required' } });
      await expect(s.clocking.clockFace(frames(), { challengeId: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'CHALLENGE_EXPIRED' });
      expect(attendance(s)).toEqual([]);
    });

    it('refuses a challenge answered at its time limit, and accepts one answered a millisecond before it', async () => {
      const ann = await enrolFace(s, 'E001', 'Ann', ANN);
      const late = s.clocking.issueFaceChallenge();
      s.clock.advance(late.timeLimitMs);
      await expect(s.clocking.clockFace(s.face.burst(ANN, performingLandmarks(late.instruction)), { challengeId: late.challengeId })).rejects.toMatchObject({
        code: 'CHALLENGE_EXPIRED',
      });
      expect(attendance(s)).toEqual([]);

      const onTime = s.clocking.issueFaceChallenge();
      s.clock.advance(onTime.timeLimitMs - 1);
      const result = await s.clocking.clockFace(s.face.burst(ANN, performingLandmarks(onTime.instruction)), { challengeId: onTime.challengeId });
      expect(result).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    });

    it('refuses a still burst after a valid challenge with LIVENESS_FAILED naming the action, and uses the challenge up', async () => {
      await enrolFace(s, 'E001', 'Ann', ANN);
      const issued = s.clocking.issueFaceChallenge();
      await expect(s.clocking.clockFace(s.face.burst(ANN, stillLandmarks()), { challengeId: issued.challengeId })).rejects.toMatchObject({
        code: 'LIVENESS_FAILED',
        details: { reason: 'not_performed', instruction: issued.instruction },
      });
      // Performing the action now is too late: that challenge is gone.
      await expect(s.clocking.clockFace(s.face.burst(ANN, performingLandmarks(issued.instruction)), { challengeId: issued.challengeId })).rejects.toMatchObject({
        code: 'CHALLENGE_EXPIRED',
      });
      expect(attendance(s)).toEqual([]);
    });
  });

  it('no longer recognises a deactivated employee, in the live gallery or in one reloaded from the store', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    const bob = await enrolFace(s, 'E002', 'Bob', BOB);
    s.enrollment.deactivate(ACTOR, ann);

    expect(await clockFace(ANN)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(attendance(s)).toEqual([]);
    const reloaded = new ModalityGallery('face', FACE_MODEL, createSimilarity({ energy: 'euclidean' }), { kind: 'each' });
    reloaded.load(s.store.templates);
    expect([...reloaded.employees()]).toEqual([bob]);
  });
});

describe('ClockService.clockVoice', () => {
  const enrolVoice = async (code: string, name: string, embedding: readonly number[]): Promise<number> => {
    const id = await hire(s, code, name);
    for (let i = 0; i < 3; i++) await s.enrollment.enrollVoice(ACTOR, id, s.voice.utterance(embedding), SAMPLE_RATE);
    return id;
  };

  it('records a punch by a freshly issued phrase, with the voice score and model', async () => {
    const ann = await enrolVoice('E001', 'Ann', [1, 0, 0]);
    await enrolVoice('E002', 'Bob', [0, 1, 0]);
    const probe = [1, 0.2, 0];
    const { phraseId, text } = s.clocking.issuePhrase('en');
    expect(text.length).toBeGreaterThan(0);

    const result = await s.clocking.clockVoice(phraseId, s.voice.utterance(probe), SAMPLE_RATE, 'E001');
    expect(result).toEqual({
      outcome: 'recorded',
      event: { employee: { id: ann, code: 'E001', name: 'Ann' }, direction: 'in', modality: 'voice', score: expect.closeTo(cosine(probe, [1, 0, 0]), 5), at: START },
      undo: { token: expect.stringMatching(/^[0-9a-f]{32}$/), expiresInMs: UNDO_WINDOW_MS },
      confidence: 'clear',
    });
    expect(attendance(s)).toEqual([expect.objectContaining({ employeeId: ann, modality: 'voice', modelId: VOICE_MODEL.id, score: expect.closeTo(cosine(probe, [1, 0, 0]), 5) })]);
    expect(s.voice.calls.at(-1)).toBe(SAMPLE_RATE);
  });

  it('answers PHRASE_EXPIRED for a phrase never issued, one already used and one past its lifetime; nothing written', async () => {
    await enrolVoice('E001', 'Ann', [1, 0, 0]);
    const speak = () => s.voice.utterance([1, 0, 0]);
    await expect(s.clocking.clockVoice('0'.repeat(32), speak(), SAMPLE_RATE, 'E001')).rejects.toMatchObject({ code: 'PHRASE_EXPIRED' });

    const used = s.clocking.issuePhrase('en').phraseId;
    expect(await s.clocking.clockVoice(used, speak(), SAMPLE_RATE, 'E001')).toMatchObject({ outcome: 'recorded' });
    s.clock.advance(s.store.settings.get('debounceMinutes') * MINUTE);
    await expect(s.clocking.clockVoice(used, speak(), SAMPLE_RATE, 'E001')).rejects.toMatchObject({ code: 'PHRASE_EXPIRED' });

    const old = s.clocking.issuePhrase('ko').phraseId;
    s.clock.advance(PHRASE_TTL_MS);
    await expect(s.clocking.clockVoice(old, speak(), SAMPLE_RATE, 'E001')).rejects.toMatchObject({ code: 'PHRASE_EXPIRED' });
    expect(attendance(s)).toHaveLength(1);
  });

  it('answers VOICE_UNAVAILABLE on a kiosk without the voice models', async () => {
    const mute = openServices({ voice: false });
    try {
      expect(() => mute.clocking.issuePhrase('en')).toThrowError(expect.objectContaining({ code: 'VOICE_UNAVAILABLE' }));
      await expect(mute.clocking.clockVoice('0'.repeat(32), mute.voice.utterance([1, 0, 0]), SAMPLE_RATE)).rejects.toMatchObject({
        code: 'VOICE_UNAVAILABLE',
      });
      expect(mute.voice.calls).toEqual([]);
    } finally {
      mute.close();
    }
  });
});

describe('ClockService.clockPin', () => {
  it('records a PIN punch without score or model', async () => {
    const ann = await hire(s, 'E001', 'Ann', '4321');
    expect(await s.clocking.clockPin('E001', '4321')).toEqual({
      outcome: 'recorded',
      event: { employee: { id: ann, code: 'E001', name: 'Ann' }, direction: 'in', modality: 'pin', score: null, at: START },
    });
    expect(attendance(s)).toEqual([expect.objectContaining({ employeeId: ann, modality: 'pin', score: null, modelId: null, kioskId: KIOSK_ID })]);
  });

  it('answers the same PIN_REJECTED for an unknown code, a wrong PIN, an employee without a PIN and a deactivated one', async () => {
    await hire(s, 'E001', 'Ann', '4321');
    await hire(s, 'E002', 'Bob');
    const carl = await hire(s, 'E003', 'Carl', '5555');
    s.enrollment.deactivate(ACTOR, carl);

    for (const [code, pin] of [['E999', '4321'], ['E001', '1234'], ['E002', '4321'], ['E003', '5555']] as const) {
      await expect(s.clocking.clockPin(code, pin), `${code} ${pin}`).rejects.toMatchObject({ code: 'PIN_REJECTED' });
    }
    expect(attendance(s)).toEqual([]);
  });

  it('locks a code out after the failure limit, even for the right PIN, and only that code, until the lock runs out', async () => {
    const { maxFailures, lockMs } = DEFAULT_LIMITER_POLICY;
    const ann = await hire(s, 'E001', 'Ann', '4321');
    const bob = await hire(s, 'E002', 'Bob', '8765');
    for (let i = 0; i < maxFailures; i++) await expect(s.clocking.clockPin('E001', '0000')).rejects.toMatchObject({ code: 'PIN_REJECTED' });

    // The lock is on the code, whatever its case: codes are case-insensitive.
    await expect(s.clocking.clockPin('e001', '4321')).rejects.toMatchObject({ code: 'LOCKED_OUT', details: { retryAfterSeconds: lockMs / 1000 } });
    expect(await s.clocking.clockPin('E002', '8765')).toMatchObject({ outcome: 'recorded', event: { employee: { id: bob } } });
    s.clock.advance(lockMs);
    expect(await s.clocking.clockPin('E001', '4321')).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    expect(attendance(s).map((e) => e.employeeId)).toEqual([bob, ann]);
  });

  it('keeps the locks of two employees apart when their codes differ only in a non-ASCII letter the database tells apart', async () => {
    const { maxFailures } = DEFAULT_LIMITER_POLICY;
    await hire(s, 'Ä01', 'Upper', '4321');
    const lower = await hire(s, 'ä01', 'Lower', '8765');
    for (let i = 0; i < maxFailures; i++) await expect(s.clocking.clockPin('Ä01', '0000')).rejects.toMatchObject({ code: 'PIN_REJECTED' });
    await expect(s.clocking.clockPin('Ä01', '4321')).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    expect(await s.clocking.clockPin('ä01', '8765')).toMatchObject({ outcome: 'recorded', event: { employee: { id: lower } } });
  });

  it('writes nothing for an employee deactivated while their PIN was being checked', async () => {
    const ann = await hire(s, 'E001', 'Ann', '4321');
    const pending = s.clocking.clockPin('E001', '4321');
    s.enrollment.deactivate(ACTOR, ann);
    await expect(pending).rejects.toMatchObject({ code: 'PIN_REJECTED' });
    expect(attendance(s)).toEqual([]);
  });

  it('counts only consecutive failures: a right PIN resets the count', async () => {
    const { maxFailures } = DEFAULT_LIMITER_POLICY;
    await hire(s, 'E001', 'Ann', '4321');
    const wrongTimes = async (n: number) => {
      for (let i = 0; i < n; i++) await expect(s.clocking.clockPin('E001', '0000')).rejects.toMatchObject({ code: 'PIN_REJECTED' });
    };
    await wrongTimes(maxFailures - 1);
    expect(await s.clocking.clockPin('E001', '4321')).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    await wrongTimes(maxFailures - 1);
    s.clock.advance(s.store.settings.get('debounceMinutes') * MINUTE);
    expect(await s.clocking.clockPin('E001', '4321')).toMatchObject({ outcome: 'recorded', event: { direction: 'out' } });
  });
});

describe('shift rule', () => {
  // PIN punches: the rule sits in the punch itself, whatever identified the person.
  const punchAfter = async (ms: number) => {
    await hire(s, 'E001', 'Ann', '4321');
    s.store.settings.set('maxShiftHours', 12);
    await s.clocking.clockPin('E001', '4321');
    s.clock.advance(ms);
    return s.clocking.clockPin('E001', '4321');
  };

  it('starts a new shift (in) for a punch exactly maxShiftHours after an open in', async () => {
    expect(await punchAfter(12 * HOUR)).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    expect(attendance(s).map((e) => e.direction)).toEqual(['in', 'in']);
  });

  it('closes the shift (out) one millisecond before maxShiftHours', async () => {
    expect(await punchAfter(12 * HOUR - 1)).toMatchObject({ outcome: 'recorded', event: { direction: 'out' } });
    expect(attendance(s).map((e) => e.direction)).toEqual(['in', 'out']);
  });
});

describe('the face threshold in force, from the false-accept target and the gallery size', () => {
  const calibration = SYNTHETIC_CALIBRATION;
  /** 0.6 from Ann's enrolled shot (distance 0.4). */
  const annAtSixTenths = [0.6, 0, 0, 0];

  it('accepts a 0.6 match among few people, refuses it once the gallery is large, and records the threshold each time', async () => {
    s.close();
    s = openServices({ calibration });
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    // One template at a target of 1e-3: FMR 1e-3, threshold 0.42.
    expect(await clockFace(annAtSixTenths)).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    expect(attendance(s)[0]!.evidence).toEqual({ mode: 'identify', secondScore: null, threshold: expect.closeTo(0.42, 6), gallerySize: 1 });

    // 100 templates: FMR ≈ 1e-5, threshold ≈ 0.74, above the same match.
    for (let k = 1; k < 100; k++) await enrolFace(s, `X${k}`, `Colleague ${k}`, [0, 0, 0, 10 + k]);
    s.clock.advance(HOUR);
    expect(await clockFace(annAtSixTenths)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    const nearAnn = [0.9, 0, 0, 0];
    expect(await clockFace(nearAnn)).toMatchObject({ outcome: 'recorded' });
    expect(attendance(s)[1]!.evidence).toMatchObject({ threshold: expect.closeTo(0.74, 2), gallerySize: 100 });
  });

  it('uses the raw faceThreshold when the admin turns the target off (expert override)', async () => {
    s.close();
    s = openServices({ calibration });
    await enrolFace(s, 'E001', 'Ann', ANN);
    s.store.settings.set('faceFalseAcceptTarget', null);
    s.store.settings.set('faceThreshold', 0.65);
    expect(await clockFace(annAtSixTenths)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
  });
});

describe('"Not you?": undoing a face or voice punch', () => {
  it('voids the punch (kept, marked, audited), so the real person can clock in at once; the token works once', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    const bob = await hire(s, 'E002', 'Bob', '4321');
    const wrong = await clockFace(ANN_PROBE);
    if (wrong.outcome !== 'recorded' || wrong.undo === undefined) throw new Error('expected an undoable punch');

    expect(s.clocking.undo(wrong.undo.token)).toEqual({ voided: wrong.event });
    expect(s.store.attendance.allForEmployee(ann)).toEqual([expect.objectContaining({ voidedAt: START })]);
    expect(attendance(s)).toEqual([]);
    expect(s.store.audit.list({ limit: 1 })[0]).toMatchObject({ actor: 'kiosk:not-me', action: 'attendance.void', subject: `employee:${ann}` });
    expect(() => s.clocking.undo(wrong.undo!.token)).toThrow(expect.objectContaining({ code: 'UNDO_EXPIRED' }));
    // Neither debounced nor toggled by the void punch: Ann's next punch is an 'in' again.
    expect(await clockFace(ANN_PROBE)).toMatchObject({ outcome: 'recorded', event: { direction: 'in' } });
    // PIN punches prove who they are and carry no token.
    expect(await s.clocking.clockPin('E002', '4321')).toEqual({ outcome: 'recorded', event: expect.objectContaining({ employee: expect.objectContaining({ id: bob }) }) });
  });

  it('refuses an unknown token and one older than the undo window', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    const punched = await clockFace(ANN_PROBE);
    if (punched.outcome !== 'recorded' || punched.undo === undefined) throw new Error('expected an undoable punch');
    expect(() => s.clocking.undo('0'.repeat(32))).toThrow(expect.objectContaining({ code: 'UNDO_EXPIRED' }));
    s.clock.advance(UNDO_WINDOW_MS);
    expect(() => s.clocking.undo(punched.undo!.token)).toThrow(expect.objectContaining({ code: 'UNDO_EXPIRED' }));
    expect(attendance(s)).toHaveLength(1);
  });
});
