/**
 * One valid input of every handler of the contract, shared by the contract tests and the fuzz
 * (which mutates them). The caller gives the admin token and the encoded frame and audio to use.
 */
import type { HandlerName } from '../../src-shared/contract.js';

const DAY = '2025-01-01';

export interface SampleValues {
  readonly token: string;
  /** Base64 image. */
  readonly frame: string;
  /** Base64 little-endian Float32 PCM. */
  readonly pcm: string;
}

export function validInputs({ token, frame, pcm }: SampleValues): { [N in HandlerName]: Record<string, unknown> } {
  return {
    'kiosk.status': {},
    'kiosk.phrase': { locale: 'en' },
    'face.detect': { image: frame },
    'clock.face.challenge': {},
    'clock.face': { frames: [frame], challengeId: '0123456789abcdef0123456789abcdef' },
    'clock.voice': { phraseId: 'p', pcmBase64: pcm, sampleRate: 16000 },
    'clock.undo': { undoToken: 'a'.repeat(32) },
    'clock.pin': { code: 'E1', pin: '1234' },
    'admin.login': { pin: '123456' },
    'admin.logout': { token },
    'admin.pin.change': { token, currentPin: '1234', newPin: '5678' },
    'admin.employees.list': { token, includeInactive: true },
    'admin.employees.create': { token, code: 'N1', name: 'Name', department: 'D', pin: '1234' },
    'admin.employees.consent': { token, employeeId: 1, textVersion: 'v1' },
    'admin.enroll.face': { token, employeeId: 1, image: frame, pose: 'front' },
    'admin.enroll.voice': { token, employeeId: 1, pcmBase64: pcm, sampleRate: 16000 },
    'admin.employees.reenroll': { token, employeeId: 1 },
    'admin.employees.deactivate': { token, employeeId: 1 },
    'admin.employees.reactivate': { token, employeeId: 1 },
    'admin.employees.erase': { token, employeeId: 1 },
    'admin.employees.delete': { token, employeeId: 1 },
    'admin.employees.export': { token, employeeId: 1 },
    'admin.recognition.health': { token },
    'admin.central.kiosks': { token },
    'admin.recognition.attempts': { token, limit: 50 },
    'admin.settings.get': { token },
    'admin.settings.set': { token, settings: { debounceMinutes: 2 } },
    'reports.timesheet': { token, from: DAY, to: DAY, employeeId: 1 },
    'reports.csv': { token, from: DAY, to: DAY },
  };
}
