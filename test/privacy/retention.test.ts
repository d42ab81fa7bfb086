/**
 * Retention: the biometric data of employees deactivated `retentionDays` or more ago is erased
 * by a sweep that runs at start-up and daily, each erasure audit-logged; attendance history,
 * the employee row and the consent record stay.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIOSK_SETTINGS, type KioskSettings } from '../../src-main/core/context/settings.js';
import { DAY_MS, RETENTION_ACTOR, scheduleRetention, sweepRetention, type RetentionSweep } from '../../src-main/core/privacy/retention.js';
import { openStore, type Store } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import type { ModelRef } from '../../src-main/core/runtime/model-ref.js';
import { hasModels, openTestKiosk } from '../attendance/kiosk-fixture.js';
import { manualClock, tempDir, type ManualClock } from '../store/helpers.js';

const MODEL: ModelRef = { id: 'face-test', sha256: 'a'.repeat(64) };
const VOICE_MODEL: ModelRef = { id: 'voice-test', sha256: 'b'.repeat(64) };

function openTestStore(dir: string, clock: ManualClock, key: Buffer): Store<KioskSettings> {
  return openStore(join(dir, 'kiosk.db'), { cipher: new Aes256GcmCipher(key), settings: KIOSK_SETTINGS, now: clock.now });
}

/** An employee with consent, two face templates, one voice template, one raw photo and one PIN punch. */
function enrolled(store: Store<KioskSettings>, code: string): number {
  const { id } = store.employees.create({ code, name: `Person ${code}` });
  store.consents.record(id, 'v1');
  const vector = Float32Array.from({ length: 8 }, (_, i) => i + id);
  store.templates.add({ employeeId: id, modality: 'face', model: MODEL, vector, capture: { detectionScore: 1 } });
  store.templates.add({ employeeId: id, modality: 'face', model: MODEL, vector, capture: { detectionScore: 1 } });
  store.templates.add({ employeeId: id, modality: 'voice', model: VOICE_MODEL, vector, capture: { speechSeconds: 1 } });
  store.rawCaptures.add({ employeeId: id, kind: 'face-image', mediaType: 'image/jpeg', content: Uint8Array.of(0xff, 0xd8, id) });
  store.attendance.append({ employeeId: id, direction: 'in', modality: 'pin', kioskId: 'k', occurredAt: new Date(store.db.now()) });
  return id;
}

const biometricRows = (store: Store<KioskSettings>, id: number): number => store.templates.count({ employeeId: id }) + store.rawCaptures.count(id);

