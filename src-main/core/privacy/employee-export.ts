/**
 * Right of access: everything the kiosk holds about one employee as one JSON document —
 * profile, consents, attendance, template metadata, kept raw captures, the recognition attempts
 * credited to them and the audit entries about them. Template vectors are left out on purpose (EmployeeDataExport says why); the
 * export itself is audit-logged.
 */
import type { EmployeeDataExport } from '../../../src-shared/contract.js';
import type { ServiceContext } from '../context/service-context.js';

export const EXPORT_FORMAT = 'attendance-kiosk/employee-data/v3';

/** NOT_FOUND for an unknown employee. Read and logged in one transaction: one consistent snapshot. */
export function exportEmployeeData(
  context: Pick<ServiceContext, 'store' | 'kioskId' | 'now'>,
  actor: string,
  employeeId: number,
): { filename: string; data: EmployeeDataExport } {
  const { store } = context;
  return store.db.transaction(() => {
    const employee = store.employees.get(employeeId);
    const subject = `employee:${employee.id}`;
    const data: EmployeeDataExport = {
      format: EXPORT_FORMAT,
      exportedAt: context.now().toISOString(),
      kioskId: context.kioskId,
      employee: {
        id: employee.id,
        code: employee.code,
        name: employee.name,
        department: employee.department,
        active: employee.active,
        createdAt: employee.createdAt,
        deactivatedAt: employee.deactivatedAt,
        hasClockInPin: store.employees.getPinHash(employee.id) !== null,
      },
      consents: store.consents.history(employee.id).map((c) => ({ textVersion: c.textVersion, consentedAt: c.consentedAt, withdrawnAt: c.withdrawnAt })),
      attendance: store.attendance.allForEmployee(employee.id).map((e) => ({
        direction: e.direction,
        modality: e.modality,
        score: e.score,
        modelId: e.modelId,
        decision: e.evidence,
        voidedAt: e.voidedAt,
        kioskId: e.kioskId,
        occurredAt: e.occurredAt,
        recordedAt: e.createdAt,
      })),
      biometricTemplates: store.templates.listInfoForEmployee(employee.id).map((t) => ({
        id: t.id,
        modality: t.modality,
        modelId: t.modelId,
        modelSha256: t.modelSha256,
        dimensions: t.dim,
        capture: t.capture,
        createdAt: t.createdAt,
      })),
      rawCaptures: store.rawCaptures.listForEmployee(employee.id).map((r) => ({
        id: r.id,
        kind: r.kind,
        mediaType: r.mediaType,
        bytes: r.bytes,
        createdAt: r.createdAt,
        contentBase64: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength).toString('base64'),
      })),
      recognitionAttempts: store.attempts.acceptedAs(employee.id),
      history: store.audit.listForSubject(subject).map((entry) => ({ at: entry.at, actor: entry.actor, action: entry.action, details: { ...entry.details } })),
    };
    store.audit.append({ actor, action: 'employee.export', subject });
    return { filename: `employee-${safeFilePart(employee.code)}-data.json`, data };
  });
}

/** Employee codes are letters, digits, '.', '_' and '-' already; anything else becomes '_'. */
function safeFilePart(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_');
}
