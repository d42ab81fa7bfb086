/**
 * Enrollment at the front desk: create the employee, record consent, then capture face shots
 * and voice phrases, each turned into a template at once (no photo or audio is kept, unless an
 * admin turned the storeRawCaptures setting on: then it is kept sealed beside the template). Also
 * re-enroll, deactivate and erase. Every action is appended to the audit log under the
 * admin session's actor.
 */
import { ENROLL_FACE_SHOTS, ENROLL_VOICE_PHRASES, type FacePose } from '../../../src-shared/vocabulary.js';
import type { EmployeeSummary } from '../../../src-shared/contract.js';
import { KioskError } from '../errors.js';
import { enforcePose } from '../face/pose-check.js';
import type { FaceQuality } from '../face/quality.js';
import { eraseBiometrics } from '../privacy/biometric-erasure.js';
import { imageMediaType, pcmBytes, pcmMediaType } from '../store/raw-capture-repository.js';
import type { Employee } from '../store/employee-repository.js';
import type { StoredTemplate } from '../store/template-repository.js';
import { requireVoice, type Biometric, type ServiceContext } from '../context/service-context.js';
import { summarise } from './employee-summary.js';
import { identifyThreshold } from '../context/threshold-in-force.js';
import { DEFAULT_SCRYPT_COST, hashPin, type ScryptCost } from '../auth/pin-hash.js';

export interface NewEmployeeInput {
  readonly code: string;
  readonly name: string;
  readonly department?: string;
  readonly pin?: string;
}

export interface FaceEnrollment {
  readonly employee: EmployeeSummary;
  readonly quality: Record<string, number>;
  readonly shotsNeeded: number;
}

export interface VoiceEnrollment {
  readonly employee: EmployeeSummary;
  readonly speechSeconds: number;
  readonly phrasesNeeded: number;
}

