/** An employee as the admin screens show it: consent state and template counts for the current models. */
import type { EmployeeSummary } from '../../../src-shared/contract.js';
import type { Employee } from '../store/employee-repository.js';
import type { ServiceContext } from '../context/service-context.js';

export function summarise(context: ServiceContext, employee: Employee): EmployeeSummary {
  const { store } = context;
  const count = (modality: 'face' | 'voice', model: { id: string; sha256: string } | undefined): number =>
    model === undefined ? 0 : store.templates.count({ employeeId: employee.id, modality, model });
  return {
    id: employee.id,
    code: employee.code,
    name: employee.name,
    department: employee.department,
    active: employee.active,
    consentedAt: store.consents.current(employee.id)?.consentedAt ?? null,
    faceTemplates: count('face', context.face.model),
    voiceTemplates: count('voice', context.voice?.model),
    deletable: isUnused(store.employees.usesOf(employee.id)),
  };
}

const isUnused = (uses: { attendance: number; templates: number; rawCaptures: number }): boolean =>
  uses.attendance + uses.templates + uses.rawCaptures === 0;
