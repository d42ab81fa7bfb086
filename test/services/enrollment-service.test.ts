/**
 * EnrollmentService on fake engines and a real store: each action checked in its answer and in
 * what it leaves behind: employees, consents, sealed templates, raw captures, the live
 * galleries and the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENROLL_FACE_SHOTS, ENROLL_VOICE_PHRASES, FACE_POSES } from '../../src-shared/vocabulary.js';
import { verifyPin } from '../../src-main/core/auth/pin-hash.js';
import { FACE_MODEL, VOICE_MODEL } from './fake-engines.js';
import { ACTOR, SAMPLE_RATE, START, attendance, auditOf, enrolFace, hire, openServices, type Services } from './service-fixture.js';

const ANN = [1, 0, 0, 0];
const BOB = [0, 1, 0, 0];

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

const faceGallery = () => s.context.face.gallery;
const voiceGallery = () => s.context.voice!.gallery;
const templatesOf = (employeeId: number) => s.store.templates.listInfoForEmployee(employeeId);

describe('EnrollmentService.create', () => {
  it('creates the employee with an scrypt-hashed PIN and audits it; a taken code (any case) is DUPLICATE', async () => {
    const ann = await s.enrollment.create(ACTOR, { code: 'E001', name: 'Ann', department: 'Ops', pin: '4321' });
    expect(ann).toEqual({ id: ann.id, code: 'E001', name: 'Ann', department: 'Ops', active: true, consentedAt: null, faceTemplates: 0, voiceTemplates: 0, deletable: true });
    const hash = s.store.employees.getPinHash(ann.id)!;
    expect(hash).not.toContain('4321');
    expect(await verifyPin('4321', hash)).toBe(true);
    expect(auditOf(s, ann.id)).toEqual([expect.objectContaining({ actor: ACTOR, action: 'employee.create', details: { code: 'E001', pin: true } })]);

    await expect(s.enrollment.create(ACTOR, { code: 'e001', name: 'Someone else' })).rejects.toMatchObject({ code: 'DUPLICATE' });
    expect(s.store.employees.list().map((e) => e.name)).toEqual(['Ann']);
    expect(s.store.audit.list().map((e) => e.action)).toEqual(['employee.create']);
  });
});

describe('EnrollmentService consent', () => {
  it('refuses face and voice captures with CONSENT_REQUIRED before either engine is called', async () => {
    const { id } = await s.enrollment.create(ACTOR, { code: 'E001', name: 'Ann' });
    await expect(s.enrollment.enrollFace(ACTOR, id, s.face.face(ANN), 'front')).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    await expect(s.enrollment.enrollVoice(ACTOR, id, s.voice.utterance([1, 0, 0]), SAMPLE_RATE)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(s.face.calls).toEqual([]);
    expect(s.voice.calls).toEqual([]);
    expect(templatesOf(id)).toEqual([]);
    expect(faceGallery().employeeCount).toBe(0);

    const consented = s.enrollment.recordConsent(ACTOR, id, 'consent-v2');
    expect(consented.consentedAt).toBe(START);
    expect(auditOf(s, id).map((e) => [e.action, e.details])).toEqual([
      ['employee.create', { code: 'E001', pin: false }],
      ['employee.consent', { textVersion: 'consent-v2' }],
    ]);
    await s.enrollment.enrollFace(ACTOR, id, s.face.face(ANN), 'front');
    expect(templatesOf(id)).toHaveLength(1);
  });
});

describe('EnrollmentService.enrollFace', () => {
  it('stores one sealed template per shot, adds it to the gallery, counts the shots down and audits each', async () => {
    const ann = await hire(s, 'E001', 'Ann');
    // Her own shots are close to each other: they must not count as duplicates of herself.
    const shots = [ANN, [1, 0.1, 0, 0], [1, 0, 0.1, 0]];
    const results = [];
    // Each shot turned the way its pose asks (positive yaw: the person's own left).
    const yaws = { front: -12.34, left: 15, right: -15 } as const;
    for (const [i, pose] of FACE_POSES.entries()) {
      results.push(await s.enrollment.enrollFace(ACTOR, ann, s.face.face(shots[i]!, { detectionScore: 0.9 + i / 100, quality: { yawDeg: yaws[pose] } }), pose));
    }

    expect(results.map((r) => r.shotsNeeded)).toEqual(FACE_POSES.map((_, i) => ENROLL_FACE_SHOTS - i - 1));
    expect(results.map((r) => r.employee.faceTemplates)).toEqual([1, 2, 3]);
    expect(results[0]!.quality).toMatchObject({ detectionScore: 0.9, yawDeg: -12.3 });
    // Enrollment asks the engine for its strict enrollment gates.
    expect(s.face.calls.map((c) => c.mode)).toEqual(['enroll', 'enroll', 'enroll']);

    const stored = [...s.store.templates.listActive('face', FACE_MODEL)];
    expect(stored.map((t) => [t.employeeId, t.capture, [...t.vector]])).toEqual(
      shots.map((v, i) => [ann, { detectionScore: expect.closeTo(0.9 + i / 100, 6) }, v.map((x) => expect.closeTo(x, 6))]),
    );
    expect(faceGallery().search(Float32Array.from(ANN), 2)).toEqual([expect.objectContaining({ employeeId: ann, score: expect.closeTo(1, 6), templateId: stored[0]!.id })]);

    const audited = auditOf(s, ann).filter((e) => e.action === 'employee.enroll.face');
    expect(audited.map((e) => e.details)).toEqual(FACE_POSES.map((pose, i) => ({ pose, templateId: stored[i]!.id })));
  });

  it('refuses a face that matches another employee with DUPLICATE naming them, and writes nothing', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    const bob = await hire(s, 'E002', 'Bob');
    const error = await s.enrollment.enrollFace(ACTOR, bob, s.face.face([1, 0.1, 0, 0]), 'front').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DUPLICATE', details: { employeeId: ann, name: 'Ann', code: 'E001' } });
    expect((error as Error).message).toContain('Ann');

    expect(templatesOf(bob)).toEqual([]);
    expect([...faceGallery().employees()]).toEqual([ann]);
    expect(auditOf(s, bob).map((e) => e.action)).toEqual(['employee.create', 'employee.consent']);
    // A face of his own is still welcome.
    expect(await s.enrollment.enrollFace(ACTOR, bob, s.face.face(BOB), 'front')).toMatchObject({ employee: { faceTemplates: 1 } });
  });

  it('passes an engine refusal of the shot on unchanged and writes nothing', async () => {
    const ann = await hire(s, 'E001', 'Ann');
    await expect(s.enrollment.enrollFace(ACTOR, ann, s.face.failing('BLURRED'), 'front')).rejects.toMatchObject({ code: 'BLURRED' });
    expect(templatesOf(ann)).toEqual([]);
    expect(faceGallery().employeeCount).toBe(0);
  });
});

describe('EnrollmentService.enrollVoice', () => {
  it('stores each phrase as a template, reports its speech and the phrases still needed, and keeps one mean gallery row', async () => {
    const ann = await hire(s, 'E001', 'Ann');
    const phrases = [
      { embedding: [1, 0, 0], seconds: 2.104 },
      { embedding: [0, 1, 0], seconds: 3.4 },
      { embedding: [1, 1, 0], seconds: 2.8 },
    ];
    const results = [];
    for (const p of phrases) results.push(await s.enrollment.enrollVoice(ACTOR, ann, s.voice.utterance(p.embedding, p.seconds), SAMPLE_RATE));

    expect(results.map((r) => [r.speechSeconds, r.phrasesNeeded, r.employee.voiceTemplates])).toEqual(
      phrases.map((p, i) => [p.seconds, ENROLL_VOICE_PHRASES - i - 1, i + 1]),
    );
    expect(s.voice.calls).toEqual([SAMPLE_RATE, SAMPLE_RATE, SAMPLE_RATE]);
    const stored = [...s.store.templates.listActive('voice', VOICE_MODEL)];
    expect(stored.map((t) => t.capture)).toEqual(phrases.map((p) => ({ speechSeconds: expect.closeTo(p.seconds, 6) })));
    expect(auditOf(s, ann).filter((e) => e.action === 'employee.enroll.voice').map((e) => e.details)).toEqual(
      stored.map((t, i) => ({ templateId: t.id, speechSeconds: Number(phrases[i]!.seconds.toFixed(2)) })),
    );
    // The unit phrases average to the direction (1, 1, 0): one row for Ann, matching it exactly.
    expect(voiceGallery().search(Float32Array.of(1, 1, 0), 2)).toEqual([expect.objectContaining({ employeeId: ann, score: expect.closeTo(1, 5) })]);
  });

  it('answers VOICE_UNAVAILABLE on a kiosk without the voice models', async () => {
    const mute = openServices({ voice: false });
    try {
      const ann = await hire(mute, 'E001', 'Ann');
      await expect(mute.enrollment.enrollVoice(ACTOR, ann, mute.voice.utterance([1, 0, 0]), SAMPLE_RATE)).rejects.toMatchObject({
        code: 'VOICE_UNAVAILABLE',
      });
      expect(mute.store.templates.count()).toBe(0);
    } finally {
      mute.close();
    }
  });
});

describe('EnrollmentService lifecycle', () => {
  /** Ann with two face shots and one voice phrase. */
  async function enrolledAnn(): Promise<number> {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    await s.enrollment.enrollFace(ACTOR, ann, s.face.face([1, 0.1, 0, 0], { quality: { yawDeg: 12 } }), 'left');
    await s.enrollment.enrollVoice(ACTOR, ann, s.voice.utterance([1, 0, 0]), SAMPLE_RATE);
    return ann;
  }

  it('deactivate drops the employee from both galleries, keeps the templates, and further enrollment is a CONFLICT', async () => {
    const ann = await enrolledAnn();
    const summary = s.enrollment.deactivate(ACTOR, ann);

    expect(summary).toMatchObject({ active: false, faceTemplates: 2, voiceTemplates: 1 });
    expect(templatesOf(ann)).toHaveLength(3);
    expect(faceGallery().employeeCount).toBe(0);
    expect(voiceGallery().employeeCount).toBe(0);
    expect(auditOf(s, ann).at(-1)).toMatchObject({ action: 'employee.deactivate' });
    expect(s.enrollment.list(false)).toEqual([]);
    expect(s.enrollment.list(true)).toEqual([summary]);

    const callsBefore = s.face.calls.length;
    await expect(s.enrollment.enrollFace(ACTOR, ann, s.face.face(ANN), 'front')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.enrollment.enrollVoice(ACTOR, ann, s.voice.utterance([1, 0, 0]), SAMPLE_RATE)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => s.enrollment.recordConsent(ACTOR, ann, 'consent-v1')).toThrowError(expect.objectContaining({ code: 'CONFLICT' }));
    expect(s.face.calls.length).toBe(callsBefore);
    expect(templatesOf(ann)).toHaveLength(3);
  });

  it('reenroll removes templates and kept captures and empties the galleries, but keeps the consent for the new shots', async () => {
    s.store.settings.set('storeRawCaptures', true);
    const ann = await enrolledAnn();
    expect(s.store.rawCaptures.count(ann)).toBe(3);

    const summary = s.enrollment.reenroll(ACTOR, ann);
    expect(summary).toMatchObject({ faceTemplates: 0, voiceTemplates: 0, consentedAt: START });
    expect(templatesOf(ann)).toEqual([]);
    expect(s.store.rawCaptures.count(ann)).toBe(0);
    expect(faceGallery().employeeCount).toBe(0);
    expect(voiceGallery().employeeCount).toBe(0);
    expect(auditOf(s, ann).at(-1)).toMatchObject({ action: 'employee.reenroll', details: { templatesRemoved: 3, rawCapturesRemoved: 3 } });

    expect(await s.enrollment.enrollFace(ACTOR, ann, s.face.face(ANN), 'front')).toMatchObject({ shotsNeeded: ENROLL_FACE_SHOTS - 1 });
    expect([...faceGallery().employees()]).toEqual([ann]);
  });

  it('erase removes every template and capture of that employee only, withdraws consent, and keeps attendance history', async () => {
    s.store.settings.set('storeRawCaptures', true);
    const ann = await enrolledAnn();
    const bob = await enrolFace(s, 'E002', 'Bob', BOB);
    await s.clocking.clockFace([s.face.face(ANN)]);

    const { employee, templatesErased } = s.enrollment.erase(ACTOR, ann);
    expect(templatesErased).toBe(3);
    expect(employee).toMatchObject({ consentedAt: null, faceTemplates: 0, voiceTemplates: 0 });
    expect(templatesOf(ann)).toEqual([]);
    expect(s.store.rawCaptures.count(ann)).toBe(0);
    expect(s.store.consents.current(ann)).toBeUndefined();
    expect([...faceGallery().employees()]).toEqual([bob]);
    expect(voiceGallery().employeeCount).toBe(0);
    expect(templatesOf(bob)).toHaveLength(1);
    expect(attendance(s)).toEqual([expect.objectContaining({ employeeId: ann })]);
    expect(auditOf(s, ann).at(-1)).toMatchObject({ action: 'employee.erase', details: { templatesErased: 3, rawCapturesErased: 3 } });
    expect(s.store.audit.verify()).toMatchObject({ ok: true });

    // A new capture needs a new consent, and is refused before the engine sees it.
    const callsBefore = s.face.calls.length;
    await expect(s.enrollment.enrollFace(ACTOR, ann, s.face.face(ANN), 'front')).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(s.face.calls.length).toBe(callsBefore);
  });
});

