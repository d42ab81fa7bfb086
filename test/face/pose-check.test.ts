/**
 * The sign convention of the enrollment pose check on real turned faces (issue 14 item 7): the
 * real face engine's yaw for ORL subject s1, who (looked at by eye, see face-challenge.test.ts)
 * faces the camera in s1/3, has turned to his own left in s1/2 (nose towards the image's right)
 * and to his own right in s1/6.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforcePose, turnOf } from '../../src-main/core/face/pose-check.js';
import { hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { data } from '../helpers/paths.js';

const orl = (n: number): string => data('faces/orl/s1', `${n}.pgm`);
const hasOrl = [2, 3, 6].every((n) => existsSync(orl(n)));

describe.skipIf(!hasModels || !hasOrl)('pose check on real turned faces (ORL s1)', () => {
  let t: TestKiosk;
  const yawOf = async (n: number): Promise<number> => (await t.kiosk.context.face.engine.analyzeBytes(readFileSync(orl(n)), 'enroll')).quality!.yawDeg;

  beforeAll(async () => {
    t = await openTestKiosk();
  });
  afterAll(() => t?.close());

  it("reads the person's own left as positive yaw and the pose check agrees", async () => {
    const [front, left, right] = [await yawOf(3), await yawOf(2), await yawOf(6)];
    expect(turnOf(front)).toBe('none');
    expect(turnOf(left)).toBe('left');
    expect(turnOf(right)).toBe('right');
    expect(() => enforcePose('front', front)).not.toThrow();
    expect(() => enforcePose('left', left)).not.toThrow();
    expect(() => enforcePose('right', right)).not.toThrow();
    // The wrong way round, or not turned at all, is refused with the way to turn.
    expect(() => enforcePose('left', right)).toThrowError(expect.objectContaining({ code: 'POSE_TURN_LEFT', details: expect.objectContaining({ turnedTo: 'right' }) }));
    expect(() => enforcePose('right', left)).toThrowError(expect.objectContaining({ code: 'POSE_TURN_RIGHT', details: expect.objectContaining({ turnedTo: 'left' }) }));
    expect(() => enforcePose('left', front)).toThrowError(expect.objectContaining({ code: 'POSE_TURN_LEFT' }));
  });
});