describe('sweepRetention', () => {
  it('erases exactly the employees deactivated retentionDays or more ago, keeping history and the consent record', () => {
    const clock = manualClock('2025-01-01T00:00:00.000Z');
    const store = openTestStore(tempDir(), clock, randomBytes(32));
    store.settings.set('retentionDays', 30);
    const old = enrolled(store, 'OLD');
    const boundary = enrolled(store, 'EDGE');
    const recent = enrolled(store, 'NEW');
    const active = enrolled(store, 'ACT');
    clock.set('2025-01-10T12:00:00.000Z');
    store.employees.deactivate(old);
    clock.set('2025-01-20T12:00:00.000Z');
    store.employees.deactivate(boundary);
    clock.set('2025-01-20T12:00:00.001Z');
    store.employees.deactivate(recent);

    // 30 days after the boundary employee's deactivation, to the millisecond.
    clock.set('2025-02-19T12:00:00.000Z');
    const sweep = sweepRetention({ store, now: clock.now });
    expect(sweep.cutoff).toBe('2025-01-20T12:00:00.000Z');
    // In the employee listing's order (by name): "Person EDGE" before "Person OLD".
    expect(sweep.erased).toEqual([
      { employeeId: boundary, deactivatedAt: '2025-01-20T12:00:00.000Z', templatesErased: 3, rawCapturesErased: 1 },
      { employeeId: old, deactivatedAt: '2025-01-10T12:00:00.000Z', templatesErased: 3, rawCapturesErased: 1 },
    ]);
    for (const id of [old, boundary]) {
      expect(biometricRows(store, id)).toBe(0);
      expect(store.attendance.allForEmployee(id)).toHaveLength(1);
      expect(store.employees.get(id).active).toBe(false);
      const consents = store.consents.history(id);
      expect(consents).toHaveLength(1);
      expect(consents[0]!.withdrawnAt).toBe('2025-02-19T12:00:00.000Z');
    }
    for (const id of [recent, active]) expect(biometricRows(store, id)).toBe(4);

    const entries = store.audit.list({ limit: 100 }).filter((e) => e.action === 'employee.retention.erase');
    expect(entries.map((e) => [e.actor, e.subject]).sort()).toEqual(
      [[RETENTION_ACTOR, `employee:${old}`], [RETENTION_ACTOR, `employee:${boundary}`]].sort(),
    );
    expect(entries.find((e) => e.subject === `employee:${old}`)?.details).toEqual({
      deactivatedAt: '2025-01-10T12:00:00.000Z',
      retentionDays: 30,
      templatesErased: 3,
      rawCapturesErased: 1,
    });
    expect(store.audit.verify().ok).toBe(true);

    // One millisecond later the next employee falls due; the erased ones are not logged again.
    clock.set('2025-02-19T12:00:00.001Z');
    expect(sweepRetention({ store, now: clock.now }).erased.map((e) => e.employeeId)).toEqual([recent]);
    expect(sweepRetention({ store, now: clock.now }).erased).toEqual([]);
    expect(store.audit.list({ limit: 100 }).filter((e) => e.action === 'employee.retention.erase')).toHaveLength(3);
    expect(biometricRows(store, active)).toBe(4);
    store.close();
  });

  it('with retentionDays 0 erases at the next sweep; a reactivated employee keeps their data', () => {
    const clock = manualClock('2025-03-01T08:00:00.000Z');
    const store = openTestStore(tempDir(), clock, randomBytes(32));
    store.settings.set('retentionDays', 0);
    const leaver = enrolled(store, 'L');
    const returner = enrolled(store, 'R');
    store.employees.deactivate(leaver);
    store.employees.deactivate(returner);
    store.employees.reactivate(returner);
    const sweep = sweepRetention({ store, now: clock.now });
    expect(sweep.erased.map((e) => e.employeeId)).toEqual([leaver]);
    expect(biometricRows(store, leaver)).toBe(0);
    expect(biometricRows(store, returner)).toBe(4);
    store.close();
  });

  it('uses the default of 30 days when the admin never set it', () => {
    const clock = manualClock('2025-03-01T00:00:00.000Z');
    const store = openTestStore(tempDir(), clock, randomBytes(32));
    const id = enrolled(store, 'D');
    store.employees.deactivate(id);
    clock.set('2025-03-30T23:59:59.999Z');
    expect(sweepRetention({ store, now: clock.now }).erased).toEqual([]);
    clock.set('2025-03-31T00:00:00.000Z');
    expect(sweepRetention({ store, now: clock.now }).erased.map((e) => e.employeeId)).toEqual([id]);
    store.close();
  });

  it('refuses a retention period that is negative, fractional or over ten years with INVALID_INPUT', () => {
    const clock = manualClock('2025-03-01T00:00:00.000Z');
    const store = openTestStore(tempDir(), clock, randomBytes(32));
    for (const bad of [-1, 1.5, 3651, Number.NaN]) {
      expect(() => store.settings.set('retentionDays', bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(store.settings.get('retentionDays')).toBe(30);
    store.close();
  });
});

describe('scheduleRetention', () => {
  /** Timers that fire only when the test says so. */
  function manualTimers() {
    const live = new Map<number, { callback: () => void; ms: number }>();
    let next = 1;
    return {
      live,
      setInterval: (callback: () => void, ms: number) => {
        live.set(next, { callback, ms });
        return next++;
      },
      clearInterval: (handle: unknown) => live.delete(handle as number),
      tick: () => {
        for (const timer of live.values()) timer.callback();
      },
    };
  }
  const result = (erased: number): RetentionSweep => ({
    cutoff: '2025-01-01T00:00:00.000Z',
    retentionDays: 30,
    erased: Array.from({ length: erased }, (_, i) => ({ employeeId: i + 1, deactivatedAt: 'x', templatesErased: 1, rawCapturesErased: 0 })),
  });

  it('sweeps at once, then once per day until stopped', () => {
    const timers = manualTimers();
    const info: string[] = [];
    let runs = 0;
    const schedule = scheduleRetention(
      () => {
        runs++;
        return result(runs === 1 ? 2 : 0);
      },
      { info: (m) => info.push(m), error: () => undefined },
      { timers },
    );
    expect(runs).toBe(1);
    expect([...timers.live.values()].map((t) => t.ms)).toEqual([DAY_MS]);
    timers.tick();
    timers.tick();
    expect(runs).toBe(3);
    expect(info).toEqual(['retention: erased the biometric data of 2 employee(s) deactivated 30 or more days ago']);
    schedule.stop();
    expect(timers.live.size).toBe(0);
  });

  it('logs a failing sweep instead of throwing, and tries again at the next interval', () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    let runs = 0;
    scheduleRetention(
      () => {
        runs++;
        if (runs === 1) throw new Error('database is locked');
        return result(1);
      },
      { info: () => undefined, error: (_m, e) => errors.push(e) },
      { timers },
    );
    expect(errors.map(String)).toEqual(['Error: database is locked']);
    timers.tick();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe.skipIf(!hasModels)('retention at kiosk start-up', () => {
  it('erases the biometric data of a long-deactivated employee when the kiosk opens, and logs it', async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const clock = manualClock('2024-06-01T00:00:00.000Z');
    const store = openTestStore(dir, clock, key);
    const gone = enrolled(store, 'GONE');
    const staying = enrolled(store, 'STAY');
    store.employees.deactivate(gone);
    store.close();

    // The fixture's clock starts 2025-03-10: nine months later.
    const t = await openTestKiosk({ dir, key });
    try {
      const { store: live } = t.kiosk.context;
      expect(biometricRows(live, gone)).toBe(0);
      expect(biometricRows(live, staying)).toBe(4);
      const entry = live.audit.list({ limit: 10 }).find((e) => e.action === 'employee.retention.erase');
      expect(entry).toMatchObject({ actor: RETENTION_ACTOR, subject: `employee:${gone}`, at: '2025-03-10T00:00:00.000Z' });
      expect(live.audit.verify().ok).toBe(true);
    } finally {
      await t.close();
    }
  });
});
