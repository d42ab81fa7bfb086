/**
 * Challenge-response liveness: the kiosk asks for one random action (turn the head left, turn
 * it right, blink) and checks from the landmarks of the frames sent back that it happened,
 * within a time limit. A photo cannot blink, and turning or tilting a flat picture does not
 * move its nose off the eye-mouth line (see face-signals.ts), so neither passes. A replayed
 * video passes only when it happens to show the drawn action within the time limit. In
 * challenge mode this check replaces the passive one: a head turn or a blink is itself motion
 * no flat picture makes.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { CHALLENGE_INSTRUCTIONS, type ChallengeInstruction } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import type { Landmarks68 } from '../face/types.js';
import { interOcularDistance } from '../face/landmark-measures.js';
import { assertLandmarks, blinkDepth, eyeOpenness, noseOffset } from './face-signals.js';


export interface ChallengeThresholds {
  /** Least change of the nose offset towards the asked side, in eye spacings (0.1 ≈ a 15° turn). */
  readonly minTurn: number;
  /** A blink: the eyes' openness falls to at most this fraction of its value before and after. */
  readonly maxClosedFraction: number;
  /** Largest change of the eye spacing between consecutive frames, as a ratio. */
  readonly maxScaleStep: number;
  readonly minFrames: number;
}

export const DEFAULT_CHALLENGE_THRESHOLDS: ChallengeThresholds = {
  minTurn: 0.1,
  maxClosedFraction: 0.6,
  maxScaleStep: 1.25,
  minFrames: 3,
};

export type ChallengeFailure = 'too_few_frames' | 'not_one_face' | 'wrong_direction' | 'not_performed';

export type ChallengeResult =
  | { readonly passed: true; readonly extent: number }
  | { readonly passed: false; readonly reason: ChallengeFailure; readonly extent: number };

/**
 * Did the frames, in capture order, show `instruction`? `extent` is how much: the largest
 * nose-offset change towards the asked side for a turn, one minus the closed-to-open openness
 * ratio for a blink.
 */
export function verifyChallenge(
  instruction: ChallengeInstruction,
  sequence: readonly Landmarks68[],
  thresholds: ChallengeThresholds = DEFAULT_CHALLENGE_THRESHOLDS,
): ChallengeResult {
  if (!CHALLENGE_INSTRUCTIONS.includes(instruction)) {
    throw new KioskError('INVALID_INPUT', `Unknown challenge instruction ${JSON.stringify(instruction)}`);
  }
  if (!Array.isArray(sequence)) throw new KioskError('INVALID_INPUT', 'Challenge frames must be an array of landmark sets');
  sequence.forEach((landmarks) => assertLandmarks(landmarks));
  if (sequence.length < thresholds.minFrames) return { passed: false, reason: 'too_few_frames', extent: 0 };
  if (!isOneFaceTrack(sequence, thresholds)) return { passed: false, reason: 'not_one_face', extent: 0 };
  if (instruction === 'blink') {
    const extent = blinkDepth(sequence.map(eyeOpenness));
    return extent >= 1 - thresholds.maxClosedFraction ? { passed: true, extent } : { passed: false, reason: 'not_performed', extent };
  }
  const side = instruction === 'turn_left' ? 1 : -1;
  const offsets = sequence.map(noseOffset);
  const towards = Math.max(...offsets.map((o) => side * (o - offsets[0]!)));
  const away = Math.max(...offsets.map((o) => -side * (o - offsets[0]!)));
  if (towards >= thresholds.minTurn) return { passed: true, extent: towards };
  return { passed: false, reason: away >= thresholds.minTurn ? 'wrong_direction' : 'not_performed', extent: towards };
}

/**
 * Consecutive frames show one face at a steady size, not a different picture swapped in at
 * another distance. (Position is not compared: the engine may report a frame's landmarks in a
 * padded copy of it.)
 */
function isOneFaceTrack(sequence: readonly Landmarks68[], t: ChallengeThresholds): boolean {
  for (let k = 1; k < sequence.length; k++) {
    const [a, b] = [interOcularDistance(sequence[k - 1]!), interOcularDistance(sequence[k]!)];
    if (!(a > 0 && b > 0) || Math.max(a / b, b / a) > t.maxScaleStep) return false;
  }
  return true;
}

export interface IssuedChallenge {
  readonly challengeId: string;
  readonly instruction: ChallengeInstruction;
  /** Milliseconds from issue within which the frames must arrive. */
  readonly timeLimitMs: number;
}

export interface ChallengeIssuerOptions {
  readonly now?: () => Date;
  readonly timeLimitMs?: number;
  /** Outstanding challenges kept; the oldest is dropped beyond this (bounded memory). */
  readonly maxOutstanding?: number;
  /** Index into CHALLENGE_INSTRUCTIONS; crypto-random by default. */
  readonly pick?: (count: number) => number;
}

/** Random, single-use, short-lived challenges. */
export class ChallengeIssuer {
  private readonly outstanding = new Map<string, { instruction: ChallengeInstruction; expiresAt: number }>();
  private readonly now: () => Date;
  private readonly timeLimitMs: number;
  private readonly maxOutstanding: number;
  private readonly pick: (count: number) => number;

  constructor(options: ChallengeIssuerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.timeLimitMs = options.timeLimitMs ?? 10_000;
    this.maxOutstanding = options.maxOutstanding ?? 100;
    this.pick = options.pick ?? randomInt;
  }

  issue(): IssuedChallenge {
    const instruction = CHALLENGE_INSTRUCTIONS[this.pick(CHALLENGE_INSTRUCTIONS.length)];
    if (instruction === undefined) throw new KioskError('INTERNAL', 'Challenge picker returned an index out of range');
    const now = this.now().getTime();
    for (const [id, entry] of this.outstanding) if (entry.expiresAt <= now) this.outstanding.delete(id);
    if (this.outstanding.size >= this.maxOutstanding) {
      const oldest = this.outstanding.keys().next();
      if (!oldest.done) this.outstanding.delete(oldest.value);
    }
    const challengeId = randomBytes(16).toString('hex');
    this.outstanding.set(challengeId, { instruction, expiresAt: now + this.timeLimitMs });
    return { challengeId, instruction, timeLimitMs: this.timeLimitMs };
  }

  /** Uses the challenge up whatever the outcome; CHALLENGE_EXPIRED when unknown, used or past its time limit. */
  consume(challengeId: string): ChallengeInstruction {
    const entry = this.outstanding.get(challengeId);
    this.outstanding.delete(challengeId);
    if (entry === undefined || this.now().getTime() >= entry.expiresAt) {
      throw new KioskError('CHALLENGE_EXPIRED', 'This liveness check has expired. Start again and follow the instruction right away.');
    }
    return entry.instruction;
  }
}
