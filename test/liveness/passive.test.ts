/**
 * The passive decision on synthetic bursts with known geometry: still and flat pictures are
 * refused with the right reason, speech and blinks pass, bad input is a typed error. The
 * landmark net's noise is imitated by Gaussian jitter of 0.6% of the eye spacing, about what
 * the net shows on a still photo (docs/liveness.md).
 */
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src-main/core/face/types.js';
import { DEFAULT_PASSIVE_THRESHOLDS, assessPassiveLiveness, enforcePassiveLiveness } from '../../src-main/core/liveness/passive.js';
import { closeEyes, head, jitter, openMouth, pictureView, seeded } from './synthetic-faces.js';

const NOISE = 0.006;

function burst(frames: (k: number) => Point[], count = 5, seed = 7): Point[][] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, k) => jitter(frames(k), NOISE, random));
}

describe('assessPassiveLiveness', () => {
  it('refuses identical frames (a frozen or injected picture) as no motion, with zero measured motion', () => {
    const frame = head();
    const result = assessPassiveLiveness([frame, frame, frame, frame, frame]);
    expect(result).toMatchObject({ live: false, reason: 'no_motion' });
    expect(result.measures.motion).toBe(0);
    expect(result.measures.mouthResidual).toBeLessThan(1e-9);
  });

  it('refuses a still picture whose landmarks only jitter', () => {
    expect(assessPassiveLiveness(burst(() => head()))).toMatchObject({ live: false, reason: 'no_motion' });
  });

  it('refuses a picture wobbled by hand in perspective as flat motion, although its landmarks move a lot', () => {
    const picture = head();
    const pose = (k: number) => ({ yaw: 12 * Math.sin(k), pitch: 8 * Math.cos(1.3 * k), roll: 6 * Math.sin(0.7 * k), shiftX: 15 * k, approach: 20 * k });
    const result = assessPassiveLiveness(burst((k) => pictureView(picture, pose(k))));
    expect(result).toMatchObject({ live: false, reason: 'flat_motion' });
    expect(result.measures.motion).toBeGreaterThan(DEFAULT_PASSIVE_THRESHOLDS.stillMotion);
  });

  it('accepts a face that speaks: the lower lip and chin drop by 0.1 eye spacings in some frames', () => {
    const result = assessPassiveLiveness(burst((k) => openMouth(head(), k % 2 === 1 ? 0.1 : 0)));
    expect(result.live).toBe(true);
    expect(result.measures.mouthResidual).toBeGreaterThan(DEFAULT_PASSIVE_THRESHOLDS.minMouthResidual);
  });

  it('accepts a face that blinks with the mouth still', () => {
    const result = assessPassiveLiveness(burst((k) => (k === 2 ? closeEyes(head(), 0.2) : head())));
    expect(result.live).toBe(true);
    expect(result.measures.blinkDepth).toBeGreaterThan(0.6);
  });

  it('refuses a speaking face sent as too few frames, without crashing on the measures', () => {
    const two = burst((k) => openMouth(head(), k * 0.1), 2);
    expect(assessPassiveLiveness(two)).toMatchObject({ live: false, reason: 'too_few_frames', measures: { frames: 2 } });
    expect(assessPassiveLiveness([])).toMatchObject({ live: false, reason: 'too_few_frames', measures: { frames: 0 } });
  });

  it('fails closed on degenerate landmarks (every point in one place) instead of computing NaN', () => {
    const collapsed = head().map(() => ({ x: 50, y: 50 }));
    // Between a collapsed frame and a face every landmark "moves" a lot; that must not count as life.
    const result = assessPassiveLiveness([collapsed, head(), collapsed, head()]);
    expect(result.live).toBe(false);
    expect(Object.values(result.measures).every(Number.isFinite)).toBe(true);
  });

  it('answers INVALID_INPUT for frames that are not 68 finite points', () => {
    const short = head().slice(0, 67);
    expect(() => assessPassiveLiveness([head(), short, head()])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const nan = head();
    nan[3] = { x: 1, y: Number.POSITIVE_INFINITY };
    expect(() => assessPassiveLiveness([head(), head(), nan])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => assessPassiveLiveness('frames' as never)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('enforcePassiveLiveness', () => {
  it('throws LIVENESS_FAILED with the reason and measures in its details', () => {
    const frame = head();
    expect(() => enforcePassiveLiveness([frame, frame, frame])).toThrowError(
      expect.objectContaining({ code: 'LIVENESS_FAILED', details: expect.objectContaining({ reason: 'no_motion', frames: 3 }) }),
    );
  });

  it('returns the measures of a live burst', () => {
    expect(enforcePassiveLiveness(burst((k) => openMouth(head(), k % 2 ? 0.12 : 0))).frames).toBe(5);
  });
});
