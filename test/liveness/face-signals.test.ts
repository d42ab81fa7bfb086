/** The landmark signals: nose offset tracks a real head turn and ignores a turned picture; eye openness; blink depth. */
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { DEFAULT_CHALLENGE_THRESHOLDS } from '../../src-main/core/liveness/challenge.js';
import { blinkDepth, eyeOpenness, noseOffset } from '../../src-main/core/liveness/face-signals.js';
import { closeEyes, head, pictureView } from './synthetic-faces.js';

const deg = Math.PI / 180;

describe('noseOffset', () => {
  it('changes by 0.4·tan(yaw) when a head with the nose 0.4 eye spacings forward turns (orthographic view)', () => {
    const frontal = noseOffset(head());
    for (const yaw of [-25, -10, 10, 25]) {
      expect(noseOffset(head({ yaw })) - frontal).toBeCloseTo(0.4 * Math.tan(yaw * deg), 3);
    }
  });

  it('is positive when the nose points to the image right (the person turning to their left)', () => {
    expect(noseOffset(head({ yaw: 20 }))).toBeGreaterThan(noseOffset(head()));
  });

  it('moves under a quarter of the challenge\'s turn threshold when a flat picture is turned, tilted or moved close to the camera', () => {
    // Only perspective (the picture's near side looks larger) moves it at all.
    const picture = head();
    for (const pose of [{ yaw: 30 }, { yaw: -30, pitch: 15 }, { roll: 20, shiftX: 40, approach: 100 }]) {
      expect(Math.abs(noseOffset(pictureView(picture, pose)) - noseOffset(picture))).toBeLessThan(DEFAULT_CHALLENGE_THRESHOLDS.minTurn / 4);
    }
  });

  it('refuses anything but 68 finite points', () => {
    expect(() => noseOffset(head().slice(1))).toThrow(KioskError);
    const broken = head();
    broken[10] = { x: Number.NaN, y: 1 };
    expect(() => noseOffset(broken)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('eyeOpenness', () => {
  it('is lid-to-lid height over eye width, averaged over both eyes', () => {
    // Each eye 30 px wide with lids 10 px apart: (10 + 10) / (2 · 30) = 1/3.
    const points = head().map((p) => ({ ...p }));
    for (const start of [36, 42]) {
      const x0 = start === 36 ? 100 : 200;
      const eye = [[0, 0], [10, -5], [20, -5], [30, 0], [20, 5], [10, 5]] as const;
      eye.forEach(([dx, dy], k) => (points[start + k] = { x: x0 + dx, y: 100 + dy }));
    }
    expect(eyeOpenness(points)).toBeCloseTo(1 / 3, 10);
  });

  it('falls with the lids: lids brought to 20% of their height read under a quarter of the open value', () => {
    // Not exactly 20%: the paired lid points of the mean face are a little apart sideways too.
    const open = head();
    const ratio = eyeOpenness(closeEyes(open, 0.2)) / eyeOpenness(open);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.25);
  });
});

describe('blinkDepth', () => {
  it('measures a dip between open eyes against the lower of the two sides', () => {
    expect(blinkDepth([0.3, 0.32, 0.08, 0.28])).toBeCloseTo(1 - 0.08 / 0.28, 10);
  });

  it('is 0 for eyes that close and stay closed, open from closed, or never change', () => {
    expect(blinkDepth([0.3, 0.3, 0.05, 0.05])).toBe(0);
    expect(blinkDepth([0.05, 0.05, 0.3, 0.3])).toBe(0);
    expect(blinkDepth([0.3, 0.3, 0.3])).toBe(0);
    expect(blinkDepth([0.3, 0.1])).toBe(0);
  });

  it('skips frames whose openness is undefined (NaN from a degenerate eye)', () => {
    expect(blinkDepth([0.3, Number.NaN, 0.3])).toBe(0);
    expect(blinkDepth([0.3, Number.NaN, 0.1, 0.3])).toBeCloseTo(1 - 0.1 / 0.3, 10);
  });
});