describe('EnrollmentService.reactivate', () => {
  it('puts the kept templates of a consented employee back into the galleries, audit-logged', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    s.enrollment.deactivate(ACTOR, ann);
    expect(faceGallery().search(Float32Array.from(ANN))).toEqual([]);

    expect(s.enrollment.reactivate(ACTOR, ann)).toMatchObject({ active: true, faceTemplates: 1 });
    expect(faceGallery().search(Float32Array.from(ANN))[0]).toMatchObject({ employeeId: ann, score: 1 });
    expect(auditOf(s, ann).at(-1)).toMatchObject({ action: 'employee.reactivate', details: { templatesKept: 1, consent: true } });
    // Again on an active employee: nothing changes, nothing is logged.
    s.enrollment.reactivate(ACTOR, ann);
    expect(auditOf(s, ann).filter((e) => e.action === 'employee.reactivate')).toHaveLength(1);
  });

  it('refuses with DUPLICATE, leaving the employee inactive, when their kept face was enrolled for someone else meanwhile', async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', ANN);
    s.enrollment.deactivate(ACTOR, ann);
    const again = await enrolFace(s, 'E002', 'Ann again', ANN);

    expect(() => s.enrollment.reactivate(ACTOR, ann)).toThrow(expect.objectContaining({ code: 'DUPLICATE', details: expect.objectContaining({ employeeId: again }) }));
    expect(s.store.employees.get(ann).active).toBe(false);
    expect(faceGallery().search(Float32Array.from(ANN), 2).map((c) => c.employeeId)).toEqual([again]);
    expect(auditOf(s, ann).map((e) => e.action)).not.toContain('employee.reactivate');
  });
});

