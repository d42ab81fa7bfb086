/**
 * Every admin action leaves one audit entry — who (the session's actor, or 'anonymous' for a
 * failed sign-in), what, about whom, when — in a chain that verifies; reads that only show data
 * on the admin screen leave none. Every admin handler of the contract is in one of the two lists,
 * so a new handler cannot be added without deciding whether it is audited. Also: PINs at rest are
 * scrypt hashes, and the settings an admin can read never include the security state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from '../../src-main/core/auth/pin-hash.js';
import type { AuditEntry } from '../../src-main/core/store/audit-log.js';
import { schemas, type HandlerName } from '../../src-shared/contract.js';
import { TEST_ADMIN_PIN, adminToken, base64Of, call, failure, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { gridClip, hasGrid, hasVoiceModels, pcmOf } from '../privacy/helpers.js';

/** Admin handlers and the audit action each success writes. */
const AUDITED: Partial<Record<HandlerName, string>> = {
  'admin.login': 'admin.login',
  'admin.logout': 'admin.logout',
  'admin.pin.change': 'admin.pin.change',
  'admin.employees.create': 'employee.create',
  'admin.employees.consent': 'employee.consent',
  'admin.enroll.face': 'employee.enroll.face',
  'admin.enroll.voice': 'employee.enroll.voice',
  'admin.employees.reenroll': 'employee.reenroll',
  'admin.employees.deactivate': 'employee.deactivate',
  'admin.employees.reactivate': 'employee.reactivate',
  'admin.employees.erase': 'employee.erase',
  'admin.employees.delete': 'employee.delete',
  'admin.employees.export': 'employee.export',
  'admin.settings.set': 'settings.set',
  'admin.recognition.health': 'recognition.health',
  'reports.csv': 'reports.csv',
};
/** Reads for the admin screen only: nothing leaves the kiosk and nothing changes. */
const NOT_AUDITED: readonly HandlerName[] = ['admin.employees.list', 'admin.settings.get', 'reports.timesheet', 'admin.central.kiosks', 'admin.recognition.attempts'];

const adminHandlers = (Object.keys(schemas) as HandlerName[]).filter((name) => name.startsWith('admin.') || name.startsWith('reports.'));

describe('audit coverage of the contract', () => {
  it('classifies every admin handler as audited or as a read-only view', () => {
    expect([...Object.keys(AUDITED), ...NOT_AUDITED].sort()).toEqual([...adminHandlers].sort());
  });
});

