/**
 * Right of access covers the recognition-attempts log: an employee's export lists the attempts
 * accepted as them, and no attempt of anybody else or any refused one (those name nobody).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportEmployeeData } from '../../src-main/core/privacy/employee-export.js';
import { ACTOR, enrolFace, openServices, type Services } from './service-fixture.js';

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

const clockFace = (embedding: readonly number[]) => s.clocking.clockFace([s.face.face(embedding)]);

describe('the employee data export and the attempts log', () => {
  it("holds the attempts accepted as the employee, newest first, and nobody else's", async () => {
    const ann = await enrolFace(s, 'E001', 'Ann', [1, 0, 0, 0]);
    await enrolFace(s, 'E002', 'Bob', [0, 1, 0, 0]);
    await clockFace([1, 0, 0, 0.1]);
    await clockFace([0, 1, 0, 0]);
    // A stranger: refused, a row that names nobody.
    expect(await clockFace([0, 0, 1, 0])).toMatchObject({ outcome: 'not_recognised' });
    s.clock.advance(3_600_000);
    await clockFace([1, 0, 0, 0]);
    expect(s.store.attempts.count()).toBe(4);

    const { data } = exportEmployeeData(s.context, ACTOR, ann);
    expect(data.format).toBe('attendance-kiosk/employee-data/v3');
    expect(data.recognitionAttempts.map((a) => [a.outcome, a.employee?.id, a.modality, a.mode])).toEqual([
      ['accepted', ann, 'face', 'identify'],
      ['accepted', ann, 'face', 'identify'],
    ]);
    expect(data.recognitionAttempts[0]!.at > data.recognitionAttempts[1]!.at).toBe(true);
  });
});
