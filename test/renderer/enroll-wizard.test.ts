// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmployeeSummary } from '../../src-shared/contract.js';
import EnrollWizard from '../../src-renderer/admin/EnrollWizard.svelte';
import { adminCall } from '../../src-renderer/admin/session.js';
import { callsTo, fail, ok, removeBridge, removeCamera, removeMediaDevices, stubBridge, stubCamera, stubMediaDevices } from './bridge.js';
import { locale } from '../../src-renderer/lib/i18n.js';

const TOKEN = 'token-0123456789abcdef';

const employee = (over: Partial<EmployeeSummary> = {}): EmployeeSummary => ({
  id: 12,
  code: 'E1001',
  name: '김민준',
  department: '개발팀',
  active: true,
  consentedAt: null,
  faceTemplates: 0,
  voiceTemplates: 0,
  ...over,
});

describe('enrollment wizard', () => {
  let getUserMedia: ReturnType<typeof stubMediaDevices>;
  let invoke: ReturnType<typeof stubBridge>;

  beforeEach(() => {
    getUserMedia = stubMediaDevices(async () => {
      throw new DOMException('no device', 'NotFoundError');
    });
    invoke = stubBridge({
      'admin.employees.create': (input) => ok<'admin.employees.create'>({ employee: employee({ name: input.name, code: input.code }) }),
      'admin.employees.consent': () => ok<'admin.employees.consent'>({ employee: employee({ consentedAt: '2025-05-12T08:00:00.000Z' }) }),
      'kiosk.phrase': () => ok<'kiosk.phrase'>({ phraseId: 'p1', text: 'The quick brown fox' }),
    });
  });

  afterEach(() => {
    removeBridge();
    removeMediaDevices();
  });

  async function createEmployee(): Promise<void> {
    await fireEvent.input(screen.getByLabelText('Full name (any script)'), { target: { value: '김민준' } });
    await fireEvent.input(screen.getByLabelText('Employee code'), { target: { value: 'E1001' } });
    await fireEvent.input(screen.getByLabelText('Department'), { target: { value: '개발팀' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create and continue' }));
    await screen.findByText('Consent to biometric processing');
  }

  it('refuses to capture before consent: no camera, no photo button, consent button locked until ticked', async () => {
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: null, onclose: vi.fn() });
    await createEmployee();
    expect(callsTo(invoke, 'admin.employees.create')).toEqual([
      { name: '김민준', code: 'E1001', department: '개발팀', token: TOKEN },
    ]);

    expect(getUserMedia).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Take photo' })).toBeNull();
    const record = screen.getByRole('button', { name: 'Record consent' }) as HTMLButtonElement;
    expect(record.disabled).toBe(true);
    await fireEvent.click(record);
    expect(callsTo(invoke, 'admin.employees.consent')).toEqual([]);
    expect(callsTo(invoke, 'admin.enroll.face')).toEqual([]);
    expect(getUserMedia).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByLabelText('김민준 has read this and agrees'));
    expect(record.disabled).toBe(false);
    await fireEvent.click(record);

    await screen.findByText('Look straight at the camera');
    expect(callsTo(invoke, 'admin.employees.consent')).toEqual([{ employeeId: 12, textVersion: 'consent-v1', token: TOKEN }]);
    await waitFor(() => expect(getUserMedia).toHaveBeenCalledTimes(1));
    expect(screen.getByText('Photo 1 of 3')).toBeTruthy();
    // The stubbed machine has no camera: the wizard says so instead of failing silently.
    expect(await screen.findByText('No camera found')).toBeTruthy();
  });

  it('stays on the consent step when the service did not record the consent', async () => {
    stubBridge({ 'admin.employees.consent': () => ok<'admin.employees.consent'>({ employee: employee({ consentedAt: null }) }) });
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: employee(), onclose: vi.fn() });
    await fireEvent.click(screen.getByLabelText('김민준 has read this and agrees'));
    await fireEvent.click(screen.getByRole('button', { name: 'Record consent' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByText('Consent to biometric processing')).toBeTruthy();
    expect(screen.queryByText('Look straight at the camera')).toBeNull();
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('re-enrolls an employee who consented earlier straight at the face step', async () => {
    render(EnrollWizard, {
      api: adminCall(TOKEN, vi.fn()),
      employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z' }),
      onclose: vi.fn(),
    });
    expect(screen.getByText('Re-enroll 김민준')).toBeTruthy();
    expect(screen.getByText('Look straight at the camera')).toBeTruthy();
    await waitFor(() => expect(getUserMedia).toHaveBeenCalledTimes(1));
  });

  it('cancelling after the record was made, before anything was captured, deletes the new employee (EN and KO)', async () => {
    const onclose = vi.fn();
    invoke = stubBridge({
      'admin.employees.create': (input) => ok<'admin.employees.create'>({ employee: employee({ name: input.name, code: input.code }) }),
      'admin.employees.delete': () => ok<'admin.employees.delete'>({ deleted: { id: 12, code: 'E1001' } }),
    });
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: null, onclose });
    // Before the record exists, Cancel just closes.
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    await createEmployee();
    locale.set('ko');
    await waitFor(() => expect(screen.getByRole('button', { name: '취소 후 삭제' })).toBeTruthy());
    locale.set('en');
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel and delete' }));
    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
    expect(callsTo(invoke, 'admin.employees.delete')).toEqual([{ employeeId: 12, token: TOKEN }]);
  });

  it('cancelling a re-enrollment deletes nobody', async () => {
    const onclose = vi.fn();
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z' }), onclose });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(callsTo(invoke, 'admin.employees.delete')).toEqual([]);
  });

  it('finishes with the face alone when the voice cannot be captured, and says which ways the person can clock in', async () => {
    removeMediaDevices();
    stubCamera();
    let shots = 0;
    invoke = stubBridge({
      'admin.enroll.face': () => {
        shots += 1;
        return ok<'admin.enroll.face'>({ employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z', faceTemplates: shots }), quality: {}, shotsNeeded: 3 - shots });
      },
      'kiosk.phrase': () => ok<'kiosk.phrase'>({ phraseId: 'p1', text: 'The quick brown fox' }),
    });
    try {
      render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z' }), onclose: vi.fn() });
      for (let i = 1; i <= 3; i++) {
        const shoot = await screen.findByRole('button', { name: 'Take photo' });
        await waitFor(() => expect((shoot as HTMLButtonElement).disabled).toBe(false));
        await fireEvent.click(shoot);
        await waitFor(() => expect(callsTo(invoke, 'admin.enroll.face')).toHaveLength(i));
      }
      await fireEvent.click(await screen.findByRole('button', { name: 'Next' }));
      // On the voice step with three photos taken: the way out that is not Cancel.
      await fireEvent.click(await screen.findByRole('button', { name: 'Finish with face only' }));
      expect((await screen.findByTestId('ways')).textContent).toBe('김민준 can clock in by face, not by voice.');
      // The step bar: face done (✓), voice skipped (no check mark).
      const bar = [...document.querySelectorAll('.steps li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
      expect(bar.slice(2, 4)).toEqual(['✓Face', '–Voice (skipped)']);
      locale.set('ko');
      await waitFor(() => expect(screen.getByTestId('ways').textContent).toBe('김민준님은 얼굴로 출퇴근을 기록할 수 있습니다. 음성으로는 할 수 없습니다.'));
    } finally {
      locale.set('en');
      removeCamera();
    }
  });

  it('keeps the wizard on a pose until the shot is turned the way asked, says which way to turn (EN and KO), and lets a person who cannot turn take it facing the camera', async () => {
    removeMediaDevices();
    stubCamera();
    let shots = 0;
    const answers: Record<string, ReturnType<typeof fail>[]> = {
      left: [fail('POSE_TURN_LEFT', 'not turned left', { asked: 'left', yawDeg: -14.2, turnedTo: 'right' })],
      right: [fail('POSE_TURN_RIGHT', 'not turned right', { asked: 'right', yawDeg: 1.5, turnedTo: 'none' })],
    };
    invoke = stubBridge({
      'admin.enroll.face': (input) => {
        const refusal = answers[input.pose]?.shift();
        if (refusal) return refusal;
        shots += 1;
        return ok<'admin.enroll.face'>({ employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z', faceTemplates: shots }), quality: {}, shotsNeeded: 3 - shots });
      },
    });
    const shoot = async (n: number): Promise<void> => {
      const button = await screen.findByRole('button', { name: 'Take photo' });
      await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
      await fireEvent.click(button);
      await waitFor(() => expect(callsTo(invoke, 'admin.enroll.face')).toHaveLength(n));
    };
    const poses = () => callsTo(invoke, 'admin.enroll.face').map((c) => (c as { pose: string }).pose);
    try {
      render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z' }), onclose: vi.fn() });
      await shoot(1);
      await screen.findByText('Photo 2 of 3');
      expect(screen.getByText('Turn your head slightly to your left')).toBeTruthy();
      // Turned the wrong way: refused, the wizard stays on "left" and says which way to turn.
      await shoot(2);
      expect((await screen.findByRole('alert')).textContent).toBe('This photo is not turned to your left — turn your head slightly to your own left, then take it again.');
      expect(screen.getByText('Photo 2 of 3')).toBeTruthy();
      expect(screen.getByText('Turn your head slightly to your left')).toBeTruthy();
      locale.set('ko');
      await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('이 사진은 왼쪽으로 돌아가 있지 않습니다. 본인 기준 왼쪽으로 고개를 살짝 돌린 뒤 다시 찍어 주세요.'));
      expect(screen.getByText('고개를 본인 기준 왼쪽으로 살짝 돌려 주세요')).toBeTruthy();
      locale.set('en');
      // Turned left this time: accepted, on to "right".
      await shoot(3);
      await screen.findByText('Photo 3 of 3');
      expect(screen.getByText('Turn your head slightly to your right')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Cannot turn? Take this one facing the camera' })).toBeNull();
      await shoot(4);
      expect((await screen.findByRole('alert')).textContent).toBe('This photo is not turned to your right — turn your head slightly to your own right, then take it again.');
      // A person who cannot turn their head: this one shot facing the camera.
      await fireEvent.click(screen.getByRole('button', { name: 'Cannot turn? Take this one facing the camera' }));
      expect(screen.getByText('Look straight at the camera')).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
      await shoot(5);
      await screen.findByRole('button', { name: 'Next' });
      expect(poses()).toEqual(['front', 'left', 'left', 'right', 'front']);
    } finally {
      locale.set('en');
      removeCamera();
    }
  });

  it('skips the photos for voice only; the voice step then offers no face-only finish', async () => {
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: employee({ consentedAt: '2025-01-02T09:00:00.000Z' }), onclose: vi.fn() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Voice only' }));
    expect(await screen.findByText('Phrase 1 of 3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Finish with face only' })).toBeNull();
    expect(callsTo(invoke, 'admin.enroll.face')).toEqual([]);
  });

  it('shows a duplicate employee code in plain words', async () => {
    stubBridge({ 'admin.employees.create': () => ({ ok: false, error: { code: 'DUPLICATE', message: 'UNIQUE constraint failed: employees.code' } }) });
    render(EnrollWizard, { api: adminCall(TOKEN, vi.fn()), employee: null, onclose: vi.fn() });
    await fireEvent.input(screen.getByLabelText('Full name (any script)'), { target: { value: 'Ana' } });
    await fireEvent.input(screen.getByLabelText('Employee code'), { target: { value: 'E1001' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create and continue' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That employee code is already in use.');
  });
});
