// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import EmployeeList from '../../src-renderer/admin/EmployeeList.svelte';
import ReportsPanel from '../../src-renderer/admin/ReportsPanel.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { callsTo, fail, ok, removeBridge, stubBridge } from './bridge.js';
import { locale } from '../../src-renderer/lib/i18n.js';

const TOKEN = 'token-0123456789abcdef';
const minjun = { id: 5, code: 'E1001', name: '김민준', department: '개발팀', active: true, consentedAt: '2025-01-01', faceTemplates: 3, voiceTemplates: 3 };

describe('employee list', () => {
  afterEach(removeBridge);

  it('erases biometrics only after the confirm dialog, and reports how many templates went', async () => {
    let erased = false;
    const invoke = stubBridge({
      'admin.employees.list': () =>
        ok<'admin.employees.list'>({ employees: [erased ? { ...minjun, faceTemplates: 0, voiceTemplates: 0 } : minjun] }),
      'admin.employees.erase': () => {
        erased = true;
        return ok<'admin.employees.erase'>({ employee: { ...minjun, faceTemplates: 0, voiceTemplates: 0 }, templatesErased: 6 });
      },
    });
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: 'Erase biometrics' }));

    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByText('Erase all biometric data of 김민준?')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(callsTo(invoke, 'admin.employees.erase')).toEqual([]);

    await fireEvent.click(within(row).getByRole('button', { name: 'Erase biometrics' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Erase biometrics' }));
    expect(await screen.findByText('6 templates erased.')).toBeTruthy();
    expect(callsTo(invoke, 'admin.employees.erase')).toEqual([{ employeeId: 5, token: TOKEN }]);
    await waitFor(() => expect(within(screen.getByText('김민준').closest('tr') as HTMLElement).getAllByText('0')).toHaveLength(2));
  });
  it('says which ways each employee can clock in, and deletes a never-enrolled one after the confirm dialog', async () => {
    const people = [
      minjun,
      { ...minjun, id: 6, code: 'E2', name: 'Face Person', voiceTemplates: 0 },
      { ...minjun, id: 7, code: 'E3', name: 'Voice Person', faceTemplates: 0 },
      { ...minjun, id: 8, code: 'E4', name: 'Half Made', faceTemplates: 0, voiceTemplates: 0, deletable: true },
      // Erased, but punched before: no Delete, only deactivation.
      { ...minjun, id: 9, code: 'E5', name: 'Has History', faceTemplates: 0, voiceTemplates: 0, deletable: false },
    ];
    let list = people;
    const invoke = stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: list }),
      'admin.employees.delete': () => {
        list = people.filter((p) => p.id !== 8);
        return ok<'admin.employees.delete'>({ deleted: { id: 8, code: 'E4' } });
      },
    });
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr') as HTMLElement;
    expect(within(await rowOf('김민준')).queryByTestId('enrolment')).toBeNull();
    expect(within(await rowOf('Face Person')).getByTestId('enrolment').textContent).toBe('Face only');
    expect(within(await rowOf('Voice Person')).getByTestId('enrolment').textContent).toBe('Voice only');
    const half = await rowOf('Half Made');
    expect(within(half).getByTestId('enrolment').textContent).toBe('Not enrolled');
    // Only the never-enrolled one can be deleted outright.
    expect(screen.getAllByRole('button', { name: 'Delete' })).toHaveLength(1);
    await fireEvent.click(within(half).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByText('Delete Half Made?')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Half Made (E4) was deleted. The code can be used again.')).toBeTruthy();
    expect(callsTo(invoke, 'admin.employees.delete')).toEqual([{ employeeId: 8, token: TOKEN }]);
    await waitFor(() => expect(screen.queryByText('Half Made')).toBeNull());
  });

  it('says in Korean why a deletion was refused, and which ways people can clock in', async () => {
    locale.set('ko');
    try {
      stubBridge({
        'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [{ ...minjun, faceTemplates: 0, voiceTemplates: 0, deletable: true }] }),
        'admin.employees.delete': () => fail('CONFLICT', 'employee E1001 has attendance or biometric data', { attendance: 2 }),
      });
      render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
      const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
      expect(within(row).getByTestId('enrolment').textContent).toBe('등록 안 됨');
      await fireEvent.click(within(row).getByRole('button', { name: '직원 삭제' }));
      await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '직원 삭제' }));
      expect(await screen.findByText('출퇴근 기록이나 생체 정보가 있어 삭제할 수 없습니다. 대신 비활성화하세요.')).toBeTruthy();
    } finally {
      locale.set('en');
    }
  });

  it('offers Reactivate for an inactive employee instead of Deactivate, and shows them active after it', async () => {
    let active = false;
    const invoke = stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [{ ...minjun, active }] }),
      'admin.employees.reactivate': () => {
        active = true;
        return ok<'admin.employees.reactivate'>({ employee: { ...minjun, active } });
      },
    });
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    expect(within(row).queryByRole('button', { name: 'Deactivate' })).toBeNull();
    await fireEvent.click(within(row).getByRole('button', { name: 'Reactivate' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reactivate' }));
    expect(callsTo(invoke, 'admin.employees.reactivate')).toEqual([{ employeeId: 5, token: TOKEN }]);
    await waitFor(() => expect(within(screen.getByText('김민준').closest('tr') as HTMLElement).getByRole('button', { name: 'Deactivate' })).toBeTruthy());
  });

  it('says in Korean why a reactivation was refused: the kept face matches someone enrolled since', async () => {
    locale.set('ko');
    stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [{ ...minjun, active: false }] }),
      'admin.employees.reactivate': () => fail('DUPLICATE', 'This face already matches 김민서 (E2002); enrollment refused.', { employeeId: 9, name: '김민서', code: 'E2002' }),
    });
    render(EmployeeList, { api: adminCall(TOKEN, vi.fn()) });
    const row = (await screen.findByText('김민준')).closest('tr') as HTMLElement;
    await fireEvent.click(within(row).getByRole('button', { name: '재활성화' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '재활성화' }));
    expect(await screen.findByText(/김민서\(E2002\)님과 일치하여 비활성 상태로 둡니다/)).toBeTruthy();
    locale.set('en');
  });
});