export class EnrollmentService {
  constructor(
    private readonly context: ServiceContext,
    private readonly scryptCost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {}

  list(includeInactive: boolean): EmployeeSummary[] {
    const employees = this.context.store.employees.list(includeInactive ? {} : { active: true });
    return employees.map((employee) => summarise(this.context, employee));
  }

  /** DUPLICATE when the code is taken. The optional clock-in PIN is stored as an scrypt hash. */
  async create(actor: string, input: NewEmployeeInput): Promise<EmployeeSummary> {
    const pinHash = input.pin === undefined ? null : await hashPin(input.pin, this.scryptCost);
    const { store } = this.context;
    const employee = store.db.transaction(() => {
      const created = store.employees.create({ code: input.code, name: input.name, department: input.department ?? '' });
      if (pinHash !== null) store.employees.setPinHash(created.id, pinHash);
      store.audit.append({ actor, action: 'employee.create', subject: subject(created.id), details: { code: created.code, pin: pinHash !== null } });
      return created;
    });
    return summarise(this.context, employee);
  }

  recordConsent(actor: string, employeeId: number, textVersion: string): EmployeeSummary {
    const { store } = this.context;
    const employee = this.requireActive(employeeId);
    store.db.transaction(() => {
      store.consents.record(employee.id, textVersion);
      store.audit.append({ actor, action: 'employee.consent', subject: subject(employee.id), details: { textVersion } });
    });
    return summarise(this.context, employee);
  }

  /**
   * One face shot → one template. CONSENT_REQUIRED before consent; the engine's enrollment
   * gates (exactly one face, size, light, sharpness, pose); DUPLICATE when the face already
   * matches another employee above the face threshold (their name is in the message).
   */
  async enrollFace(actor: string, employeeId: number, image: Uint8Array, pose: FacePose): Promise<FaceEnrollment> {
    const employee = this.requireCapturable(employeeId);
    const { face, store } = this.context;
    const analysis = await face.engine.analyzeBytes(image, 'enroll');
    // A 'slightly left' shot that faces the camera (or turns right) adds nothing the front shot has not.
    enforcePose(pose, analysis.quality?.yawDeg ?? Number.NaN);
    // From here to the gallery update nothing awaits, so two enrollments cannot both pass the duplicate check.
    this.refuseDuplicate(employee, analysis.embedding);
    const template = store.db.transaction(() => {
      this.requireCapturable(employeeId);
      const added = store.templates.add({
        employeeId,
        modality: 'face',
        model: face.model,
        vector: analysis.embedding,
        capture: { detectionScore: analysis.detection.score },
      });
      const raw = store.settings.get('storeRawCaptures')
        ? store.rawCaptures.add({ employeeId, kind: 'face-image', mediaType: imageMediaType(image), content: image })
        : null;
      store.audit.append({
        actor,
        action: 'employee.enroll.face',
        subject: subject(employeeId),
        details: { pose, templateId: added.id, ...(raw === null ? {} : { rawCaptureId: raw.id }) },
      });
      return added;
    });
    face.gallery.add(employeeId, template.id, analysis.embedding);
    const summary = summarise(this.context, employee);
    return {
      employee: summary,
      quality: qualityFigures(analysis.quality, analysis.detection.score),
      shotsNeeded: Math.max(0, ENROLL_FACE_SHOTS - summary.faceTemplates),
    };
  }

  /** One spoken phrase → one template; VOICE_UNAVAILABLE without the voice models; the engine's speech gates. */
  async enrollVoice(actor: string, employeeId: number, pcm: Float32Array, sampleRate: number): Promise<VoiceEnrollment> {
    const voice = requireVoice(this.context.voice);
    const employee = this.requireCapturable(employeeId);
    const { store } = this.context;
    const sample = await voice.engine.embedPcm(pcm, sampleRate);
    const template = store.db.transaction(() => {
      this.requireCapturable(employeeId);
      const added = store.templates.add({
        employeeId,
        modality: 'voice',
        model: voice.model,
        vector: sample.embedding,
        capture: { speechSeconds: sample.speechSeconds },
      });
      const raw = store.settings.get('storeRawCaptures')
        ? store.rawCaptures.add({ employeeId, kind: 'voice-pcm', mediaType: pcmMediaType(sampleRate), content: pcmBytes(pcm) })
        : null;
      store.audit.append({
        actor,
        action: 'employee.enroll.voice',
        subject: subject(employeeId),
        details: { templateId: added.id, speechSeconds: round(sample.speechSeconds, 2), ...(raw === null ? {} : { rawCaptureId: raw.id }) },
      });
      return added;
    });
    voice.gallery.add(employeeId, template.id, sample.embedding);
    const summary = summarise(this.context, employee);
    return {
      employee: summary,
      speechSeconds: sample.speechSeconds,
      phrasesNeeded: Math.max(0, ENROLL_VOICE_PHRASES - summary.voiceTemplates),
    };
  }

  /** Removes the current templates so the employee can be captured again; consent stays. */
  reenroll(actor: string, employeeId: number): EmployeeSummary {
    const { store } = this.context;
    const employee = store.employees.get(employeeId);
    store.db.transaction(() => {
      const removed = eraseBiometrics(store, employee.id, 'keep');
      store.audit.append({
        actor,
        action: 'employee.reenroll',
        subject: subject(employee.id),
        details: { templatesRemoved: removed.templatesErased, rawCapturesRemoved: removed.rawCapturesErased },
      });
    });
    this.forget(employee.id);
    return summarise(this.context, employee);
  }

  /**
   * Stops the employee clocking in (templates stay until erased or the retention period ends;
   * the galleries only ever hold active employees).
   */
  deactivate(actor: string, employeeId: number): EmployeeSummary {
    const { store } = this.context;
    const employee = store.db.transaction(() => {
      const updated = store.employees.deactivate(employeeId);
      store.audit.append({ actor, action: 'employee.deactivate', subject: subject(employeeId) });
      return updated;
    });
    this.forget(employeeId);
    return summarise(this.context, employee);
  }

  /**
   * Undoes a deactivation. Templates still held (the retention period has not erased them) under
   * a current consent go back into the galleries at once; without a consent (it is withdrawn
   * whenever the data is erased) the person must consent and enroll again before clocking in
   * by face or voice. DUPLICATE, and the employee stays inactive, when a kept face now matches
   * another employee (enrolled meanwhile: the duplicate check only sees active staff).
   * Reactivating an active employee changes nothing and logs nothing.
   */
  reactivate(actor: string, employeeId: number): EmployeeSummary {
    const { store, face, voice } = this.context;
    const before = store.employees.get(employeeId);
    if (before.active) return summarise(this.context, before);
    const { employee, returning } = store.db.transaction(() => {
      const reactivated = store.employees.reactivate(employeeId);
      const consent = store.consents.current(employeeId) !== undefined;
      const kept = {
        face: consent ? this.storedTemplates(face, employeeId) : [],
        voice: consent && voice !== null ? this.storedTemplates(voice, employeeId) : [],
      };
      // Throwing here rolls the reactivation back.
      for (const template of kept.face) this.refuseDuplicate(reactivated, template.vector);
      const templatesKept = store.templates.count({ employeeId });
      store.audit.append({ actor, action: 'employee.reactivate', subject: subject(employeeId), details: { templatesKept, consent } });
      return { employee: reactivated, returning: kept };
    });
    for (const template of returning.face) face.gallery.add(employeeId, template.id, template.vector);
    for (const template of returning.voice) voice?.gallery.add(employeeId, template.id, template.vector);
    return summarise(this.context, employee);
  }

  /** One employee's templates for the modality's current model (decrypting theirs only). */
  private storedTemplates(biometric: Biometric<unknown>, employeeId: number): StoredTemplate[] {
    return this.context.store.templates.listForEmployee(employeeId, biometric.gallery.modality, biometric.model);
  }

  /**
   * Erases every biometric template (all modalities and model versions) and kept raw capture of
   * the employee and withdraws the consent, so any new capture needs a new consent. Attendance
   * history stays.
   */
  erase(actor: string, employeeId: number): { employee: EmployeeSummary; templatesErased: number } {
    const { store } = this.context;
    const employee = store.employees.get(employeeId);
    const templatesErased = store.db.transaction(() => {
      const erased = eraseBiometrics(store, employee.id, 'withdraw');
      store.audit.append({ actor, action: 'employee.erase', subject: subject(employee.id), details: { ...erased } });
      return erased.templatesErased;
    });
    this.forget(employee.id);
    return { employee: summarise(this.context, employee), templatesErased };
  }

  /**
   * Deletes an employee who was never enrolled and never punched (a cancelled or refused wizard,
   * a typo): the record and its consents go, so the code can be used again; the audit log keeps
   * who deleted which code. CONFLICT when anything refers to them: deactivate (and erase) instead,
   * so attendance history keeps its names.
   */
  delete(actor: string, employeeId: number): { deleted: { id: number; code: string } } {
    const { store } = this.context;
    const employee = store.db.transaction(() => {
      const removed = store.employees.deleteNeverUsed(employeeId);
      store.audit.append({ actor, action: 'employee.delete', subject: subject(employeeId), details: { code: removed.code } });
      return removed;
    });
    this.forget(employee.id);
    return { deleted: { id: employee.id, code: employee.code } };
  }

  /** Drops the employee from the live galleries (after the store change has committed). */
  private forget(employeeId: number): void {
    this.context.face.gallery.removeEmployee(employeeId);
    this.context.voice?.gallery.removeEmployee(employeeId);
  }

  private requireActive(employeeId: number): Employee {
    const employee = this.context.store.employees.get(employeeId);
    if (!employee.active) {
      throw new KioskError('CONFLICT', `${employee.name} is deactivated; reactivate before enrolling.`, { employeeId });
    }
    return employee;
  }

  /** Active and consented: CONSENT_REQUIRED before any capture is even analysed. */
  private requireCapturable(employeeId: number): Employee {
    const employee = this.requireActive(employeeId);
    if (this.context.store.consents.current(employeeId) === undefined) {
      throw new KioskError('CONSENT_REQUIRED', `Record ${employee.name}'s consent before capturing face or voice.`, { employeeId });
    }
    return employee;
  }

  /** A face a search would already identify as someone else is a duplicate enrollment. */
  private refuseDuplicate(employee: Employee, embedding: Float32Array): void {
    const { threshold } = identifyThreshold(this.context, 'face');
    const other = this.context.face.gallery.search(embedding, 2).find((c) => c.employeeId !== employee.id && c.score >= threshold);
    if (other === undefined) return;
    const match = this.context.store.employees.get(other.employeeId);
    throw new KioskError('DUPLICATE', `This face already matches ${match.name} (${match.code}); enrollment refused.`, {
      employeeId: match.id,
      name: match.name,
      code: match.code,
    });
  }
}

/** What the gates measured; quality is only null in the engine's 'evaluate' mode, never used here. */
function qualityFigures(quality: FaceQuality | null, detectionScore: number): Record<string, number> {
  if (quality === null) return { detectionScore: round(detectionScore, 3) };
  return {
    detectionScore: round(detectionScore, 3),
    interOcularPx: round(quality.faceSizePx.interOcular, 1),
    faceBoxPx: round(quality.faceSizePx.box, 1),
    brightness: round(quality.brightness, 1),
    overexposedFraction: round(quality.overexposedFraction, 3),
    sharpness: round(quality.sharpness, 3),
    yawDeg: round(quality.yawDeg, 1),
    pitchDeg: round(quality.pitchDeg, 1),
    rollDeg: round(quality.rollDeg, 1),
  };
}

const subject = (employeeId: number): string => `employee:${employeeId}`;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));
