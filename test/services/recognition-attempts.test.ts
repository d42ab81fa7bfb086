/**
 * The bounded log of recognition attempts (issue 14 item 10): every face and voice decision the
 * ClockService makes writes exactly one row — accepted or refused — with its numbers and no
 * biometric data; a refusal names nobody; the table keeps the newest rows only. The kiosk's own
 * answer to a refusal stays as bare as before; an accepted punch says how far above the pass mark.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEAR_PASS_MARK } from '../../src-shared/vocabulary.js';
import { RecognitionAttemptRepository } from '../../src-main/core/store/attempt-repository.js';
import { ACTOR, KIOSK_ID, SAMPLE_RATE, START, enrolFace, faceScore, hire, openServices, type Services } from './service-fixture.js';

const MINUTE = 60_000;
const ANN = [1, 0, 0, 0];
const BOB = [0, 1, 0, 0];
const STRANGER = [0, 0, 1, 0];
/** Between Ann and Bob: both score alike, so the search refuses it as ambiguous. */
const BETWEEN = [0.7, 0.7, 0, 0];

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

const faceAs = (embedding: readonly number[], employeeCode?: string) =>
  s.clocking.clockFace(
    Array.from({ length: 3 }, () => s.face.face(embedding)),
    employeeCode === undefined ? {} : { employeeCode },
  );
const attempts = () => s.store.attempts.recent(1000);
const threshold = () => s.store.settings.get('faceThreshold');

describe('every face and voice decision writes one attempt row', () => {
  it('nobody enrolled: no_enrolled_employees, no scores', async () => {
    expect(await faceAs(ANN)).toEqual({ outcome: 'not_recognised', reason: 'no_enrolled_employees' });
    expect(attempts()).toEqual([
      { id: expect.any(Number), at: START, modality: 'face', mode: 'identify', outcome: 'no_enrolled_employees', employee: null, bestScore: null, secondScore: null, threshold: threshold(), gallerySize: 0, kioskId: KIOSK_ID },
    ]);
  });

  it('accepted: the employee, best and runner-up scores, the threshold and the gallery size', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    await enrolFace(s, 'E002', 'Bob', BOB);
    const probe = [1, 0, 0, 0.3];
    expect(await faceAs(probe)).toMatchObject({ outcome: 'recorded', confidence: 'clear' });
    expect(attempts()).toEqual([
      expect.objectContaining({
        modality: 'face',
        mode: 'identify',
        outcome: 'accepted',
        employee: { id: ann, code: 'E001', name: 'Ann' },
        bestScore: expect.closeTo(faceScore(probe, ANN), 5),
        secondScore: expect.closeTo(faceScore(probe, BOB), 5),
        threshold: threshold(),
        gallerySize: 2,
      }),
    ]);
  });

  it('a stranger below the threshold and an ambiguous face are logged with their scores and no employee', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    await enrolFace(s, 'E002', 'Bob', BOB);
    expect(await faceAs(STRANGER)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    s.store.settings.set('faceMargin', 0.2);
    s.store.settings.set('faceThreshold', 0.2);
    expect(await faceAs(BETWEEN)).toEqual({ outcome: 'not_recognised', reason: 'ambiguous' });
    const [ambiguous, stranger] = attempts();
    expect(stranger).toMatchObject({ outcome: 'below_threshold', employee: null, bestScore: expect.closeTo(faceScore(STRANGER, ANN), 5), threshold: 0.45, gallerySize: 2 });
    expect(stranger!.secondScore).toBeCloseTo(faceScore(STRANGER, BOB), 5);
    expect(ambiguous).toMatchObject({ outcome: 'ambiguous', employee: null, bestScore: expect.closeTo(faceScore(BETWEEN, ANN), 5), threshold: 0.2 });
    expect(attendance()).toBe(0);
  });

  it('a refused verification names nobody; its score is kept only where a comparison was made; the kiosk answer is unchanged', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    await hire(s, 'E003', 'Cho');
    expect(await faceAs(BOB, 'E001')).toEqual({ outcome: 'not_recognised', reason: 'not_verified' });
    expect(await faceAs(ANN, 'NOPE')).toEqual({ outcome: 'not_recognised', reason: 'not_verified' });
    expect(await faceAs(ANN, 'E003')).toEqual({ outcome: 'not_recognised', reason: 'not_verified' });
    const [noTemplate, unknown, mismatch] = attempts();
    expect(mismatch).toMatchObject({ mode: 'verify', outcome: 'not_verified', employee: null, bestScore: expect.closeTo(faceScore(BOB, ANN), 5), secondScore: null });
    // An unknown code and a person with no face template read the same: no comparison, no score, nobody named.
    for (const row of [unknown, noTemplate]) expect(row).toMatchObject({ mode: 'verify', outcome: 'not_verified', employee: null, bestScore: null, secondScore: null });
    expect(unknown!.threshold).toEqual(noTemplate!.threshold);
    const columns = (s.store.db.connection.prepare('SELECT * FROM recognition_attempts LIMIT 1').get() as Record<string, unknown>);
    expect(Object.keys(columns).sort()).toEqual(['best_score', 'employee_id', 'gallery_size', 'id', 'kiosk_id', 'modality', 'mode', 'occurred_at', 'outcome', 'second_score', 'threshold']);
  });

  it('an accepted verification by voice, and a repeat within the debounce window, are one row each', async () => {
    const ann = await hire(s, 'E001', 'Ann', '4321');
    for (let i = 0; i < 3; i++) await s.enrollment.enrollVoice(ACTOR, ann, s.voice.utterance([1, 0, 0]), SAMPLE_RATE);
    const say = () => s.clocking.clockVoice(s.clocking.issuePhrase('en').phraseId, s.voice.utterance([1, 0.1, 0]), SAMPLE_RATE, 'E001');
    expect(await say()).toMatchObject({ outcome: 'recorded' });
    s.clock.advance(MINUTE / 2);
    expect(await say()).toMatchObject({ outcome: 'debounced' });
    const rows = attempts();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ modality: 'voice', mode: 'verify', outcome: 'accepted', employee: { id: ann }, secondScore: null, gallerySize: 1 });
  });

  it('a burst with no usable frame and a CODE_REQUIRED refusal are not decisions: nothing logged', async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    await expect(s.clocking.clockFace([s.face.failing('NO_FACE')])).rejects.toMatchObject({ code: 'NO_FACE' });
    s.store.settings.set('faceMode', 'verify');
    await expect(faceAs(ANN)).rejects.toMatchObject({ code: 'CODE_REQUIRED' });
    expect(attempts()).toEqual([]);
  });
});

