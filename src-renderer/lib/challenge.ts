/**
 * How the kiosk films a liveness challenge. The first frame is taken at once, while the face
 * is still frontal (a turn is measured from it); the others are spread over the next seconds,
 * while the person acts, and the burst ends early enough to reach the kiosk service within the
 * challenge's time limit. A blink is asked for as "close your eyes for a moment" so that a
 * closed-eye frame falls between frames this far apart.
 */

/** The contract's most frames per burst (LIMITS.framesPerBurst): the more, the finer the sampling. */
export const CHALLENGE_FRAMES = 8;
/** Long enough to read the instruction and turn the head or close the eyes. */
export const CHALLENGE_ACTION_MS = 3000;
/** Left of the time limit for encoding and sending the frames. */
export const CHALLENGE_SEND_MARGIN_MS = 2000;

export interface BurstPlan {
  readonly count: number;
  readonly intervalMs: number;
}

export function challengeBurstPlan(timeLimitMs: number): BurstPlan {
  const window = Math.max(0, Math.min(CHALLENGE_ACTION_MS, timeLimitMs - CHALLENGE_SEND_MARGIN_MS));
  return { count: CHALLENGE_FRAMES, intervalMs: Math.floor(window / (CHALLENGE_FRAMES - 1)) };
}

/** Whole seconds left until `deadline` (epoch ms), never below zero. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
