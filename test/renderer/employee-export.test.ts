// @vitest-environment happy-dom
/**
 * "Export data" in the employee list: asks admin.employees.export for that employee and saves
 * the JSON it returns as a file named as the service named it (Blob, object URL, <a download>).
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EmployeeDataExport } from '../../src-shared/contract.js';
import EmployeeList from '../../src-renderer/admin/EmployeeList.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { locale } from '../../src-renderer/lib/i18n.js';
import { callsTo, fail, ok, removeBridge, stubBridge } from './bridge.js';

const TOKEN = 'token-0123456789abcdef';
const minjun = { id: 5, code: 'E1001', name: '김민준', department: '개발팀', active: true, consentedAt: '2025-01-01', faceTemplates: 3, voiceTemplates: 0 };
const ana = { ...minjun, id: 9, code: 'E1002', name: 'Ana Silva', department: 'Sales' };

function exportOf(employee: typeof minjun): EmployeeDataExport {
  return {
    format: 'attendance-kiosk/employee-data/v3',
    exportedAt: '2025-05-12T09:00:00.000Z',
    kioskId: 'front-desk',
    employee: { id: employee.id, code: employee.code, name: employee.name, department: employee.department, active: true, createdAt: '2025-01-01T00:00:00.000Z', deactivatedAt: null, hasClockInPin: false },
    consents: [{ textVersion: 'consent-v1', consentedAt: '2025-01-01T00:00:00.000Z', withdrawnAt: null }],
    attendance: [],
    biometricTemplates: [],
    rawCaptures: [],
    recognitionAttempts: [],
    history: [],
  };
}

/** Captures what the page hands to the browser's download machinery. */
function watchDownloads() {
  const blobs: Blob[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.push(blob as Blob);
    return `blob:export-${blobs.length}`;
  });
  const clicked: { href: string; download: string; attached: boolean }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download, attached: this.isConnected });
  });
  return { blobs, clicked };
}

describe('employee data export', () => {
  afterEach(() => {
    removeBridge();
    vi.restoreAllMocks();
    locale.set('en');
  });

  it('exports the chosen employee and downloads the JSON under the returned filename', async () => {
    const invoke = stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [minjun, ana] }),
      'admin.employees.export': ({ employeeId }) => {
        const employee = employeeId === ana.id ? ana : minjun;
        return ok<'admin.employees.export'>({ filename: `employee-${employee.code}-data.json`, data: exportOf(employee) });
      },
    });
    const { blobs, clicked } = watchDownloads();
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('Ana Silva')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Export data' }));

    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(callsTo(invoke, 'admin.employees.export')).toEqual([{ employeeId: 9, token: TOKEN }]);
    expect(clicked[0]).toEqual({ href: 'blob:export-1', download: 'employee-E1002-data.json', attached: true });
    expect(blobs[0]?.type).toBe('application/json');
    expect(JSON.parse(await blobs[0]!.text())).toEqual(exportOf(ana));
    expect(await screen.findByText('Data of Ana Silva saved as employee-E1002-data.json.')).toBeTruthy();
    // The temporary link is gone again.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });

  it('is worded in Korean, and a refused export downloads nothing and says why', async () => {
    locale.set('ko');
    stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [minjun] }),
      'admin.employees.export': () => fail('NOT_FOUND', 'no such employee'),
    });
    const { clicked } = watchDownloads();
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: '데이터 내보내기' }));
    expect(await screen.findByText('찾을 수 없습니다. 이미 삭제되었을 수 있으니 목록을 새로 고쳐 주세요.')).toBeTruthy();
    expect(clicked).toEqual([]);
  });
});
