/**
 * Claim and verify: the employee's code first, then one comparison with that person's own
 * templates (issue 11 item 5, issue 12 item 1). Every refusal path answers the same way and
 * writes nothing; failures lock the code per factor; the threshold comes from the target and the
 * claimed person's template count, not the gallery's size.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITER_POLICY } from '../../src-main/core/auth/attempt-limiter.js';
import { recognitionModeInForce } from '../../src-main/core/context/threshold-in-force.js';
import { CALIBRATION_FORMAT, type ImpostorCalibration } from '../../src-main/core/match/impostor-calibration.js';
import { VOICE_MODEL } from './fake-engines.js';
import { ACTOR, SAMPLE_RATE, SYNTHETIC_CALIBRATION, attendance, enrolFace, hire, openServices, type Services } from './service-fixture.js';

const HOUR = 3_600_000;
const ANN_VOICE = [1, 0, 0];
const BOB_VOICE = [0, 1, 0];
const ANN_FACE = [1, 0, 0, 0];
const BOB_FACE = [0, 1, 0, 0];
const NOT_VERIFIED = { outcome: 'not_recognised', reason: 'not_verified' };

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

async function enrolVoice(code: string, name: string, embedding: readonly number[]): Promise<number> {
  const id = await hire(s, code, name, '4321');
  for (let i = 0; i < 3; i++) await s.enrollment.enrollVoice(ACTOR, id, s.voice.utterance(embedding), SAMPLE_RATE);
  return id;
}

const sayAs = (embedding: readonly number[], code?: string) => s.clocking.clockVoice(s.clocking.issuePhrase('en').phraseId, s.voice.utterance(embedding), SAMPLE_RATE, code);
const faceAs = (embedding: readonly number[], employeeCode?: string) =>
  s.clocking.clockFace(
    Array.from({ length: 3 }, () => s.face.face(embedding)),
    employeeCode === undefined ? {} : { employeeCode },
  );

/** A voice table measured only down to FMR 1e-2: it vouches for a search of one template at a 1e-2 target, not of two. */
const SHALLOW_VOICE_CALIBRATION: ImpostorCalibration = {
  format: CALIBRATION_FORMAT,
  model: VOICE_MODEL,
  energy: 'cosine',
  source: { data: 'synthetic', command: 'none', identities: 0, files: 0, impostorComparisons: 0 },
  tail: [
    { fmr: 1e-1, score: 0.3 },
    { fmr: 1e-2, score: 0.5 },
  ],
};

describe('voice in verify mode (the default)', () => {
  it('asks for the employee code (CODE_REQUIRED) before anything is analysed, leaving the phrase usable', async () => {
    await enrolVoice('E001', 'Ann', ANN_VOICE);
    const { phraseId } = s.clocking.issuePhrase('en');
    const embedded = s.voice.calls.length;
    await expect(s.clocking.clockVoice(phraseId, s.voice.utterance(ANN_VOICE), SAMPLE_RATE)).rejects.toMatchObject({ code: 'CODE_REQUIRED', details: { modality: 'voice' } });
    expect(s.voice.calls).toHaveLength(embedded);
    expect(await s.clocking.clockVoice(phraseId, s.voice.utterance(ANN_VOICE), SAMPLE_RATE, 'E001')).toMatchObject({ outcome: 'recorded' });
  });

  it('records the right person with the evidence of a verification: no runner-up, the threshold of their own template', async () => {
    const ann = await enrolVoice('E001', 'Ann', ANN_VOICE);
    await enrolVoice('E002', 'Bob', BOB_VOICE);
    expect(await sayAs([1, 0.2, 0], 'e001')).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann }, modality: 'voice' } });
    // No voice table in this fixture: the raw voiceThreshold applies.
    expect(attendance(s)[0]!.evidence).toEqual({ mode: 'verify', secondScore: null, threshold: 0.45, gallerySize: 2 });
  });

  it('answers a colleague’s voice, an unknown code, an inactive employee and a person without a voice template the same way, and writes nothing', async () => {
    await enrolVoice('E001', 'Ann', ANN_VOICE);
    const bob = await enrolVoice('E002', 'Bob', BOB_VOICE);
    await enrolFace(s, 'F001', 'Faye', ANN_FACE);
    s.enrollment.deactivate(ACTOR, bob);
    const embedded = s.voice.calls.length;

    expect(await sayAs(BOB_VOICE, 'E001')).toEqual(NOT_VERIFIED);
    expect(await sayAs(ANN_VOICE, 'NOBODY')).toEqual(NOT_VERIFIED);
    expect(await sayAs(BOB_VOICE, 'E002')).toEqual(NOT_VERIFIED);
    expect(await sayAs(ANN_VOICE, 'F001')).toEqual(NOT_VERIFIED);
    // The voice was embedded every time: an unknown code costs the same work as a known one.
    expect(s.voice.calls).toHaveLength(embedded + 4);
    expect(attendance(s)).toEqual([]);
  });

  it('locks voice clock-in for a code after five mismatches, while that employee’s PIN and other codes still work', async () => {
    const { maxFailures, lockMs } = DEFAULT_LIMITER_POLICY;
    const ann = await enrolVoice('E001', 'Ann', ANN_VOICE);
    const bob = await enrolVoice('E002', 'Bob', BOB_VOICE);
    for (let i = 0; i < maxFailures; i++) expect(await sayAs(BOB_VOICE, 'E001')).toEqual(NOT_VERIFIED);

    await expect(sayAs(ANN_VOICE, 'E001')).rejects.toMatchObject({ code: 'LOCKED_OUT', details: { retryAfterSeconds: lockMs / 1000 } });
    expect(await sayAs(BOB_VOICE, 'E002')).toMatchObject({ outcome: 'recorded', event: { employee: { id: bob } } });
    expect(await s.clocking.clockPin('E001', '4321')).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    s.clock.advance(lockMs + HOUR);
    expect(await sayAs(ANN_VOICE, 'E001')).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
  });

  it('locks an unknown code too, so probing codes gains nothing', async () => {
    await enrolVoice('E001', 'Ann', ANN_VOICE);
    for (let i = 0; i < DEFAULT_LIMITER_POLICY.maxFailures; i++) expect(await sayAs(ANN_VOICE, 'GUESS')).toEqual(NOT_VERIFIED);
    await expect(sayAs(ANN_VOICE, 'GUESS')).rejects.toMatchObject({ code: 'LOCKED_OUT' });
  });
});

