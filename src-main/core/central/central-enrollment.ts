/**
 * Enrollment on a kiosk of a central server (an enrollment station, `server add-kiosk --enroll`):
 * the admin screens work as on a standalone kiosk, but every change to staff and templates is
 * written to the server first — the authority — and then pulled back into this kiosk's cache
 * like any other kiosk's would be, so every kiosk, this one included, applies the same rows. The
 * face or voice is analysed here and sealed here with the gallery key: the server receives
 * ciphertext only. Enrollment needs the server (CENTRAL_UNREACHABLE without it); clocking in
 * does not. Consent is recorded on the station that captured (local, audit-logged, and the audit
 * entry goes up with the outbox). Raw captures are not kept in central mode.
 */
import type { EmployeeSummary } from '../../../src-shared/contract.js';
import { ENROLL_FACE_SHOTS, ENROLL_VOICE_PHRASES, type FacePose } from '../../../src-shared/vocabulary.js';
import { summarise } from '../attendance/employee-summary.js';
import { EnrollmentService, type FaceEnrollment, type NewEmployeeInput, type VoiceEnrollment } from '../attendance/enrollment-service.js';
import { DEFAULT_SCRYPT_COST, hashPin, type ScryptCost } from '../auth/pin-hash.js';
import { requireVoice, type ServiceContext } from '../context/service-context.js';
import { identifyThreshold } from '../context/threshold-in-force.js';
import { KioskError, isKioskError } from '../errors.js';
import type { Employee } from '../store/employee-repository.js';
import type { CentralGalleryWriter } from './gallery-writer.js';

/** What the enrollment needs of the kiosk's sync: a pull of what it just wrote. */
export interface GalleryPuller {
  syncNow(): Promise<unknown>;
}

