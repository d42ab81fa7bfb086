/**
 * admin.recognition.attempts through the real handler table on a real kiosk (issue 14 item 10):
 * an admin session is required; a real face clock-in and a stranger's refused one each appear,
 * newest first, with their numbers; the refusal names nobody and the kiosk's answer to it carries
 * no score.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, base64Of, call, failure, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';

describe.skipIf(!hasModels || !hasWebcamPhotos)('admin.recognition.attempts', () => {
  let t: TestKiosk;
  let token: string;

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'E001', name: 'Barack Obama' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'consent-v1' });
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: employee.id, image: base64Of(webcam('obama.jpg')), pose: 'front' });
  });
  afterAll(() => t?.close());

  it('needs an admin session', async () => {
    expect((await failure(t.dispatch, 'admin.recognition.attempts', { token: 'x'.repeat(32) })).code).toBe('UNAUTHORIZED');
    expect((await failure(t.dispatch, 'admin.recognition.attempts', { token, limit: 0 })).code).toBe('INVALID_INPUT');
  });

  it('lists each decision newest first, with scores, threshold and outcome; a refusal names nobody', async () => {
    expect(await call(t.dispatch, 'admin.recognition.attempts', { token })).toEqual({ attempts: [], kept: 10_000 });
    const accepted = await call(t.dispatch, 'clock.face', { frames: [base64Of(webcam('obama2.jpg'))] });
    expect(accepted).toMatchObject({ outcome: 'recorded', confidence: expect.stringMatching(/^(clear|near)$/) });
    t.clock.advance(1000);
    const refused = await call(t.dispatch, 'clock.face', { frames: [base64Of(webcam('biden.jpg'))] });
    // The kiosk's answer is as bare as before: no score, no candidate.
    expect(refused).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });

    const { attempts, kept } = await call(t.dispatch, 'admin.recognition.attempts', { token, limit: 10 });
    expect(kept).toBe(10_000);
    expect(attempts).toHaveLength(2);
    const [stranger, obama] = attempts;
    const threshold = obama!.threshold!;
    expect(obama).toMatchObject({ modality: 'face', mode: 'identify', outcome: 'accepted', employee: { code: 'E001', name: 'Barack Obama' }, secondScore: null, gallerySize: 1, kioskId: t.kiosk.context.kioskId });
    expect(obama!.bestScore).toBeGreaterThanOrEqual(threshold);
    expect(accepted.outcome === 'recorded' && accepted.event.score).toBeCloseTo(obama!.bestScore!, 6);
    expect(stranger).toMatchObject({ outcome: 'below_threshold', employee: null, threshold });
    expect(stranger!.bestScore).toBeLessThan(threshold);
    expect(Date.parse(stranger!.at)).toBeGreaterThan(Date.parse(obama!.at));

    expect((await call(t.dispatch, 'admin.recognition.attempts', { token, limit: 1 })).attempts.map((a) => a.id)).toEqual([stranger!.id]);
  });
});
