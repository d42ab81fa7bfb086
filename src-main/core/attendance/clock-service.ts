/**
 * Clocking in and out: by face (a burst of camera frames), by voice (a freshly issued phrase)
 * or by PIN. Recognition is an open-set decision with the threshold and margin of the
 * modality from the settings; a stranger gets `not_recognised` and nothing is written.
 *
 * Recording a punch reads the employee's last event and appends the new one inside a single
 * BEGIN IMMEDIATE transaction, so simultaneous clock-ins — from this process or another one
 * on the same database — are serialised: none lost, none duplicated, directions consistent.
 */
import { NEAR_PASS_MARK, type BiometricModality, type ChallengeInstruction, type Locale, type PunchDirection, type RecognitionMode } from '../../../src-shared/vocabulary.js';
import type { AttemptOutcome, ClockResult, MatchConfidence, Outputs, PunchEvent } from '../../../src-shared/contract.js';
import { randomBytes } from 'node:crypto';
import { KioskError, isKioskError, type KioskErrorCode } from '../errors.js';
import type { FaceAnalysis } from '../face/engine.js';
import type { Landmarks68 } from '../face/types.js';
import { landmarksMakeAFace } from '../face/unclear-face.js';
import { ChallengeIssuer, verifyChallenge, type IssuedChallenge } from '../liveness/challenge.js';
import { enforcePassiveLiveness } from '../liveness/passive.js';
import { decide, type DecisionPolicy } from '../match/decision.js';
import { meanVector } from '../match/vector-mean.js';
import type { AttendanceEvent, DecisionEvidence } from '../store/attendance-repository.js';
import type { Employee } from '../store/employee-repository.js';
import { closesShift } from './shift-rule.js';
import { identifyThreshold, recognitionModeInForce, verifyThreshold } from '../context/threshold-in-force.js';
import { AttemptLimiter, MemoryLockStore } from '../auth/attempt-limiter.js';
import { requireVoice, type ServiceContext } from '../context/service-context.js';
import type { ModalityGallery } from '../match/modality-gallery.js';
import type { PhraseIssuer } from './phrases.js';
import { DEFAULT_SCRYPT_COST, decoyHash, verifyPin, type ScryptCost } from '../auth/pin-hash.js';

/** A decision's numbers for the attempts log: null where no comparison was made. */
interface AttemptNumbers {
  readonly mode: RecognitionMode;
  readonly bestScore: number | null;
  readonly secondScore: number | null;
  readonly threshold: number | null;
  readonly gallerySize: number;
}

type Recognition = { readonly numbers: AttemptNumbers } & (
  | { readonly accepted: true; readonly employeeId: number; readonly score: number; readonly evidence: DecisionEvidence }
  | { readonly accepted: false; readonly reason: Exclude<AttemptOutcome, 'accepted'> }
);

/** Where a clock-in's biometric sample is matched: the gallery it searches, or the claimed code. */
type Claim = { readonly modality: BiometricModality; readonly gallery: ModalityGallery; readonly employeeCode: string | undefined };

/** What a punch wrote, with the event's id for the undo token. */
type Punched =
  | { readonly outcome: 'recorded'; readonly event: PunchEvent; readonly eventId: number }
  | { readonly outcome: 'debounced'; readonly event: PunchEvent; readonly nextPunchAt: string; readonly nextDirection: PunchDirection };

/** Frame failures that mean "this frame shows no usable face", as opposed to a broken request. */
const FRAME_QUALITY_CODES: ReadonlySet<KioskErrorCode> = new Set([
  'NO_FACE', 'MULTIPLE_FACES', 'FACE_TOO_SMALL', 'TOO_DARK', 'OVEREXPOSED', 'BLURRED', 'STRONG_POSE', 'FACE_UNCLEAR', 'CAMERA_BLANK',
  'CORRUPT_IMAGE', 'UNSUPPORTED_FORMAT', 'EMPTY_INPUT', 'BAD_FRAME',
]);

/** How long after a face or voice punch the person can still say "Not you?" on the kiosk. */
export const UNDO_WINDOW_MS = 60_000;
/** The audit actor of a void: whoever stood at the kiosk, unauthenticated but holding the punch's token. */
export const UNDO_ACTOR = 'kiosk:not-me';