describe('voice identification is used only while the voice calibration vouches for it', () => {
  it('falls back to verify without a table, and with a table once the gallery needs a rate the table did not measure', async () => {
    s.store.settings.set('voiceMode', 'identify');
    expect(recognitionModeInForce(s.context, 'voice')).toEqual({ mode: 'verify', requested: 'identify' });
    s.close();

    s = openServices({ voiceCalibration: SHALLOW_VOICE_CALIBRATION });
    s.store.settings.set('voiceMode', 'identify');
    const ann = await enrolVoice('E001', 'Ann', ANN_VOICE);
    // One template at a 1e-2 target: FMR 1e-2, inside the table (threshold 0.5).
    expect(recognitionModeInForce(s.context, 'voice').mode).toBe('identify');
    expect(await sayAs(ANN_VOICE)).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann } } });
    expect(attendance(s)[0]!.evidence).toMatchObject({ mode: 'identify', threshold: 0.5 });

    await enrolVoice('E002', 'Bob', BOB_VOICE);
    expect(recognitionModeInForce(s.context, 'voice')).toEqual({ mode: 'verify', requested: 'identify' });
    await expect(sayAs(BOB_VOICE)).rejects.toMatchObject({ code: 'CODE_REQUIRED' });
  });

  it('never identifies by voice with the target turned off (raw threshold)', async () => {
    s.close();
    s = openServices({ voiceCalibration: SHALLOW_VOICE_CALIBRATION });
    s.store.settings.set('voiceMode', 'identify');
    s.store.settings.set('voiceFalseAcceptTarget', null);
    await enrolVoice('E001', 'Ann', ANN_VOICE);
    expect(recognitionModeInForce(s.context, 'voice').mode).toBe('verify');
  });
});

describe('face verification', () => {
  it('is required in verify mode (CODE_REQUIRED before the frames are analysed)', async () => {
    s.store.settings.set('faceMode', 'verify');
    await enrolFace(s, 'E001', 'Ann', ANN_FACE);
    const analysed = s.face.calls.length;
    await expect(faceAs(ANN_FACE)).rejects.toMatchObject({ code: 'CODE_REQUIRED', details: { modality: 'face' } });
    expect(s.face.calls).toHaveLength(analysed);
  });

  it('accepts with a code a match a search of a large gallery must refuse: the threshold counts the claimed person’s templates only', async () => {
    s.close();
    s = openServices({ calibration: SYNTHETIC_CALIBRATION });
    const ann = await enrolFace(s, 'E001', 'Ann', ANN_FACE);
    for (let k = 1; k < 100; k++) await enrolFace(s, `X${k}`, `Colleague ${k}`, [0, 0, 0, 10 + k]);
    /** 0.6 from Ann's shot: below a 100-template search's threshold (≈ 0.74), above one template's (0.42). */
    const annAtSixTenths = [0.6, 0, 0, 0];
    expect(await faceAs(annAtSixTenths)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(await faceAs(annAtSixTenths, 'E001')).toMatchObject({ outcome: 'recorded', event: { employee: { id: ann }, modality: 'face' } });
    expect(attendance(s)[0]!.evidence).toEqual({ mode: 'verify', secondScore: null, threshold: expect.closeTo(0.42, 6), gallerySize: 100 });
  });

  it('refuses another person’s face with Ann’s code (not_verified) and writes nothing', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN_FACE);
    await enrolFace(s, 'E002', 'Bob', BOB_FACE);
    expect(await faceAs(BOB_FACE, 'E001')).toEqual(NOT_VERIFIED);
    expect(attendance(s)).toEqual([]);
  });
});