describe('confidence relative to the pass mark on the kiosk card', () => {
  it("is 'near' within NEAR_PASS_MARK above the threshold and 'clear' beyond it", async () => {
    await enrolFace(s, 'E001', 'Ann', ANN);
    const t = threshold();
    // Score = 1 − distance: a probe at distance 1 − (t + x) scores t + x.
    const at = (x: number) => [1, 0, 0, 1 - (t + x)];
    expect(await faceAs(at(NEAR_PASS_MARK / 5))).toMatchObject({ outcome: 'recorded', confidence: 'near' });
    s.clock.advance(60 * MINUTE);
    expect(await faceAs(at(NEAR_PASS_MARK * 2))).toMatchObject({ outcome: 'recorded', confidence: 'clear' });
  });
});

describe('the table stays bounded', () => {
  it('keeps the newest `keep` rows, pruned in the insert', () => {
    const small = new RecognitionAttemptRepository(s.store.db, 5);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        small.append({ occurredAt: new Date(Date.parse(START) + i * MINUTE), modality: 'face', mode: 'identify', outcome: 'below_threshold', employeeId: null, bestScore: 0.1 * (i % 5), secondScore: null, threshold: 0.45, gallerySize: 3, kioskId: KIOSK_ID }),
      );
      expect(small.count()).toBe(Math.min(i + 1, 5));
    }
    expect(small.recent(100).map((r) => r.id)).toEqual(ids.slice(-5).reverse());
  });

  it('refuses an accepted row without an employee and drops the employee of a refused one', () => {
    const base = { occurredAt: new Date(START), modality: 'face', mode: 'identify', bestScore: 0.5, secondScore: null, threshold: 0.45, gallerySize: 1, kioskId: KIOSK_ID } as const;
    expect(() => s.store.attempts.append({ ...base, outcome: 'accepted', employeeId: null })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    s.store.attempts.append({ ...base, outcome: 'below_threshold', employeeId: 1 });
    expect(attempts()[0]!.employee).toBeNull();
  });
});

function attendance(): number {
  return s.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') }).length;
}
