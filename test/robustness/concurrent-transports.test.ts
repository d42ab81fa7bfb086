/**
 * Clock-ins arriving through both transports at the same moment — real HTTP requests to the
 * server on 127.0.0.1 and calls through the IPC listener the desktop app registers — on one
 * kiosk: every acknowledged punch is in the database exactly once, nothing is written that was
 * not acknowledged, and each employee's directions alternate as if the punches had come one by
 * one. The kiosk's clock moves 1 ms per reading, so every punch has its own time to match on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKiosk } from '../../src-main/app/open-kiosk.js';
import type { Kiosk } from '../../src-main/handlers/kiosk.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import type { ClockResult } from '../../src-shared/contract.js';
import { createDispatcher, createHandlers, type Dispatch } from '../../src-main/handlers/table.js';
import { startHttpServer, type KioskHttpServer } from '../../src-main/transport/http/server.js';
import { createInvokeListener } from '../../src-main/transport/ipc/invoke-listener.js';
import { APP_ENTRY_URL } from '../../src-main/transport/ipc/window-config.js';
import { FAST_SCRYPT, TEST_ADMIN_PIN, TIME_ZONE, adminToken, call, hasModels, modelsDir } from '../attendance/kiosk-fixture.js';

const STAFF = 6;
const PER_TRANSPORT = 8;

describe.skipIf(!hasModels)('concurrent clock-ins from HTTP and IPC at once', () => {
  let dir: string;
  let kiosk: Kiosk;
  let dispatch: Dispatch;
  let http: KioskHttpServer;
  let token: string;
  const ids: number[] = [];
  let t = Date.parse('2025-03-10T00:00:00.000Z'); // 09:00 in Seoul

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-two-transports-'));
    kiosk = await openKiosk({
      dbPath: join(dir, 'kiosk.db'),
      cipher: new Aes256GcmCipher(Buffer.alloc(32, 3)),
      modelsDir,
      kioskId: 'two-transports',
      timeZone: TIME_ZONE,
      now: () => new Date(t++),
      initialAdminPin: TEST_ADMIN_PIN,
      scryptCost: FAST_SCRYPT,
    });
    dispatch = createDispatcher(createHandlers(kiosk), kiosk.log);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    http = await startHttpServer({ dispatch, staticDir: dir, port: 0 });
    token = await adminToken(dispatch);
    for (let i = 0; i < STAFF; i++) {
      ids.push((await call(dispatch, 'admin.employees.create', { token, code: `T${i}`, name: `Two ${i}`, pin: `${5000 + i}` })).employee.id);
    }
  });
  afterAll(async () => {
    await http?.close();
    await kiosk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const viaHttp = async (code: string, pin: string): Promise<ClockResult> => {
    const response = await fetch(`${http.url}api/clock.pin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, pin }) });
    const reply = (await response.json()) as { ok: boolean; value: ClockResult };
    if (!reply.ok) throw new Error(`HTTP clock.pin failed: ${JSON.stringify(reply)}`);
    return reply.value;
  };
  const viaIpc = async (code: string, pin: string): Promise<ClockResult> => {
    const reply = await createInvokeListener(dispatch)({ senderFrame: { url: APP_ENTRY_URL } }, 'clock.pin', { code, pin });
    if (!reply.ok) throw new Error(`IPC clock.pin failed: ${JSON.stringify(reply)}`);
    return reply.value as ClockResult;
  };
  /** Every employee punches PER_TRANSPORT times through each transport, all requests in flight together. */
  const burst = (): Promise<ClockResult[]> =>
    Promise.all(
      Array.from({ length: STAFF }, (_, i) =>
        Array.from({ length: PER_TRANSPORT }, () => [viaHttp(`T${i}`, `${5000 + i}`), viaIpc(`T${i}`, `${5000 + i}`)]).flat(),
      ).flat(),
    );
  const rows = () => kiosk.context.store.attendance.list({ from: new Date(0), to: new Date('9999-01-01T00:00:00Z') });

  it('without debounce: every punch recorded exactly once, none lost, directions alternating per employee', async () => {
    await call(dispatch, 'admin.settings.set', { token, settings: { debounceMinutes: 0 } });
    const results = await burst();
    expect(results.every((r) => r.outcome === 'recorded')).toBe(true);
    const acknowledged = results.map((r) => (r.outcome === 'recorded' ? `${r.event.employee.id}|${r.event.direction}|${r.event.at}` : ''));
    expect(new Set(acknowledged).size).toBe(STAFF * PER_TRANSPORT * 2);
    const stored = rows().map((e) => `${e.employeeId}|${e.direction}|${e.occurredAt}`);
    expect(stored.sort()).toEqual(acknowledged.sort());
    for (const id of ids) {
      const mine = kiosk.context.store.attendance.allForEmployee(id).map((e) => e.direction);
      expect(mine, `employee ${id}`).toEqual(Array.from({ length: 2 * PER_TRANSPORT }, (_, k) => (k % 2 === 0 ? 'in' : 'out')));
    }
  });

  it('inside the debounce window: exactly one new punch per employee, every other reply points at it', async () => {
    await call(dispatch, 'admin.settings.set', { token, settings: { debounceMinutes: 5 } });
    t += 10 * 60_000; // past the window of the previous test's punches
    const before = rows().length;
    const results = await burst();
    expect(rows().length).toBe(before + STAFF);
    for (const id of ids) {
      const mine = results.filter((r) => r.outcome !== 'not_recognised' && r.event.employee.id === id);
      expect(mine.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
      expect(new Set(mine.map((r) => (r.outcome === 'not_recognised' ? '' : r.event.at))).size).toBe(1);
      const last = kiosk.context.store.attendance.lastForEmployee(id)!;
      expect(mine[0]!.outcome !== 'not_recognised' && mine[0]!.event.at).toBe(last.occurredAt);
    }
  });
});