describe('EnrollmentService.delete', () => {
  it('deletes an employee never enrolled and never punched (consent and all), audit-logged, so the code can be used again', async () => {
    const id = await hire(s, 'E001', 'Ann');
    expect(s.enrollment.delete(ACTOR, id)).toEqual({ deleted: { id, code: 'E001' } });
    expect(s.store.employees.list()).toEqual([]);
    expect(s.store.consents.current(id)).toBeUndefined();
    expect(auditOf(s, id).map((e) => [e.actor, e.action, e.details])).toEqual([
      [ACTOR, 'employee.create', { code: 'E001', pin: false }],
      [ACTOR, 'employee.consent', { textVersion: 'consent-v1' }],
      [ACTOR, 'employee.delete', { code: 'E001' }],
    ]);
    expect(s.store.audit.verify()).toMatchObject({ ok: true });
    // The code is free again.
    const again = await s.enrollment.create(ACTOR, { code: 'E001', name: 'Ann' });
    expect(again.code).toBe('E001');
  });

  it('refuses with CONFLICT once a template, a kept capture or an attendance event refers to the employee', async () => {
    const enrolled = await enrolFace(s, 'E001', 'Ann', ANN);
    expect(s.enrollment.list(false)[0]).toMatchObject({ id: enrolled, deletable: false });
    await expect(async () => s.enrollment.delete(ACTOR, enrolled)).rejects.toMatchObject({ code: 'CONFLICT', details: { templates: 1, attendance: 0 } });
    // Punched, then erased: no templates left, but the history keeps its name.
    await s.clocking.clockFace([s.face.face(ANN)]);
    s.enrollment.erase(ACTOR, enrolled);
    await expect(async () => s.enrollment.delete(ACTOR, enrolled)).rejects.toMatchObject({ code: 'CONFLICT', details: { templates: 0, attendance: 1 } });
    // No template left, but the punch keeps them: the list does not offer Delete.
    expect(s.enrollment.list(false)[0]).toMatchObject({ faceTemplates: 0, voiceTemplates: 0, deletable: false });
    expect(s.store.employees.get(enrolled).code).toBe('E001');
    expect(auditOf(s, enrolled).map((e) => e.action)).not.toContain('employee.delete');
    await expect(async () => s.enrollment.delete(ACTOR, 999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