export class ClockService {
  /** Failed claims per code and factor ('pin', 'face', 'voice'): five lock that factor for the code. */
  private readonly claimLimiter: AttemptLimiter;
  /** Undo tokens of recent biometric punches: single use, in memory only (a restart ends them). */
  private readonly undoable = new Map<string, { readonly eventId: number; readonly expiresAt: number }>();
  private readonly challenges: ChallengeIssuer;
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly context: ServiceContext,
    private readonly phrases: PhraseIssuer,
    private readonly scryptCost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {
    this.claimLimiter = new AttemptLimiter(new MemoryLockStore(), context.now);
    this.challenges = new ChallengeIssuer({ now: context.now });
  }

  /** Face boxes for drawing (no identification, no quality gates). */
  async detect(image: Uint8Array): Promise<Outputs['face.detect']> {
    const { width, height, detections, blank } = await this.context.face.engine.detectBytes(image);
    return {
      width,
      height,
      blank,
      faces: detections.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score })),
    };
  }

  /**
   * Every frame of the burst is analysed; frames without a usable face are skipped, and the
   * embeddings of the good ones are averaged before one decision, which steadies the score
   * against a single blurred or half-turned frame. When no frame is usable, the most common
   * frame problem is thrown (e.g. NO_FACE, BLURRED) so the screen can say what to change.
   * Before anyone is identified, the usable frames' landmarks must pass the liveness check the
   * `livenessMode` setting asks for (LIVENESS_FAILED otherwise): 'passive' looks for motion no
   * flat picture makes; 'challenge' checks the action of the challenge `challengeId` names.
   * With an employee code, or in verify mode (then the code is required), the face is compared
   * with that employee only (see `match`).
   */
  async clockFace(frames: readonly Uint8Array[], options: { challengeId?: string; employeeCode?: string } = {}): Promise<ClockResult> {
    const claim = this.claimFor('face', this.context.face.gallery, options.employeeCode);
    const mode = this.context.store.settings.get('livenessMode');
    const instruction = mode === 'challenge' ? this.consumeChallenge(options.challengeId) : undefined;
    const good = await this.analyseBurst(frames);
    const landmarks = good.map((a) => a.landmarks);
    // The landmarks are the landmark net's: a set that measures nothing is an unclear face, not bad input.
    landmarksMakeAFace(() => {
      if (mode === 'passive') enforcePassiveLiveness(landmarks);
      if (instruction !== undefined) enforceChallenge(instruction, landmarks);
    });
    const probe = meanVector(good.map((a) => a.embedding));
    const recognition = this.match(claim, probe);
    if (!recognition.accepted) return { outcome: 'not_recognised', reason: recognition.reason };
    const punched = this.punch(recognition.employeeId, { modality: 'face', score: recognition.score, modelId: this.context.face.model.id, evidence: recognition.evidence });
    return this.offerUndo(punched, confidenceOf(recognition.score, recognition.evidence.threshold));
  }

  /** A random action for challenge-mode clock-in; its frames must reach clockFace within its time limit. */
  issueFaceChallenge(): IssuedChallenge {
    return this.challenges.issue();
  }

  issuePhrase(locale: Locale): { phraseId: string; text: string } {
    requireVoice(this.context.voice);
    return this.phrases.issue(locale);
  }

  /**
   * PHRASE_EXPIRED unless the phrase was issued recently and not used yet; it is used up either
   * way. In verify mode (voice's default) the employee code is required and the voice is
   * compared with that employee only.
   */
  async clockVoice(phraseId: string, pcm: Float32Array, sampleRate: number, employeeCode?: string): Promise<ClockResult> {
    const voice = requireVoice(this.context.voice);
    const claim = this.claimFor('voice', voice.gallery, employeeCode);
    this.phrases.consume(phraseId);
    const sample = await voice.engine.embedPcm(pcm, sampleRate);
    const recognition = this.match(claim, sample.embedding);
    if (!recognition.accepted) return { outcome: 'not_recognised', reason: recognition.reason };
    const punched = this.punch(recognition.employeeId, { modality: 'voice', score: recognition.score, modelId: voice.model.id, evidence: recognition.evidence });
    return this.offerUndo(punched, confidenceOf(recognition.score, recognition.evidence.threshold));
  }

  /**
   * PIN fallback. An unknown code, an inactive employee, an employee without a PIN and a wrong
   * PIN all answer the same PIN_REJECTED after the same scrypt work, so codes cannot be probed;
   * five failures on one code lock it for five minutes (LOCKED_OUT; see claimKey).
   */
  async clockPin(code: string, pin: string): Promise<ClockResult> {
    const employee = this.context.store.employees.findByCode(code);
    const key = claimKey('pin', code, employee);
    this.claimLimiter.assertOpen(key, 'PIN clock-in for this code');
    const stored = employee?.active ? this.context.store.employees.getPinHash(employee.id) : null;
    const ok = await verifyPin(pin, stored ?? (await this.decoyHash()));
    if (!ok || employee === undefined || stored === null) {
      this.claimLimiter.fail(key);
      throw new KioskError('PIN_REJECTED', 'Employee code or PIN is wrong.');
    }
    this.claimLimiter.succeed(key);
    // A PIN proves who it is: nothing to undo.
    const punched = this.punch(employee.id, { modality: 'pin' });
    return punched.outcome === 'recorded' ? { outcome: 'recorded', event: punched.event } : punched;
  }

  /**
   * "Not you?": the person in front of the kiosk says the punch just recorded by face or voice is
   * not theirs. The event is marked void (it stays in the history and the export), the audit log
   * says so, and the employee it was credited to is as if it never happened, so the real person
   * can clock in at once by PIN or voice. UNDO_EXPIRED once the token is used or too old.
   */
  undo(undoToken: string): { voided: PunchEvent } {
    const now = this.context.now().getTime();
    this.forgetExpiredUndos(now);
    const entry = this.undoable.get(undoToken);
    this.undoable.delete(undoToken);
    if (entry === undefined) throw new KioskError('UNDO_EXPIRED', 'This punch can no longer be cancelled at the kiosk; an administrator can correct it.');
    const { store } = this.context;
    return store.db.transaction(() => {
      const event = store.attendance.voidEvent(entry.eventId, new Date(now));
      store.audit.append({
        actor: UNDO_ACTOR,
        action: 'attendance.void',
        subject: `employee:${event.employeeId}`,
        details: { eventId: event.id, modality: event.modality, score: event.score, reason: 'not_me' },
      });
      return { voided: toPunch(store.employees.get(event.employeeId), event) };
    });
  }

  private offerUndo(result: Punched, confidence: MatchConfidence): ClockResult {
    if (result.outcome !== 'recorded') return result;
    const now = this.context.now().getTime();
    // Swept here too, so a day of punches that nobody undoes leaves at most a minute's tokens.
    this.forgetExpiredUndos(now);
    const token = randomBytes(16).toString('hex');
    this.undoable.set(token, { eventId: result.eventId, expiresAt: now + UNDO_WINDOW_MS });
    return { outcome: 'recorded', event: result.event, undo: { token, expiresInMs: UNDO_WINDOW_MS }, confidence };
  }

  private forgetExpiredUndos(now: number): void {
    for (const [token, entry] of this.undoable) if (entry.expiresAt <= now) this.undoable.delete(token);
  }

  private consumeChallenge(challengeId: string | undefined): ChallengeInstruction {
    if (challengeId === undefined) {
      throw new KioskError('LIVENESS_FAILED', 'This kiosk asks for an action before clocking in by face. Start again and follow the instruction.', {
        reason: 'challenge_required',
      });
    }
    return this.challenges.consume(challengeId);
  }

  private async analyseBurst(frames: readonly Uint8Array[]): Promise<FaceAnalysis[]> {
    if (frames.length === 0) throw new KioskError('EMPTY_INPUT', 'No camera frames were sent.');
    const good: FaceAnalysis[] = [];
    const problems: KioskError[] = [];
    // One frame at a time: the engine's sessions already use every core for one image.
    for (const frame of frames) {
      try {
        good.push(await this.context.face.engine.analyzeBytes(frame, 'probe'));
      } catch (error) {
        if (!isKioskError(error) || !FRAME_QUALITY_CODES.has(error.code)) throw error;
        problems.push(error);
      }
    }
    if (good.length === 0) throw mostCommon(problems);
    return good;
  }

  /**
   * The claim a clock-in makes, settled before any capture is analysed: a code given (or required
   * by the mode in force) means a verification; LOCKED_OUT once the code has failed five times
   * for this modality, CODE_REQUIRED when verify mode gets no code.
   */
  private claimFor(modality: BiometricModality, gallery: ModalityGallery, employeeCode: string | undefined): Claim {
    if (employeeCode === undefined) {
      if (recognitionModeInForce(this.context, modality).mode === 'verify') {
        throw new KioskError('CODE_REQUIRED', `This kiosk asks for the employee code before a ${modality} clock-in.`, { modality });
      }
      return { modality, gallery, employeeCode };
    }
    this.claimLimiter.assertOpen(claimKey(modality, employeeCode, this.context.store.employees.findByCode(employeeCode)), `${modality} clock-in for this code`);
    return { modality, gallery, employeeCode };
  }

  /** Decides, and logs the decision in the bounded attempts table (before any punch, so a refusal is logged too). */
  private match(claim: Claim, probe: Float32Array): Recognition {
    const recognition = claim.employeeCode === undefined ? this.identify(claim, probe) : this.verify(claim, claim.employeeCode, probe);
    this.context.store.attempts.append({
      occurredAt: this.context.now(),
      modality: claim.modality,
      outcome: recognition.accepted ? 'accepted' : recognition.reason,
      // A refusal names nobody: neither a search's best candidate nor the employee a code claimed.
      employeeId: recognition.accepted ? recognition.employeeId : null,
      kioskId: this.context.kioskId,
      ...recognition.numbers,
    });
    return recognition;
  }

  /** Open-set search of everyone enrolled in the modality. */
  private identify({ modality, gallery }: Claim, probe: Float32Array): Recognition {
    const { threshold } = identifyThreshold(this.context, modality);
    if (gallery.employeeCount === 0) {
      return { accepted: false, reason: 'no_enrolled_employees', numbers: { mode: 'identify', bestScore: null, secondScore: null, threshold, gallerySize: 0 } };
    }
    const candidates = gallery.search(probe, 2);
    const decision = decide(candidates, { threshold, margin: this.context.store.settings.get(`${modality}Margin`) });
    const gallerySize = gallery.employeeCount;
    if (!decision.accepted) {
      const numbers = { mode: 'identify', bestScore: decision.best?.score ?? null, secondScore: decision.second?.score ?? null, threshold, gallerySize } as const;
      return { accepted: false, reason: decision.reason, numbers };
    }
    const secondScore = candidates.find((c) => c.employeeId !== decision.employeeId)?.score ?? null;
    return {
      numbers: { mode: 'identify', bestScore: decision.score, secondScore, threshold, gallerySize },
      accepted: true,
      employeeId: decision.employeeId,
      score: decision.score,
      evidence: { mode: 'identify', secondScore, threshold, gallerySize: gallery.employeeCount },
    };
  }

  /**
   * One comparison with the employee the code names, at the threshold of their own templates. An
   * unknown code, an inactive employee, one without templates of this modality and a sample
   * that does not match all answer the same `not_verified` and count one failure against the
   * code, so codes cannot be probed (the capture was analysed and embedded in every case).
   */
  private verify({ modality, gallery }: Claim, code: string, probe: Float32Array): Recognition {
    const employee = this.context.store.employees.findByCode(code);
    const claimed = employee?.active ? employee.id : undefined;
    const { threshold } = verifyThreshold(this.context, modality, claimed);
    const match = claimed === undefined ? null : gallery.scoreOf(probe, claimed);
    const key = claimKey(modality, code, employee);
    // The admin's log may keep the score (it names no code); the kiosk's answer says nothing more than not_verified.
    const numbers = { mode: 'verify', bestScore: match?.score ?? null, secondScore: null, threshold, gallerySize: gallery.employeeCount } as const;
    if (claimed === undefined || match === null || match.score < threshold) {
      this.claimLimiter.fail(key);
      return { accepted: false, reason: 'not_verified', numbers };
    }
    this.claimLimiter.succeed(key);
    return { accepted: true, employeeId: claimed, score: match.score, numbers, evidence: { mode: 'verify', secondScore: null, threshold, gallerySize: gallery.employeeCount } };
  }

  /**
   * In/out toggle per employee by shift: 'out' when the last punch is an 'in' younger than
   * `maxShiftHours` (so a night shift closes after midnight), 'in' otherwise. A punch within the
   * debounce window after the previous one writes nothing and answers that previous event.
   */
  private punch(
    employeeId: number,
    how: { modality: 'face' | 'voice'; score: number; modelId: string; evidence: DecisionEvidence } | { modality: 'pin' },
  ): Punched {
    const { store, kioskId } = this.context;
    return store.db.transaction((): Punched => {
      const now = this.context.now();
      const employee = store.employees.get(employeeId);
      // Read again inside the write: a deactivation that landed while the PIN hash was checked wins.
      if (!employee.active) {
        throw how.modality === 'pin'
          ? new KioskError('PIN_REJECTED', 'Employee code or PIN is wrong.')
          : new KioskError('CONFLICT', `${employee.name} was deactivated a moment ago; nothing was recorded.`, { employeeId });
      }
      const last = store.attendance.lastForEmployee(employeeId);
      const debounceMs = store.settings.get('debounceMinutes') * 60_000;
      // Only a later punch is a repeat: after the clock was set back, the person can still clock in.
      const sinceLast = last === undefined ? Number.NaN : now.getTime() - Date.parse(last.occurredAt);
      const maxShiftHours = store.settings.get('maxShiftHours');
      if (last !== undefined && sinceLast >= 0 && sinceLast < debounceMs) {
        // Say when the next punch is accepted, and what it will be then, so the person is not left guessing.
        const nextPunchAt = new Date(Date.parse(last.occurredAt) + debounceMs).toISOString();
        const nextDirection = last.direction === 'in' && closesShift(last.occurredAt, nextPunchAt, maxShiftHours) ? 'out' : 'in';
        return { outcome: 'debounced', event: toPunch(employee, last), nextPunchAt, nextDirection };
      }
      const shiftOpen = last?.direction === 'in' && closesShift(last.occurredAt, now.toISOString(), maxShiftHours);
      const direction = shiftOpen ? 'out' : 'in';
      const event = store.attendance.append({ employeeId, direction, kioskId, occurredAt: now, ...how });
      return { outcome: 'recorded', event: toPunch(employee, event), eventId: event.id };
    });
  }

  private decoyHash(): Promise<string> {
    return (this.decoy ??= decoyHash(this.scryptCost));
  }
}