describe.skipIf(!hasModels)('admin actions in the audit log', () => {
  let t: TestKiosk;
  let token: string;
  let actor: string;
  let employeeId: number;

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    actor = t.kiosk.auth.authorize(token).actor;
  });
  afterAll(() => t?.close());

  const head = (): number => t.kiosk.context.store.audit.list({ limit: 1 })[0]?.id ?? 0;
  const since = (id: number): AuditEntry[] => t.kiosk.context.store.audit.list({ limit: 100 }).filter((e) => e.id > id).reverse();

  /** Calls the handler and returns the audit entries it appended. */
  async function entriesOf(name: HandlerName, input: Record<string, unknown>): Promise<AuditEntry[]> {
    const before = head();
    t.clock.advance(1000);
    await call(t.dispatch, name, input);
    return since(before);
  }

  it('logs each state-changing action once, with the session as actor, the employee as subject and the time', async () => {
    const created = await entriesOf('admin.employees.create', { token, code: 'AU1', name: '감사 대상', pin: '1357' });
    employeeId = t.kiosk.context.store.employees.findByCode('AU1')!.id;
    const steps: [HandlerName, Record<string, unknown>, boolean][] = [
      ['admin.employees.consent', { token, employeeId, textVersion: 'v1' }, true],
      ...(hasWebcamPhotos ? [['admin.enroll.face', { token, employeeId, image: base64Of(webcam('obama.jpg')), pose: 'front' }, true] as [HandlerName, Record<string, unknown>, boolean]] : []),
      ...(hasVoiceModels && hasGrid
        ? [['admin.enroll.voice', { token, employeeId, pcmBase64: pcmOf(gridClip('s1', 'bbaf2n')).pcmBase64, sampleRate: 16000 }, true] as [HandlerName, Record<string, unknown>, boolean]]
        : []),
      ['admin.employees.export', { token, employeeId }, true],
      ['admin.employees.reenroll', { token, employeeId }, true],
      ['admin.employees.deactivate', { token, employeeId }, true],
      ['admin.employees.reactivate', { token, employeeId }, true],
      ['admin.employees.erase', { token, employeeId }, true],
      ['admin.settings.set', { token, settings: { debounceMinutes: 3 } }, false],
      ['admin.recognition.health', { token }, false],
      ['reports.csv', { token, from: '2025-03-01', to: '2025-03-31' }, false],
    ];
    const check = (entries: AuditEntry[], name: HandlerName, aboutEmployee: boolean): void => {
      expect(entries.map((e) => e.action), name).toEqual([AUDITED[name]]);
      expect(entries[0]).toMatchObject({ actor, at: t.clock.now().toISOString(), subject: aboutEmployee ? `employee:${employeeId}` : null });
    };
    check(created, 'admin.employees.create', true);
    for (const [name, input, aboutEmployee] of steps) check(await entriesOf(name, input), name, aboutEmployee);
    expect(t.kiosk.context.store.audit.verify().ok).toBe(true);
  });

  it('logs the deletion of a never-enrolled employee, with the session as actor and that employee as subject', async () => {
    await call(t.dispatch, 'admin.employees.create', { token, code: 'AU2', name: '삭제 대상' });
    const id = t.kiosk.context.store.employees.findByCode('AU2')!.id;
    const entries = await entriesOf('admin.employees.delete', { token, employeeId: id });
    expect(entries).toEqual([expect.objectContaining({ actor, action: 'employee.delete', subject: `employee:${id}`, details: { code: 'AU2' } })]);
    expect(t.kiosk.context.store.audit.verify().ok).toBe(true);
  });

  it('logs nothing for the read-only views', async () => {
    const before = head();
    await call(t.dispatch, 'admin.employees.list', { token, includeInactive: true });
    await call(t.dispatch, 'admin.settings.get', { token });
    await call(t.dispatch, 'reports.timesheet', { token, from: '2025-03-01', to: '2025-03-31' });
    expect(since(before)).toEqual([]);
  });

  it('logs sign-in, a failed sign-in (as anonymous), a failed and a successful PIN change, and sign-out', async () => {
    let before = head();
    const { token: second } = await call(t.dispatch, 'admin.login', { pin: TEST_ADMIN_PIN });
    const secondActor = t.kiosk.auth.authorize(second).actor;
    expect(secondActor).not.toBe(actor);
    expect(since(before).map((e) => [e.actor, e.action])).toEqual([[secondActor, 'admin.login']]);

    before = head();
    expect((await failure(t.dispatch, 'admin.login', { pin: '000000' })).code).toBe('UNAUTHORIZED');
    expect(since(before).map((e) => [e.actor, e.action, e.details])).toEqual([['anonymous', 'admin.login.failed', { lockedOut: false }]]);

    before = head();
    expect((await failure(t.dispatch, 'admin.pin.change', { token: second, currentPin: '000000', newPin: '8642' })).code).toBe('UNAUTHORIZED');
    await call(t.dispatch, 'admin.pin.change', { token: second, currentPin: TEST_ADMIN_PIN, newPin: '8642' });
    await call(t.dispatch, 'admin.logout', { token: second });
    expect(since(before).map((e) => [e.actor, e.action])).toEqual([
      [secondActor, 'admin.pin.change.failed'],
      [secondActor, 'admin.pin.change'],
      [secondActor, 'admin.logout'],
    ]);
    // The PIN change ended the first session (opened with the old PIN).
    expect((await failure(t.dispatch, 'admin.settings.get', { token })).code).toBe('UNAUTHORIZED');
    expect(t.kiosk.context.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('keeps PINs only as scrypt hashes, and never shows the security state through the settings handler', async () => {
    const hash = t.kiosk.context.store.employees.getPinHash(employeeId)!;
    expect(hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPin('1357', hash)).toBe(true);
    expect(await verifyPin('1358', hash)).toBe(false);
    const session = (await call(t.dispatch, 'admin.login', { pin: '8642' })).token; // the PIN changed above
    const { settings } = await call(t.dispatch, 'admin.settings.get', { token: session });
    expect(Object.keys(settings).filter((key) => key.startsWith('security.'))).toEqual([]);
    expect(JSON.stringify(settings)).not.toContain('scrypt$');
  });
});
