/**
 * Right of access: `admin.employees.export` returns everything the kiosk holds about one
 * employee (profile, consents, attendance, template metadata, audit history) and nothing about
 * anybody else, leaves out the template vectors and the PIN hash, and is itself audit-logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmployeeDataExport, PunchEvent } from '../../src-shared/contract.js';
import { adminToken, base64Of, call, failure, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { manifestSha256 } from './helpers.js';

/** Every number anywhere in a JSON value. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysIn(v)]);
  return [];
}

describe.skipIf(!hasModels)('per-employee data export', () => {
  let t: TestKiosk;
  let token: string;
  let minjun: number;
  let other: number;
  const punches: PunchEvent[] = [];

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    minjun = (await call(t.dispatch, 'admin.employees.create', { token, code: 'MJ-7', name: '김민준', department: '물류', pin: '4321' })).employee.id;
    other = (await call(t.dispatch, 'admin.employees.create', { token, code: 'OTHER', name: 'Somebody Else', pin: '8765' })).employee.id;
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: minjun, textVersion: 'consent-2025-01' });
    if (hasWebcamPhotos) {
      await call(t.dispatch, 'admin.enroll.face', { token, employeeId: minjun, image: base64Of(webcam('obama.jpg')), pose: 'front' });
    }
    for (const code of ['MJ-7', 'OTHER', 'MJ-7']) {
      const result = await call(t.dispatch, 'clock.pin', { code, pin: code === 'OTHER' ? '8765' : '4321' });
      if (result.outcome !== 'recorded') throw new Error(`punch not recorded: ${result.outcome}`);
      if (code === 'MJ-7') punches.push(result.event);
      t.clock.advance(2 * 3600_000);
    }
    token = await adminToken(t.dispatch); // the first session ran out while the hours passed
  });
  afterAll(() => t?.close());

  it("holds the employee's profile, consents and every punch, and nothing about anybody else", async () => {
    const { filename, data } = await call(t.dispatch, 'admin.employees.export', { token, employeeId: minjun });
    expect(filename).toBe('employee-MJ-7-data.json');
    expect(data.format).toBe('attendance-kiosk/employee-data/v3');
    expect(data.kioskId).toBe('test-kiosk');
    expect(data.exportedAt).toBe(t.clock.now().toISOString());
    expect(data.employee).toEqual({
      id: minjun,
      code: 'MJ-7',
      name: '김민준',
      department: '물류',
      active: true,
      createdAt: '2025-03-10T00:00:00.000Z',
      deactivatedAt: null,
      hasClockInPin: true,
    });
    expect(data.consents).toEqual([{ textVersion: 'consent-2025-01', consentedAt: '2025-03-10T00:00:00.000Z', withdrawnAt: null }]);
    expect(data.attendance.map((e) => [e.direction, e.modality, e.occurredAt, e.score, e.kioskId])).toEqual(
      punches.map((p) => [p.direction, 'pin', p.at, null, 'test-kiosk']),
    );
    const text = JSON.stringify(data);
    expect(text).not.toContain('Somebody Else');
    expect(text).not.toContain('OTHER');
    expect(data.history.every((h) => !JSON.stringify(h).includes(`employee:${other}`))).toBe(true);
  });

  it('lists template metadata (model and its sha256) but no vector, and never the PIN hash', async () => {
    const { data } = await call(t.dispatch, 'admin.employees.export', { token, employeeId: minjun });
    const faceTemplates = hasWebcamPhotos ? 1 : 0;
    expect(data.biometricTemplates).toHaveLength(faceTemplates);
    for (const template of data.biometricTemplates) {
      expect(template).toMatchObject({ modality: 'face', modelId: 'face-encoder-dlib-resnet', dimensions: 128 });
      expect(template.modelSha256).toBe(manifestSha256('face-encoder-dlib-resnet'));
    }
    expect(keysIn(data)).not.toContain('vector');
    const pinHash = t.kiosk.context.store.employees.getPinHash(minjun)!;
    expect(JSON.stringify(data)).not.toContain(pinHash.split('$').at(-1)!);
    expect(JSON.stringify(data)).not.toContain('scrypt$');
    if (hasWebcamPhotos) {
      // The same photo gives the same embedding: none of its 128 values is anywhere in the export.
      const { embedding } = await t.kiosk.context.face.engine.analyzeBytes(Buffer.from(base64Of(webcam('obama.jpg')), 'base64'), 'enroll');
      const exported = new Set(numbersIn(data));
      expect(Array.from(embedding).filter((x) => exported.has(x))).toEqual([]);
    }
    expect(data.rawCaptures).toEqual([]);
  });

  it("includes the audit history about the employee, and logs the export under the admin's session", async () => {
    const before = t.kiosk.context.store.audit.list({ limit: 1 })[0]!;
    const { data } = await call(t.dispatch, 'admin.employees.export', { token, employeeId: minjun });
    const actions = data.history.map((h) => h.action);
    expect(actions.slice(0, 2)).toEqual(['employee.create', 'employee.consent']);
    if (hasWebcamPhotos) expect(actions).toContain('employee.enroll.face');
    const after = t.kiosk.context.store.audit.list({ limit: 5 }).filter((e) => e.id > before.id);
    expect(after.map((e) => [e.action, e.subject])).toEqual([['employee.export', `employee:${minjun}`]]);
    expect(after[0]!.actor).toBe(t.kiosk.auth.authorize(token).actor);
    expect(t.kiosk.context.store.audit.verify().ok).toBe(true);
  });

  it('refuses an unknown employee (NOT_FOUND), a bad session (UNAUTHORIZED) and a bad id (INVALID_INPUT)', async () => {
    expect((await failure(t.dispatch, 'admin.employees.export', { token, employeeId: 9999 })).code).toBe('NOT_FOUND');
    expect((await failure(t.dispatch, 'admin.employees.export', { token: 'A'.repeat(43), employeeId: minjun })).code).toBe('UNAUTHORIZED');
    expect((await failure(t.dispatch, 'admin.employees.export', { token, employeeId: '1' })).code).toBe('INVALID_INPUT');
    expect((await failure(t.dispatch, 'admin.employees.export', { token, employeeId: minjun, vectors: true })).code).toBe('INVALID_INPUT');
  });

  it('still exports a deactivated, erased employee: history and punches stay, templates are gone', async () => {
    await call(t.dispatch, 'admin.employees.deactivate', { token, employeeId: minjun });
    await call(t.dispatch, 'admin.employees.erase', { token, employeeId: minjun });
    const { data } = (await call(t.dispatch, 'admin.employees.export', { token, employeeId: minjun })) as { data: EmployeeDataExport };
    expect(data.employee.active).toBe(false);
    expect(data.employee.deactivatedAt).toBe(t.clock.now().toISOString());
    expect(data.biometricTemplates).toEqual([]);
    expect(data.attendance).toHaveLength(punches.length);
    expect(data.consents[0]!.withdrawnAt).toBe(t.clock.now().toISOString());
    expect(data.history.map((h) => h.action)).toEqual(expect.arrayContaining(['employee.deactivate', 'employee.erase', 'employee.export']));
  });
});