describe('reports', () => {
  afterEach(() => {
    removeBridge();
    vi.restoreAllMocks();
  });

  it('shows the timesheet with a bar per day and downloads the CSV through a Blob link', async () => {
    const invoke = stubBridge({
      'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [minjun] }),
      'reports.timesheet': () =>
        ok<'reports.timesheet'>({
          rows: [
            { employeeId: 5, code: 'E1001', name: '김민준', day: '2025-05-12', firstIn: '2025-05-12T08:58:00', lastOut: '2025-05-12T17:30:00', hours: 8.5 },
            { employeeId: 5, code: 'E1001', name: '김민준', day: '2025-05-14', firstIn: '2025-05-14T09:10:00', lastOut: null, hours: 0 },
          ],
        }),
      'reports.csv': () => ok<'reports.csv'>({ filename: 'timesheet-2025-05-12-2025-05-14.csv', csv: 'day,name,hours\n2025-05-12,김민준,8.5\n' }),
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:report';
    });
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });

    const { container } = render(ReportsPanel, { api: adminCall(TOKEN, vi.fn()) });
    await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2025-05-12' } });
    await fireEvent.input(screen.getByLabelText('To'), { target: { value: '2025-05-14' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));

    await waitFor(() => expect(container.querySelectorAll('tbody tr')).toHaveLength(2));
    expect(callsTo(invoke, 'reports.timesheet').at(-1)).toEqual({ from: '2025-05-12', to: '2025-05-14', token: TOKEN });
    expect(container.querySelectorAll('rect.bar')).toHaveLength(3); // three days, one without hours
    expect(container.querySelector('tfoot')?.textContent).toContain('8.50');

    await fireEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]?.download).toBe('timesheet-2025-05-12-2025-05-14.csv');
    expect(await blobs[0]?.text()).toBe('\uFEFFday,name,hours\n2025-05-12,김민준,8.5\n');
  });

  it('refuses a range that ends before it starts', async () => {
    stubBridge({ 'admin.employees.list': () => ok<'admin.employees.list'>({ employees: [] }) });
    render(ReportsPanel, { api: adminCall(TOKEN, vi.fn()) });
    await fireEvent.input(screen.getByLabelText('From'), { target: { value: '2025-05-14' } });
    await fireEvent.input(screen.getByLabelText('To'), { target: { value: '2025-05-12' } });
    expect(screen.getByText('The start date must not be after the end date.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Show' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
