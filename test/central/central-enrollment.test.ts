/**
 * Enrollment through the server from a kiosk's admin screens (an enrollment station): the server
 * is written first, then every kiosk — the enrolling one too — pulls the same rows. Enroll on
 * kiosk 1 → kiosk 2 recognises within 2 s; erase on kiosk 2 → kiosk 1 no longer does and keeps
 * no template; enrollment needs the server, clocking in does not; a kiosk that is not an
 * enrollment station is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { openCentralKiosk, startServer, type CentralKiosk, type TestServer } from './central-fixture.js';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

const DANA = [0.3, 0.8, 0.1, 0.5];
const ACTOR = 'admin';

d('enrollment through the central server', () => {
  let server: TestServer;
  let kiosk1: CentralKiosk;
  let kiosk2: CentralKiosk;
  let plain: CentralKiosk;
  beforeAll(async () => {
    server = await startServer();
    kiosk1 = await openCentralKiosk(server, 'front-desk', { start: true, enroll: true });
    kiosk2 = await openCentralKiosk(server, 'floor-2', { start: true, enroll: true });
    plain = await openCentralKiosk(server, 'warehouse');
  }, 120_000);
  afterAll(async () => {
    for (const k of [kiosk1, kiosk2, plain]) await k?.close();
    await server?.close();
  });

  it('enrolls on kiosk 1 and kiosk 2 recognises the person within 2 s; erasing on kiosk 2 reaches kiosk 1', async () => {
    const { id } = await kiosk1.enrollment.create(ACTOR, { code: 'D1', name: 'Dana', pin: '2468' });
    kiosk1.enrollment.recordConsent(ACTOR, id, 'consent-v1');
    const started = Date.now();
    const enrolled = await kiosk1.enrollment.enrollFace(ACTOR, id, kiosk1.face.face(DANA), 'front');
    expect(enrolled.employee).toMatchObject({ id, code: 'D1', faceTemplates: 1 });
    await until(() => kiosk2.context.face.gallery.employees().has(id), 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await kiosk2.clocking.clockFace([kiosk2.face.face(DANA)])).toMatchObject({ outcome: 'recorded', event: { employee: { id, name: 'Dana' } } });
    // The PIN came down with the roster (its hash; never the PIN).
    expect(await kiosk2.clocking.clockPin('D1', '2468')).toMatchObject({ outcome: 'debounced' });

    // Erase on kiosk 2 (it has no consent of its own: the server's erasure is what counts).
    const erased = await (kiosk2.enrollment.erase(ACTOR, id) as unknown as Promise<{ templatesErased: number }>);
    expect(erased.templatesErased).toBe(1);
    await until(() => !kiosk1.context.face.gallery.employees().has(id), 2_000);
    expect(await kiosk1.clocking.clockFace([kiosk1.face.face(DANA)])).toMatchObject({ outcome: 'not_recognised' });
    // The consent kiosk 1 recorded is withdrawn by the erasure too: a new capture needs a new one.
    expect(kiosk1.cache.store.consents.current(id)).toBeUndefined();
    await expect(kiosk1.enrollment.enrollFace(ACTOR, id, kiosk1.face.face(DANA), 'front')).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    for (const k of [kiosk1, kiosk2, plain]) {
      await k.sync.syncNow();
      expect(k.cache.store.templates.count({ employeeId: id })).toBe(0);
    }
    // The audit entries of both stations went up with their outboxes.
    const actions = (await server.admin.query<{ kiosk_id: string; action: string }>("SELECT kiosk_id, action FROM audit_entries WHERE subject = $1 ORDER BY kiosk_id, kiosk_seq", [`employee:${id}`])).rows;
    expect(actions).toEqual([
      { kiosk_id: 'floor-2', action: 'employee.erase' },
      { kiosk_id: 'front-desk', action: 'employee.create' },
      { kiosk_id: 'front-desk', action: 'employee.consent' },
      { kiosk_id: 'front-desk', action: 'employee.enroll.face' },
    ]);
  });

  it('refuses a duplicate code (the server decides) and a face someone else already has', async () => {
    const { id } = await kiosk1.enrollment.create(ACTOR, { code: 'F1', name: 'Finn' });
    await expect(kiosk2.enrollment.create(ACTOR, { code: 'f1', name: 'Other' })).rejects.toMatchObject({ code: 'DUPLICATE' });
    kiosk1.enrollment.recordConsent(ACTOR, id, 'consent-v1');
    await kiosk1.enrollment.enrollFace(ACTOR, id, kiosk1.face.face([0.9, 0.9, 0.1, 0.1]), 'front');
    const { id: other } = await kiosk2.enrollment.create(ACTOR, { code: 'G1', name: 'Gina' });
    kiosk2.enrollment.recordConsent(ACTOR, other, 'consent-v1');
    await kiosk2.sync.syncNow();
    await expect(kiosk2.enrollment.enrollFace(ACTOR, other, kiosk2.face.face([0.9, 0.9, 0.1, 0.1]), 'front')).rejects.toMatchObject({ code: 'DUPLICATE', details: { code: 'F1' } });
  });

  it('refuses staff changes on a kiosk that is not an enrollment station', async () => {
    await expect(plain.enrollment.create(ACTOR, { code: 'W1', name: 'Walt' })).rejects.toMatchObject({ code: 'CENTRAL_REFUSED', message: expect.stringContaining('--enroll') });
    expect(await server.count("SELECT count(*) AS n FROM employees WHERE code = 'W1'")).toBe(0);
  });

  it('needs the server to enroll, not to clock in', async () => {
    const { id } = await kiosk1.enrollment.create(ACTOR, { code: 'H1', name: 'Hana', pin: '1357' });
    await kiosk2.sync.syncNow();
    server.cluster.stopServer();
    try {
      await expect(kiosk1.enrollment.create(ACTOR, { code: 'H2', name: 'Offline' })).rejects.toMatchObject({ code: 'CENTRAL_UNREACHABLE' });
      // Once its sync has found the server gone, the kiosk marks what it captures as offline.
      await expect(kiosk2.sync.syncNow()).rejects.toMatchObject({ code: 'CENTRAL_UNREACHABLE' });
      expect(await kiosk2.clocking.clockPin('H1', '1357')).toMatchObject({ outcome: 'recorded', event: { employee: { id } } });
    } finally {
      server.cluster.startServer();
    }
    await kiosk2.sync.syncNow().catch(() => kiosk2.sync.syncNow());
    expect(await server.count('SELECT count(*) AS n FROM attendance WHERE employee_id = $1 AND offline', [id])).toBe(1);
  }, 60_000);
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
