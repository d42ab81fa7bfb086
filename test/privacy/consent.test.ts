/**
 * Consent before capture, for both modalities: without a current consent a face shot or a voice
 * phrase is refused with CONSENT_REQUIRED before it is even decoded (an undecodable photo or
 * non-finite audio gets CONSENT_REQUIRED, not a decoding error), nothing is stored, and an
 * erasure withdraws the consent so capture needs a new one. (kiosk-flow.test.ts covers the face
 * path with real photos.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, failure, hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';

const UNDECODABLE_PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64');
const NAN_AUDIO = Buffer.from(new Float32Array([Number.NaN, 0.5, Number.NaN, 0.25]).buffer).toString('base64');

describe.skipIf(!hasModels)('consent before capture', () => {
  let t: TestKiosk;
  let token: string;
  let id: number;
  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    id = (await call(t.dispatch, 'admin.employees.create', { token, code: 'C1', name: 'No Consent Yet' })).employee.id;
  });
  afterAll(() => t?.close());

  const captures = () => [
    failure(t.dispatch, 'admin.enroll.face', { token, employeeId: id, image: UNDECODABLE_PHOTO, pose: 'front' }),
    failure(t.dispatch, 'admin.enroll.voice', { token, employeeId: id, pcmBase64: NAN_AUDIO, sampleRate: 16000 }),
  ];

  it('refuses face and voice captures before consent, before decoding them, and stores nothing', async () => {
    const [face, voice] = await Promise.all(captures());
    expect(face!.code).toBe('CONSENT_REQUIRED');
    // Without voice models the kiosk says so first; with them, consent comes before the audio.
    expect(voice!.code).toBe(t.kiosk.context.voice === null ? 'VOICE_UNAVAILABLE' : 'CONSENT_REQUIRED');
    expect(t.kiosk.context.store.templates.count({ employeeId: id })).toBe(0);
    expect(t.kiosk.context.store.rawCaptures.count(id)).toBe(0);
  });

  it('once consent is recorded the same captures reach the decoders (and fail there, as bad input)', async () => {
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: id, textVersion: 'v1' });
    const [face, voice] = await Promise.all(captures());
    expect(face!.code).toBe('CORRUPT_IMAGE');
    expect(voice!.code).toBe(t.kiosk.context.voice === null ? 'VOICE_UNAVAILABLE' : 'BAD_AUDIO');
  });

  it('after an erasure, capture needs a new consent; a deactivated employee cannot consent', async () => {
    await call(t.dispatch, 'admin.employees.erase', { token, employeeId: id });
    expect(t.kiosk.context.store.consents.current(id)).toBeUndefined();
    expect(t.kiosk.context.store.consents.history(id)).toHaveLength(1);
    const [face] = await Promise.all(captures());
    expect(face!.code).toBe('CONSENT_REQUIRED');
    await call(t.dispatch, 'admin.employees.deactivate', { token, employeeId: id });
    expect((await failure(t.dispatch, 'admin.employees.consent', { token, employeeId: id, textVersion: 'v2' })).code).toBe('CONFLICT');
  });

  it('a reactivated employee whose data was erased must consent again before any capture', async () => {
    const { employee } = await call(t.dispatch, 'admin.employees.reactivate', { token, employeeId: id });
    expect(employee).toMatchObject({ active: true, consentedAt: null, faceTemplates: 0, voiceTemplates: 0 });
    const [face] = await Promise.all(captures());
    expect(face!.code).toBe('CONSENT_REQUIRED');
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: id, textVersion: 'v2' });
    expect(t.kiosk.context.store.consents.current(id)?.textVersion).toBe('v2');
  });
});
