/**
 * A face burst decides on its usable frames only; simultaneous clock-ins are serialised so
 * that exactly the right events are written — none lost, none duplicated, directions
 * alternating as if the punches had come one after another.
 */
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, base64Of, call, failure, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from './kiosk-fixture.js';

/** A real JPEG of a plain grey wall: decodes fine, holds no face. */
function greyFrame(): string {
  const width = 320;
  const height = 240;
  const data = Buffer.alloc(width * height * 4, 128);
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data).toString('base64');
}

describe.skipIf(!hasModels)('clock-ins under concurrency (PIN)', () => {
  let t: TestKiosk;
  let token: string;
  const ids: number[] = [];
  const events = () => t.kiosk.context.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') });

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    for (let i = 0; i < 12; i++) {
      const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: `P${i}`, name: `Person ${i}`, pin: `${1000 + i}` });
      ids.push(employee.id);
    }
  });
  afterAll(() => t?.close());

  it('ten different employees at once: ten events, one each, all in', async () => {
    const results = await Promise.all(ids.slice(0, 10).map((_, i) => call(t.dispatch, 'clock.pin', { code: `P${i}`, pin: `${1000 + i}` })));
    expect(results.every((r) => r.outcome === 'recorded' && r.event.direction === 'in')).toBe(true);
    const written = events();
    expect(written.length).toBe(10);
    expect(new Set(written.map((e) => e.employeeId))).toEqual(new Set(ids.slice(0, 10)));
  });

  it('one employee ten times at once without debounce: ten more events, strictly alternating', async () => {
    await call(t.dispatch, 'admin.settings.set', { token, settings: { debounceMinutes: 0 } });
    await Promise.all(Array.from({ length: 10 }, () => call(t.dispatch, 'clock.pin', { code: 'P0', pin: '1000' })));
    const mine = t.kiosk.context.store.attendance.allForEmployee(ids[0]!);
    expect(mine.length).toBe(11);
    expect(mine.map((e) => e.direction)).toEqual(Array.from({ length: 11 }, (_, i) => (i % 2 === 0 ? 'in' : 'out')));
  });

  it('one employee ten times at once inside the debounce window: exactly one event', async () => {
    await call(t.dispatch, 'admin.settings.set', { token, settings: { debounceMinutes: 1 } });
    const results = await Promise.all(Array.from({ length: 10 }, () => call(t.dispatch, 'clock.pin', { code: 'P10', pin: '1010' })));
    expect(results.filter((r) => r.outcome === 'recorded').length).toBe(1);
    expect(results.filter((r) => r.outcome === 'debounced').length).toBe(9);
    expect(t.kiosk.context.store.attendance.allForEmployee(ids[10]!).length).toBe(1);
  });

  it('locks a code after five wrong PINs, even for the right PIN, for five minutes', async () => {
    for (let i = 0; i < 5; i++) expect((await failure(t.dispatch, 'clock.pin', { code: 'P11', pin: '0000' })).code).toBe('PIN_REJECTED');
    expect((await failure(t.dispatch, 'clock.pin', { code: 'P11', pin: '1011' })).code).toBe('LOCKED_OUT');
    t.clock.advance(5 * 60_000);
    expect((await call(t.dispatch, 'clock.pin', { code: 'P11', pin: '1011' })).outcome).toBe('recorded');
  });
});

describe.skipIf(!hasModels || !hasWebcamPhotos)('face bursts', () => {
  let t: TestKiosk;
  const probe = base64Of(webcam('obama2.jpg'));

  beforeAll(async () => {
    t = await openTestKiosk();
    const token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'E1', name: 'Barack Obama' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: employee.id, image: base64Of(webcam('obama.jpg')), pose: 'front' });
  });
  afterAll(() => t?.close());

  it('says what is wrong when no frame of the burst shows a usable face', async () => {
    const error = await failure(t.dispatch, 'clock.face', { frames: [greyFrame(), greyFrame()] });
    expect(error.code).toBe('NO_FACE');
  });

  it('skips frames without a face or that do not decode, and decides on the good ones', async () => {
    const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]).toString('base64');
    const result = await call(t.dispatch, 'clock.face', { frames: [greyFrame(), probe, broken] });
    expect(result.outcome === 'recorded' && result.event.employee.name).toBe('Barack Obama');
  });

  it('four bursts of the same person at once inside the debounce window: one event', async () => {
    t.clock.advance(3600_000);
    const results = await Promise.all(Array.from({ length: 4 }, () => call(t.dispatch, 'clock.face', { frames: [probe] })));
    expect(results.map((r) => r.outcome).sort()).toEqual(['debounced', 'debounced', 'debounced', 'recorded']);
    expect(t.kiosk.context.store.attendance.allForEmployee(1).length).toBe(2);
  });
});
