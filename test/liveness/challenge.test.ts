/** Challenge-response liveness on synthetic landmark sequences, and the single-use, time-limited issuer. */
import { describe, expect, it } from 'vitest';
import { CHALLENGE_INSTRUCTIONS } from '../../src-shared/vocabulary.js';
import { ChallengeIssuer, verifyChallenge } from '../../src-main/core/liveness/challenge.js';
import type { Point } from '../../src-main/core/face/types.js';
import { closeEyes, head, jitter, pictureView, seeded } from './synthetic-faces.js';

const noisy = (frames: Point[][], seed = 3): Point[][] => {
  const random = seeded(seed);
  return frames.map((f) => jitter(f, 0.006, random));
};
/** A head turning by the given yaws (degrees); positive: the person turns to their left. */
const turning = (...yaws: number[]): Point[][] => noisy(yaws.map((yaw) => head({ yaw })));

describe('verifyChallenge: turns', () => {
  it('passes turn_left when the person turns to their left (nose to the image right in the unmirrored frame)', () => {
    const result = verifyChallenge('turn_left', turning(0, 5, 15, 25, 30));
    expect(result.passed).toBe(true);
    // Orthographic head with the nose 0.4 spacings forward: offset change 0.4·tan(30°) ≈ 0.23.
    expect(result.extent).toBeCloseTo(0.4 * Math.tan(Math.PI / 6), 1);
  });

  it('passes turn_right for the mirror-image motion and calls the other side wrong_direction', () => {
    expect(verifyChallenge('turn_right', turning(0, -10, -20, -25)).passed).toBe(true);
    expect(verifyChallenge('turn_right', turning(0, 10, 20, 25))).toMatchObject({ passed: false, reason: 'wrong_direction' });
  });

  it('does not count a token turn (5°) or a head that stays frontal', () => {
    expect(verifyChallenge('turn_left', turning(0, 2, 5, 5))).toMatchObject({ passed: false, reason: 'not_performed' });
    expect(verifyChallenge('turn_left', turning(0, 0, 0, 0))).toMatchObject({ passed: false, reason: 'not_performed' });
  });

  it('is not fooled by a flat picture of a face turned 35° in perspective', () => {
    const picture = head();
    const frames = noisy([0, 10, 20, 35].map((yaw) => pictureView(picture, { yaw })));
    expect(verifyChallenge('turn_left', frames)).toMatchObject({ passed: false, reason: 'not_performed' });
    expect(verifyChallenge('turn_right', frames)).toMatchObject({ passed: false, reason: 'not_performed' });
  });
});

describe('verifyChallenge: blink and sequence checks', () => {
  it('passes a blink: eyes open, closed to 20%, open again', () => {
    const frames = noisy([head(), head(), closeEyes(head(), 0.2), head()]);
    expect(verifyChallenge('blink', frames).passed).toBe(true);
  });

  it('refuses eyes that close and stay closed, and a half-hearted squint', () => {
    expect(verifyChallenge('blink', noisy([head(), head(), closeEyes(head(), 0.2), closeEyes(head(), 0.2)]))).toMatchObject({
      passed: false,
      reason: 'not_performed',
    });
    expect(verifyChallenge('blink', noisy([head(), closeEyes(head(), 0.8), head()]))).toMatchObject({ passed: false, reason: 'not_performed' });
  });

  it('refuses a turn shown by swapping pictures of different sizes mid-sequence', () => {
    const far = turning(0, 5);
    const near = turning(25, 30).map((f) => f.map((p) => ({ x: 320 + (p.x - 320) * 1.6, y: 240 + (p.y - 240) * 1.6 })));
    expect(verifyChallenge('turn_left', [...far, ...near])).toMatchObject({ passed: false, reason: 'not_one_face' });
  });

  it('needs at least three frames', () => {
    expect(verifyChallenge('turn_left', turning(0, 30))).toMatchObject({ passed: false, reason: 'too_few_frames' });
  });

  it('answers INVALID_INPUT for an unknown instruction or malformed landmarks', () => {
    expect(() => verifyChallenge('smile' as never, turning(0, 10, 20))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => verifyChallenge('blink', [head(), head().slice(2), head()])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => verifyChallenge('blink', null as never)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('ChallengeIssuer', () => {
  const clockAt = (start: number) => {
    let t = start;
    return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  };

  it('gives each challenge once, within its time limit, and refuses unknown ids', () => {
    const clock = clockAt(Date.parse('2025-03-10T09:00:00Z'));
    const issuer = new ChallengeIssuer({ now: clock.now, timeLimitMs: 5000, pick: () => 2 });
    const issued = issuer.issue();
    expect(issued).toMatchObject({ instruction: CHALLENGE_INSTRUCTIONS[2], timeLimitMs: 5000 });
    expect(issued.challengeId).toMatch(/^[0-9a-f]{32}$/);
    clock.advance(4999);
    expect(issuer.consume(issued.challengeId)).toBe('blink');
    expect(() => issuer.consume(issued.challengeId)).toThrowError(expect.objectContaining({ code: 'CHALLENGE_EXPIRED' }));
    expect(() => issuer.consume('not-an-id')).toThrowError(expect.objectContaining({ code: 'CHALLENGE_EXPIRED' }));
  });

  it('refuses a challenge answered after its time limit', () => {
    const clock = clockAt(0);
    const issuer = new ChallengeIssuer({ now: clock.now, timeLimitMs: 5000 });
    const { challengeId } = issuer.issue();
    clock.advance(5000);
    expect(() => issuer.consume(challengeId)).toThrowError(expect.objectContaining({ code: 'CHALLENGE_EXPIRED' }));
  });

  it('keeps a bounded number outstanding, dropping the oldest', () => {
    const issuer = new ChallengeIssuer({ maxOutstanding: 2 });
    const [a, b, c] = [issuer.issue(), issuer.issue(), issuer.issue()];
    expect(() => issuer.consume(a.challengeId)).toThrowError(expect.objectContaining({ code: 'CHALLENGE_EXPIRED' }));
    expect(CHALLENGE_INSTRUCTIONS).toContain(issuer.consume(b.challengeId));
    expect(CHALLENGE_INSTRUCTIONS).toContain(issuer.consume(c.challengeId));
  });

  it('draws every instruction with the default random picker', () => {
    const issuer = new ChallengeIssuer();
    // 300 draws: the chance that one of three equally likely instructions never comes up is below 1e-52.
    const seen = new Set(Array.from({ length: 300 }, () => issuer.issue().instruction));
    expect([...seen].sort()).toEqual([...CHALLENGE_INSTRUCTIONS].sort());
  });
});
