/**
 * The kiosk's main flow through the handler table, with real photos, real ONNX models and a
 * real SQLite file: consent gate → enrollment → clock in → debounce → clock out → PIN →
 * stranger → duplicate face refused → next day → erase → restart with the gallery reloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClockResult } from '../../src-shared/contract.js';
import {
  adminToken,
  base64Of,
  call,
  failure,
  faceApiSample,
  hasModels,
  hasWebcamPhotos,
  openTestKiosk,
  webcam,
  type TestKiosk,
} from './kiosk-fixture.js';

const HOUR = 3600_000;

describe.skipIf(!hasModels || !hasWebcamPhotos)('enroll and clock in by face (real photos, models, database)', () => {
  let t: TestKiosk;
  let token: string;
  let obamaId: number;
  let bidenId: number;
  const probe = base64Of(webcam('obama2.jpg'));
  const stranger = base64Of(webcam('biden.jpg'));
  const eventCount = (): number => t.kiosk.context.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') }).length;
  const clockFace = (image: string): Promise<ClockResult> => call(t.dispatch, 'clock.face', { frames: [image] });

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
  });
  afterAll(() => t?.close());

  it('creates an employee and refuses any capture before consent', async () => {
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'E001', name: 'Barack Obama', department: 'Office', pin: '1234' });
    obamaId = employee.id;
    expect(employee).toMatchObject({ code: 'E001', name: 'Barack Obama', active: true, consentedAt: null, faceTemplates: 0 });
    const refused = await failure(t.dispatch, 'admin.enroll.face', { token, employeeId: obamaId, image: base64Of(webcam('obama.jpg')), pose: 'front' });
    expect(refused.code).toBe('CONSENT_REQUIRED');
    expect(t.kiosk.context.store.templates.count({ employeeId: obamaId })).toBe(0);
  });

  it('records consent, then takes three shots and counts down what is still needed', async () => {
    const consented = await call(t.dispatch, 'admin.employees.consent', { token, employeeId: obamaId, textVersion: 'consent-v1' });
    expect(consented.employee.consentedAt).toBe(t.clock.now().toISOString());
    // These photos all face the camera, so all three are front shots (turned poses are checked: test/face/pose-check.test.ts).
    const shots = [['obama.jpg', 'front'], ['obama-480p.jpg', 'front'], ['obama-720p.jpg', 'front']] as const;
    const needed: number[] = [];
    for (const [file, pose] of shots) {
      const reply = await call(t.dispatch, 'admin.enroll.face', { token, employeeId: obamaId, image: base64Of(webcam(file)), pose });
      needed.push(reply.shotsNeeded);
      expect(reply.quality.interOcularPx).toBeGreaterThan(0);
    }
    expect(needed).toEqual([2, 1, 0]);
    expect((await call(t.dispatch, 'kiosk.status', {})).enrolled).toBe(1);
  });

  it('refuses a shot showing several people', async () => {
    const refused = await failure(t.dispatch, 'admin.enroll.face', { token, employeeId: obamaId, image: base64Of(faceApiSample(1)), pose: 'front' });
    expect(refused.code).toBe('MULTIPLE_FACES');
    expect(t.kiosk.context.store.templates.count({ employeeId: obamaId })).toBe(3);
  });

  it('clocks the employee in from another photo, recording every field of the event', async () => {
    const result = await clockFace(probe);
    expect(result.outcome).toBe('recorded');
    if (result.outcome !== 'recorded') return;
    expect(result.event).toMatchObject({ employee: { id: obamaId, code: 'E001', name: 'Barack Obama' }, direction: 'in', modality: 'face' });
    const threshold = t.kiosk.settings.get('faceThreshold');
    expect(result.event.score).toBeGreaterThanOrEqual(threshold);
    expect(result.event.score).toBeLessThanOrEqual(1);
    const [stored] = t.kiosk.context.store.attendance.allForEmployee(obamaId);
    expect(stored).toMatchObject({
      direction: 'in',
      modality: 'face',
      score: result.event.score,
      modelId: 'face-encoder-dlib-resnet',
      kioskId: 'test-kiosk',
      occurredAt: t.clock.now().toISOString(),
    });
  });

  it('ignores a second punch inside the debounce window and writes nothing', async () => {
    t.clock.advance(30_000);
    const result = await clockFace(probe);
    expect(result.outcome).toBe('debounced');
    if (result.outcome === 'debounced') expect(result.event.direction).toBe('in');
    expect(eventCount()).toBe(1);
  });

  it('toggles to out later the same day, and back to in by PIN', async () => {
    t.clock.advance(4 * HOUR);
    const out = await clockFace(probe);
    expect(out.outcome === 'recorded' && out.event.direction).toBe('out');
    t.clock.advance(HOUR);
    const pin = await call(t.dispatch, 'clock.pin', { code: 'E001', pin: '1234' });
    expect(pin).toMatchObject({ outcome: 'recorded', event: { direction: 'in', modality: 'pin', score: null } });
    expect((await failure(t.dispatch, 'clock.pin', { code: 'E001', pin: '9999' })).code).toBe('PIN_REJECTED');
    expect((await failure(t.dispatch, 'clock.pin', { code: 'NOBODY', pin: '1234' })).code).toBe('PIN_REJECTED');
    expect(eventCount()).toBe(3);
  });

  it('answers not_recognised for a stranger and writes no event', async () => {
    t.clock.advance(HOUR);
    const result = await clockFace(stranger);
    expect(result).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(eventCount()).toBe(3);
  });

  it('refuses to enroll a face that already matches another employee, naming them', async () => {
    token = await adminToken(t.dispatch); // the clock has moved past the session's idle limit
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'E002', name: 'Impostor', department: '' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'consent-v1' });
    const refused = await failure(t.dispatch, 'admin.enroll.face', { token, employeeId: employee.id, image: probe, pose: 'front' });
    expect(refused.code).toBe('DUPLICATE');
    expect(refused.message).toContain('Barack Obama');
    expect(refused.details).toMatchObject({ employeeId: obamaId, name: 'Barack Obama' });
    expect(t.kiosk.context.store.templates.count({ employeeId: employee.id })).toBe(0);
  });

  it('enrolls a second person, who is told apart from the first', async () => {
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'E003', name: 'Joe Biden', department: 'Office' });
    bidenId = employee.id;
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: bidenId, textVersion: 'consent-v1' });
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: bidenId, image: stranger, pose: 'front' });
    const biden = await clockFace(base64Of(webcam('knn_examples/train/biden/biden2.jpg')));
    expect(biden.outcome === 'recorded' && biden.event.employee.id).toBe(bidenId);
  });

  it('reports the recognition health of the real enrolled faces: a target-derived threshold, the two people told apart', async () => {
    const { face } = await call(t.dispatch, 'admin.recognition.health', { token });
    expect(face.enrolled).toBe(2);
    expect(face.threshold).toMatchObject({ from: 'target', target: 1e-3 });
    // Two people's best cross score sits well below the threshold in force.
    expect(face.closestPairs).toHaveLength(1);
    expect(face.closestPairs[0]!.aboveThreshold).toBe(false);
    expect(face.closestPairs[0]!.score).toBeLessThan(face.threshold.value - 0.1);
    expect(face.strangerAcceptance.perSearch).toBeCloseTo(1e-3, 4);
  });

  it("starts the next local day with 'in' whatever the last direction was", async () => {
    t.clock.set('2025-03-11T00:30:00.000Z'); // 09:30 in Seoul; the last punch the day before was 'in' (PIN)
    const result = await clockFace(probe);
    expect(result.outcome === 'recorded' && result.event.direction).toBe('in');
  });

  it('erases every template: the person is no longer recognised, the history stays, consent must be given again', async () => {
    t.clock.advance(2 * HOUR);
    token = await adminToken(t.dispatch);
    const before = eventCount();
    const erased = await call(t.dispatch, 'admin.employees.erase', { token, employeeId: obamaId });
    expect(erased.templatesErased).toBe(3);
    expect(erased.employee).toMatchObject({ faceTemplates: 0, voiceTemplates: 0, consentedAt: null });
    expect(t.kiosk.context.store.templates.count({ employeeId: obamaId })).toBe(0);
    expect(await clockFace(probe)).toEqual({ outcome: 'not_recognised', reason: 'below_threshold' });
    expect(eventCount()).toBe(before);
    expect(t.kiosk.context.store.attendance.allForEmployee(obamaId).map((e) => e.direction)).toEqual(['in', 'out', 'in', 'in']);
    const again = await failure(t.dispatch, 'admin.enroll.face', { token, employeeId: obamaId, image: probe, pose: 'front' });
    expect(again.code).toBe('CONSENT_REQUIRED');
  });

  it('logs every admin action in a valid hash chain', () => {
    const actions = t.kiosk.context.store.audit.list({ limit: 1000 }).map((e) => e.action);
    for (const action of ['admin.login', 'employee.create', 'employee.consent', 'employee.enroll.face', 'employee.erase']) {
      expect(actions).toContain(action);
    }
    expect(t.kiosk.context.store.audit.verify().ok).toBe(true);
  });

  it('reloads the gallery from the store after a restart; a deactivated employee is not recognised', async () => {
    await t.kiosk.close();
    t = await openTestKiosk({ dir: t.dir, key: t.key, start: '2025-03-12T00:00:00.000Z' });
    token = await adminToken(t.dispatch);
    const biden2 = base64Of(webcam('knn_examples/train/biden/biden2.jpg'));
    const result = await clockFace(biden2);
    expect(result.outcome === 'recorded' && result.event.employee.name).toBe('Joe Biden');
    await call(t.dispatch, 'admin.employees.deactivate', { token, employeeId: bidenId });
    t.clock.advance(HOUR);
    expect(await clockFace(biden2)).toEqual({ outcome: 'not_recognised', reason: 'no_enrolled_employees' });
  });

  it('reactivating a deactivated employee whose templates and consent remain lets them clock in again at once, audit-logged', async () => {
    token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.reactivate', { token, employeeId: bidenId });
    expect(employee).toMatchObject({ id: bidenId, active: true, faceTemplates: 1 });
    t.clock.advance(HOUR);
    const result = await clockFace(base64Of(webcam('knn_examples/train/biden/biden2.jpg')));
    expect(result.outcome === 'recorded' && result.event.employee.id).toBe(bidenId);
    const entry = t.kiosk.context.store.audit.list({ limit: 20 }).find((e) => e.action === 'employee.reactivate');
    expect(entry).toMatchObject({ subject: `employee:${bidenId}`, details: { templatesKept: 1, consent: true } });
  });
});