/**
 * The attempt-limiter key of a claim: per factor, and per employee the code names (codes differing
 * in case are one employee only where the database folds them, i.e. ASCII letters), or per code
 * when it names nobody.
 */
function claimKey(factor: 'pin' | BiometricModality, code: string, employee: Employee | undefined): string {
  return employee === undefined ? `${factor}:code:${code.trim().replace(/[A-Z]/g, (c) => c.toLowerCase())}` : `${factor}:employee:${employee.id}`;
}

function enforceChallenge(instruction: ChallengeInstruction, landmarks: readonly Landmarks68[]): void {
  const result = verifyChallenge(instruction, landmarks);
  if (!result.passed) {
    throw new KioskError('LIVENESS_FAILED', 'The requested action was not seen. Start again and follow the instruction.', {
      reason: result.reason,
      instruction,
      extent: result.extent,
    });
  }
}

function confidenceOf(score: number, threshold: number): MatchConfidence {
  return score - threshold < NEAR_PASS_MARK ? 'near' : 'clear';
}

function toPunch(employee: Employee, event: AttendanceEvent): PunchEvent {
  return {
    employee: { id: employee.id, code: employee.code, name: employee.name },
    direction: event.direction,
    modality: event.modality,
    score: event.score,
    at: event.occurredAt,
  };
}

function mostCommon(problems: readonly KioskError[]): KioskError {
  const counts = new Map<KioskErrorCode, number>();
  for (const p of problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  return problems.reduce((a, b) => ((counts.get(b.code) ?? 0) > (counts.get(a.code) ?? 0) ? b : a));
}
