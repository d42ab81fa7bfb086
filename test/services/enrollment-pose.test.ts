/**
 * The wizard's pose prompts are checked (issue 14 item 7): a 'slightly left' or 'slightly right'
 * shot must be turned that way — the person's own left is positive yaw — and a 'front' shot must
 * not be clearly turned. A refused shot is a typed error that says which way to turn, and
 * nothing is stored, audited or added to the gallery.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSE_MAX_FRONT_DEG, POSE_MIN_TURN_DEG } from '../../src-main/core/face/pose-check.js';
import { ACTOR, auditOf, hire, openServices, type Services } from './service-fixture.js';

const ANN = [1, 0, 0, 0];

let s: Services;
beforeEach(() => {
  s = openServices();
});
afterEach(() => s.close());

const shot = (yawDeg: number) => s.face.face(ANN, { quality: { yawDeg } });

describe('EnrollmentService.enrollFace checks the pose it was asked for', () => {
  it('accepts each pose turned the way it asks', async () => {
    const ann = await hire(s, 'E001', 'Ann');
    expect(await s.enrollment.enrollFace(ACTOR, ann, shot(3), 'front')).toMatchObject({ shotsNeeded: 2 });
    expect(await s.enrollment.enrollFace(ACTOR, ann, shot(POSE_MIN_TURN_DEG + 10), 'left')).toMatchObject({ shotsNeeded: 1 });
    expect(await s.enrollment.enrollFace(ACTOR, ann, shot(-(POSE_MIN_TURN_DEG + 10)), 'right')).toMatchObject({ shotsNeeded: 0 });
    expect(s.store.templates.count({ employeeId: ann })).toBe(3);
  });

  it.each([
    ['left', 0, 'POSE_TURN_LEFT', 'none'],
    ['left', POSE_MIN_TURN_DEG - 0.5, 'POSE_TURN_LEFT', 'none'],
    ['left', -20, 'POSE_TURN_LEFT', 'right'],
    ['right', 0, 'POSE_TURN_RIGHT', 'none'],
    ['right', 20, 'POSE_TURN_RIGHT', 'left'],
    ['front', POSE_MAX_FRONT_DEG + 5, 'POSE_LOOK_STRAIGHT', 'left'],
    ['front', -(POSE_MAX_FRONT_DEG + 5), 'POSE_LOOK_STRAIGHT', 'right'],
    ['left', Number.NaN, 'POSE_TURN_LEFT', 'none'],
  ] as const)('refuses a %s shot at yaw %s with %s (turned: %s); nothing stored', async (pose, yawDeg, code, turnedTo) => {
    const ann = await hire(s, 'E001', 'Ann');
    const audited = auditOf(s, ann).length;
    await expect(s.enrollment.enrollFace(ACTOR, ann, shot(yawDeg), pose)).rejects.toMatchObject({ code, details: { asked: pose, turnedTo } });
    expect(s.store.templates.count({ employeeId: ann })).toBe(0);
    expect(s.context.face.gallery.employeeCount).toBe(0);
    expect(auditOf(s, ann)).toHaveLength(audited);
  });

  it('takes the same pose again once the person turns the right way', async () => {
    const ann = await hire(s, 'E001', 'Ann');
    await expect(s.enrollment.enrollFace(ACTOR, ann, shot(-15), 'left')).rejects.toMatchObject({ code: 'POSE_TURN_LEFT' });
    expect(await s.enrollment.enrollFace(ACTOR, ann, shot(15), 'left')).toMatchObject({ employee: { faceTemplates: 1 } });
  });
});
