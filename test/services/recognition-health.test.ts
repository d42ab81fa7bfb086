/**
 * The recognition-health report on fake engines and a real store, with a synthetic impostor table
 * whose rates are known: look-alike pairs, weak enrollments, the threshold and the false-accept
 * rates it implies, and the audit entry the report leaves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recognitionHealth } from '../../src-main/core/admin/recognition-health.js';
import { ACTOR, SAMPLE_RATE, SYNTHETIC_CALIBRATION, enrolFace, hire, openServices, type Services } from './service-fixture.js';

const calibration = SYNTHETIC_CALIBRATION;

let s: Services;
beforeEach(() => {
  s = openServices({ calibration });
});
afterEach(() => s.close());

async function shots(code: string, name: string, embeddings: readonly (readonly number[])[]): Promise<number> {
  const id = await hire(s, code, name);
  for (const embedding of embeddings) await s.enrollment.enrollFace(ACTOR, id, s.face.face(embedding), 'front');
  return id;
}

describe('recognitionHealth', () => {
  it('finds the closest pair of different people, the weak enrollments, and the rates the threshold implies', async () => {
    const ann = await shots('E1', 'Ann', [[1, 0, 0, 0], [1, 0.05, 0, 0], [1, 0, 0.05, 0]]);
    const bob = await shots('E2', 'Bob', [[0, 1, 0, 0], [0, 1, 0.05, 0], [0, 1, 0, 0.05]]);
    // Cara is 0.3 from Ann's first shot: the most alike pair, yet below any threshold here.
    const cara = await shots('E3', 'Cara', [[1, 0, 0, 0.7], [1, 0, 0.05, 0.7], [1, 0.05, 0, 0.7]]);
    const dan = await enrolFace(s, 'E4', 'Dan', [0, 0, 1, 0]);
    // Eve's shots disagree: one of them is 1.0 away from the others.
    const eve = await shots('E5', 'Eve', [[0, 0, 0, 5], [0, 0, 0, 5.05], [0, 0, 1, 5]]);
    // Two biometric punches in the last 30 days: the clock-in rate the monthly figure uses.
    await s.clocking.clockFace([s.face.face([1, 0, 0, 0])]);
    await s.clocking.clockFace([s.face.face([0, 1, 0, 0])]);

    const report = recognitionHealth(s.context, ACTOR);
    const face = report.face;
    expect(face).toMatchObject({ modality: 'face', enrolled: 5, templates: { total: 13, minPerPerson: 1, maxPerPerson: 3 } });
    expect(face.threshold.from).toBe('target');
    expect(face.threshold.target).toBe(1e-3);
    // Derived for 13 templates, the threshold's own FMR puts any false accept over 13 comparisons at the target.
    expect(face.strangerAcceptance.perSearch).toBeCloseTo(1e-3, 6);
    expect(face.strangerAcceptance.per1000).toBeCloseTo(1, 3);
    expect(face.wrongColleague.perSearch!).toBeLessThan(face.strangerAcceptance.perSearch!);
    expect(face.clockInsPerDay).toBeCloseTo(2 / 30, 12);
    expect(face.wrongColleague.perMonth).toBeCloseTo(face.wrongColleague.perSearch! * 2, 12);

    expect(face.closestPairs[0]).toMatchObject({ a: { id: ann }, b: { id: cara }, aboveThreshold: false });
    expect(face.closestPairs[0]!.score).toBeCloseTo(0.3, 6);
    expect(face.closestPairs).toHaveLength(10);
    expect(face.weakEnrollments).toEqual([
      { employee: { id: dan, code: 'E4', name: 'Dan' }, templates: 1, selfAgreement: null, reasons: ['few_templates'] },
      { employee: { id: eve, code: 'E5', name: 'Eve' }, templates: 3, selfAgreement: expect.closeTo(0, 6), reasons: ['low_agreement'] },
    ]);
    expect(face.closestPairs.some((p) => p.a.id === bob || p.b.id === bob)).toBe(true);
    expect(s.store.audit.list({ limit: 1 })[0]).toMatchObject({ actor: ACTOR, action: 'recognition.health', details: { faceEnrolled: 5 } });
  });

  it('flags a pair above the threshold in force (a possible duplicate enrollment), and reports unknown rates without a target', async () => {
    await shots('E1', 'Ann', [[1, 0, 0, 0]]);
    await shots('E2', 'Cara', [[1, 0, 0, 0.7]]);
    s.store.settings.set('faceFalseAcceptTarget', null);
    s.store.settings.set('faceThreshold', 0.2);
    const face = recognitionHealth(s.context, ACTOR).face;
    expect(face.threshold).toMatchObject({ value: 0.2, from: 'setting', target: null });
    expect(face.closestPairs).toEqual([expect.objectContaining({ aboveThreshold: true, score: expect.closeTo(0.3, 6) })]);
    // The table still tells what a raw threshold of 0.2 risks: far more than 1e-3.
    expect(face.strangerAcceptance.perSearch!).toBeGreaterThan(0.01);
  });

  describe('the mode it recommends, from the staff’s own shots against the search and verification thresholds', () => {
    /** Ten people, three shots each, far from each other; each shot `spread` from the person's first one. */
    async function staff(spread: number): Promise<void> {
      for (let p = 0; p < 10; p++) {
        const base = Array.from({ length: 12 }, (_, i) => (i === p ? 10 : 0));
        const moved = (dim: number) => base.map((x, i) => (i === dim ? x + spread : x));
        await shots(`E${p}`, `Person ${p}`, [base, moved(10), moved(11)]);
      }
    }
    // 30 templates at 1e-3: a search needs FMR 3.3e-5 (score 0.656 on the synthetic table),
    // a verification of one person's 3 shots FMR 3.3e-4 (score 0.496).

    it('recommends verify when shots agree at 0.6: every one refused by a search, none by a verification', async () => {
      await staff(0.4);
      const { mode } = recognitionHealth(s.context, ACTOR).face;
      expect(mode).toMatchObject({ setting: 'identify', inForce: 'identify', recommended: 'verify', ownCapturesRefused: { identify: 1, verify: 0, captures: 30 } });
      expect(mode.verifyThreshold).toBeCloseTo(0.1 + 0.16 * (-1 - Math.log10(-Math.expm1(Math.log1p(-1e-3) / 3))), 6);
    });

    it('recommends identify when shots agree at 0.9, above both thresholds', async () => {
      await staff(0.1);
      expect(recognitionHealth(s.context, ACTOR).face.mode).toMatchObject({ recommended: 'identify', ownCapturesRefused: { identify: 0, verify: 0, captures: 30 } });
    });

    it('never recommends voice search without a voice table, and reports that voice verifies whatever the setting', async () => {
      s.store.settings.set('voiceMode', 'identify');
      const id = await hire(s, 'V1', 'Vera');
      for (let i = 0; i < 3; i++) await s.enrollment.enrollVoice(ACTOR, id, s.voice.utterance([1, 0, i * 0.01]), SAMPLE_RATE);
      expect(recognitionHealth(s.context, ACTOR).voice!.mode).toMatchObject({ setting: 'identify', inForce: 'verify', recommended: 'verify' });
    });
  });

  it('reports voice by the voice gallery rule, without rates (no voice table)', async () => {
    const id = await hire(s, 'V1', 'Vera');
    for (const embedding of [[1, 0, 0], [0.9, 0.1, 0], [1, 0, 0.1]]) await s.enrollment.enrollVoice(ACTOR, id, s.voice.utterance(embedding), SAMPLE_RATE);
    const voice = recognitionHealth(s.context, ACTOR).voice!;
    expect(voice).toMatchObject({ modality: 'voice', enrolled: 1, templates: { total: 3 }, threshold: { from: 'setting', perComparisonFmr: null } });
    expect(voice.strangerAcceptance.perSearch).toBeNull();
    expect(voice.weakEnrollments).toEqual([]);
  });
});