export class CentralEnrollment extends EnrollmentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: CentralGalleryWriter,
    private readonly puller: GalleryPuller,
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {
    super(ctx, cost);
  }

  /** DUPLICATE when the code is taken on the server; CENTRAL_UNREACHABLE offline. */
  override async create(actor: string, input: NewEmployeeInput): Promise<EmployeeSummary> {
    const pinHash = input.pin === undefined ? null : await hashPin(input.pin, this.cost);
    const id = await this.onServer(() =>
      this.writer.createEmployee({ code: input.code, name: input.name, department: input.department ?? '', ...(pinHash === null ? {} : { pinHash }) }),
    );
    await this.pull();
    const employee = this.ctx.store.employees.get(id);
    this.ctx.store.audit.append({ actor, action: 'employee.create', subject: subject(id), details: { code: employee.code, pin: pinHash !== null, central: true } });
    return summarise(this.ctx, employee);
  }

  override async enrollFace(actor: string, employeeId: number, image: Uint8Array, pose: FacePose): Promise<FaceEnrollment> {
    const employee = this.capturable(employeeId);
    const { face } = this.ctx;
    const analysis = await face.engine.analyzeBytes(image, 'enroll');
    this.duplicateOf(employee, analysis.embedding);
    const [templateId] = await this.onServer(() =>
      this.writer.addTemplates(employeeId, [{ modality: 'face', model: face.model, vector: analysis.embedding, capture: { detectionScore: analysis.detection.score } }]),
    );
    await this.pull();
    this.ctx.store.audit.append({ actor, action: 'employee.enroll.face', subject: subject(employeeId), details: { pose, templateId: templateId ?? null, central: true } });
    const summary = summarise(this.ctx, employee);
    return { employee: summary, quality: { detectionScore: Number(analysis.detection.score.toFixed(3)) }, shotsNeeded: Math.max(0, ENROLL_FACE_SHOTS - summary.faceTemplates) };
  }

  override async enrollVoice(actor: string, employeeId: number, pcm: Float32Array, sampleRate: number): Promise<VoiceEnrollment> {
    const voice = requireVoice(this.ctx.voice);
    const employee = this.capturable(employeeId);
    const sample = await voice.engine.embedPcm(pcm, sampleRate);
    const [templateId] = await this.onServer(() =>
      this.writer.addTemplates(employeeId, [{ modality: 'voice', model: voice.model, vector: sample.embedding, capture: { speechSeconds: sample.speechSeconds } }]),
    );
    await this.pull();
    this.ctx.store.audit.append({
      actor,
      action: 'employee.enroll.voice',
      subject: subject(employeeId),
      details: { templateId: templateId ?? null, speechSeconds: Number(sample.speechSeconds.toFixed(2)), central: true },
    });
    const summary = summarise(this.ctx, employee);
    return { employee: summary, speechSeconds: sample.speechSeconds, phrasesNeeded: Math.max(0, ENROLL_VOICE_PHRASES - summary.voiceTemplates) };
  }

  // The standalone service changes SQLite synchronously; here the server is written first, so these
  // answer a promise. Their one caller, the handler table, awaits every handler's result.
  override reenroll(actor: string, employeeId: number): EmployeeSummary {
    return this.reenrollCentral(actor, employeeId) as unknown as EmployeeSummary;
  }

  override deactivate(actor: string, employeeId: number): EmployeeSummary {
    return this.setActiveCentral(actor, employeeId, false) as unknown as EmployeeSummary;
  }

  override reactivate(actor: string, employeeId: number): EmployeeSummary {
    return this.setActiveCentral(actor, employeeId, true) as unknown as EmployeeSummary;
  }

  override erase(actor: string, employeeId: number): { employee: EmployeeSummary; templatesErased: number } {
    return this.eraseCentral(actor, employeeId) as unknown as { employee: EmployeeSummary; templatesErased: number };
  }

  override delete(): { deleted: { id: number; code: string } } {
    throw new KioskError('CENTRAL_ONLY', 'Staff of a central server are not deleted from a kiosk: deactivate them instead.');
  }

  /** Re-enroll on the server: every kiosk drops the templates; consent stays. */
  async reenrollCentral(actor: string, employeeId: number): Promise<EmployeeSummary> {
    const employee = this.ctx.store.employees.get(employeeId);
    const removed = await this.onServer(() => this.writer.eraseBiometrics(employeeId));
    await this.pull();
    this.ctx.store.audit.append({ actor, action: 'employee.reenroll', subject: subject(employeeId), details: { templatesRemoved: removed, central: true } });
    return summarise(this.ctx, this.ctx.store.employees.get(employee.id));
  }

  async setActiveCentral(actor: string, employeeId: number, active: boolean): Promise<EmployeeSummary> {
    this.ctx.store.employees.get(employeeId);
    await this.onServer(() => this.writer.setActive(employeeId, active));
    await this.pull();
    this.ctx.store.audit.append({ actor, action: active ? 'employee.reactivate' : 'employee.deactivate', subject: subject(employeeId), details: { central: true } });
    return summarise(this.ctx, this.ctx.store.employees.get(employeeId));
  }

  /** Erasure on the server: every kiosk deletes its templates; the consent is withdrawn here. */
  async eraseCentral(actor: string, employeeId: number): Promise<{ employee: EmployeeSummary; templatesErased: number }> {
    this.ctx.store.employees.get(employeeId);
    const templatesErased = await this.onServer(() => this.writer.eraseBiometrics(employeeId));
    await this.pull();
    this.ctx.store.db.transaction(() => {
      this.ctx.store.consents.withdraw(employeeId);
      this.ctx.store.audit.append({ actor, action: 'employee.erase', subject: subject(employeeId), details: { templatesErased, central: true } });
    });
    return { employee: summarise(this.ctx, this.ctx.store.employees.get(employeeId)), templatesErased };
  }

  private async pull(): Promise<void> {
    try {
      await this.puller.syncNow();
    } catch (error) {
      // Written on the server already: the next sync brings it here.
      if (!isKioskError(error, 'CENTRAL_UNREACHABLE')) throw error;
    }
  }

  /** A gallery write on the server; a role without the enrollers' grants is told how to get them. */
  private async onServer<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isKioskError(error, 'CENTRAL_REFUSED') || (error as { code?: unknown }).code === '42501') {
        throw new KioskError('CENTRAL_REFUSED', 'This kiosk may not enroll staff on the central server: an administrator can make it an enrollment station ("server add-kiosk --enroll").');
      }
      throw error;
    }
  }

  private capturable(employeeId: number): Employee {
    const employee = this.ctx.store.employees.get(employeeId);
    if (!employee.active) throw new KioskError('CONFLICT', `${employee.name} is deactivated; reactivate before enrolling.`, { employeeId });
    if (this.ctx.store.consents.current(employeeId) === undefined) {
      throw new KioskError('CONSENT_REQUIRED', `Record ${employee.name}'s consent before capturing face or voice.`, { employeeId });
    }
    return employee;
  }

  /** The cache's gallery mirrors the server's, so the duplicate check is the standalone kiosk's. */
  private duplicateOf(employee: Employee, embedding: Float32Array): void {
    const { threshold } = identifyThreshold(this.ctx, 'face');
    const other = this.ctx.face.gallery.search(embedding, 2).find((c) => c.employeeId !== employee.id && c.score >= threshold);
    if (other === undefined) return;
    const match = this.ctx.store.employees.get(other.employeeId);
    throw new KioskError('DUPLICATE', `This face already matches ${match.name} (${match.code}); enrollment refused.`, { employeeId: match.id, name: match.name, code: match.code });
  }
}

const subject = (employeeId: number): string => `employee:${employeeId}`;
