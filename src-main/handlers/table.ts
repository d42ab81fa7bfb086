/**
 * The one table of handlers both transports serve. `dispatch(name, input)` validates the input
 * against the contract's schema, checks the admin session of every handler whose input carries a
 * token, decodes the binary payloads, calls the service and always answers a `Reply`: a value, the
 * KioskError a service raised, or — for anything unexpected — INTERNAL with a generic message
 * (the real error goes to the log, never to the caller). It never throws.
 */
import { isKioskError, KioskError } from '../core/errors.js';
import type { Kiosk } from './kiosk.js';
import { recognitionHealth } from '../core/admin/recognition-health.js';
import type { AdminSession } from '../core/auth/admin-auth.js';
import { exportEmployeeData } from '../core/privacy/employee-export.js';
import type { Logger } from '../core/logger.js';
import { schemas, type HandlerName, type Outputs, type Reply, type ValidInput } from '../../src-shared/contract.js';
import { decodeBase64, decodeFloat32 } from './payload.js';

/** Handlers whose input carries an admin session token: the dispatcher authorises them, once, before the call. */
export type AdminHandlerName = { [N in HandlerName]: ValidInput<N> extends { token: string } ? N : never }[HandlerName];

type Handler<N extends HandlerName> = N extends AdminHandlerName
  ? (input: ValidInput<N>, admin: AdminSession) => Promise<Outputs[N]> | Outputs[N]
  : (input: ValidInput<N>) => Promise<Outputs[N]> | Outputs[N];

export interface HandlerTable {
  readonly handlers: { readonly [N in HandlerName]: Handler<N> };
  /** UNAUTHORIZED unless the token names a live admin session. */
  authorize(token: string): AdminSession;
}

export type Dispatch = (name: string, input: unknown) => Promise<Reply<HandlerName>>;

export function createHandlers(kiosk: Kiosk): HandlerTable {
  const { auth, clock, enrollment, reports, settings } = kiosk;
  return {
    authorize: (token) => auth.authorize(token),
    handlers: {
      'kiosk.status': () => kiosk.status(),
      'kiosk.phrase': ({ locale }) => clock.issuePhrase(locale),
      'face.detect': ({ image }) => clock.detect(decodeBase64(image, 'image')),
      // Issued whatever the liveness mode: the mode in force when clock.face arrives decides the check.
      'clock.face.challenge': () => clock.issueFaceChallenge(),
      'clock.face': ({ frames, challengeId, employeeCode }) =>
        clock.clockFace(
          frames.map((frame, i) => decodeBase64(frame, `frames.${i}`)),
          { ...(challengeId === undefined ? {} : { challengeId }), ...(employeeCode === undefined ? {} : { employeeCode }) },
        ),
      'clock.voice': ({ phraseId, pcmBase64, sampleRate, employeeCode }) => clock.clockVoice(phraseId, decodeFloat32(pcmBase64, 'pcmBase64'), sampleRate, employeeCode),
      'clock.pin': ({ code, pin }) => clock.clockPin(code, pin),
      'clock.undo': ({ undoToken }) => clock.undo(undoToken),

      'admin.login': async ({ pin }) => {
        const session = await auth.login(pin);
        return { token: session.token, expiresAt: session.expiresAt.toISOString(), pinIsDefault: session.pinIsDefault };
      },
      'admin.logout': ({ token }) => {
        auth.logout(token);
        return { ok: true };
      },
      'admin.pin.change': async ({ token, currentPin, newPin }) => {
        await auth.changePin(token, currentPin, newPin);
        return { ok: true };
      },
      'admin.employees.list': ({ includeInactive }) => ({ employees: enrollment.list(includeInactive) }),
      'admin.employees.create': async ({ code, name, department, pin }, { actor }) => ({
        employee: await enrollment.create(actor, { code, name, department, ...(pin === undefined ? {} : { pin }) }),
      }),
      'admin.employees.consent': ({ employeeId, textVersion }, { actor }) => ({ employee: enrollment.recordConsent(actor, employeeId, textVersion) }),
      'admin.enroll.face': ({ employeeId, image, pose }, { actor }) => enrollment.enrollFace(actor, employeeId, decodeBase64(image, 'image'), pose),
      'admin.enroll.voice': ({ employeeId, pcmBase64, sampleRate }, { actor }) =>
        enrollment.enrollVoice(actor, employeeId, decodeFloat32(pcmBase64, 'pcmBase64'), sampleRate),
      'admin.employees.reenroll': ({ employeeId }, { actor }) => ({ employee: enrollment.reenroll(actor, employeeId) }),
      'admin.employees.deactivate': ({ employeeId }, { actor }) => ({ employee: enrollment.deactivate(actor, employeeId) }),
      'admin.employees.reactivate': ({ employeeId }, { actor }) => ({ employee: enrollment.reactivate(actor, employeeId) }),
      'admin.employees.erase': ({ employeeId }, { actor }) => enrollment.erase(actor, employeeId),
      'admin.employees.delete': ({ employeeId }, { actor }) => enrollment.delete(actor, employeeId),
      'admin.employees.export': ({ employeeId }, { actor }) => exportEmployeeData(kiosk.context, actor, employeeId),
      'admin.recognition.health': (_input, { actor }) => recognitionHealth(kiosk.context, actor),
      'admin.central.kiosks': async () => (kiosk.central === undefined ? { link: null, kiosks: [] } : { link: kiosk.central.link(), kiosks: await kiosk.central.kiosks() }),
      'admin.recognition.attempts': ({ limit }) => ({ attempts: kiosk.context.store.attempts.recent(limit), kept: kiosk.context.store.attempts.keep }),
      'admin.settings.get': () => ({ settings: settings.getAll() }),
      'admin.settings.set': ({ settings: changes }, { actor }) => ({ settings: settings.update(actor, changes) }),
      'reports.timesheet': ({ from, to, employeeId }) => ({ rows: reports.timesheet(from, to, employeeId) }),
      'reports.csv': ({ from, to }, { actor }) => reports.csv(actor, from, to),
    },
  };
}

export function createDispatcher(table: HandlerTable, log: Logger): Dispatch {
  return async (name, payload) => {
    try {
      if (typeof name !== 'string' || !Object.hasOwn(schemas, name)) {
        throw new KioskError('UNKNOWN_HANDLER', `There is no handler called ${JSON.stringify(String(name).slice(0, 64))}.`);
      }
      const handlerName = name as HandlerName;
      const parsed = schemas[handlerName].safeParse(payload);
      if (!parsed.success) {
        throw new KioskError('INVALID_INPUT', `Invalid input for ${handlerName}: ${parsed.error.issues.map(describeIssue).join('; ')}`, {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), code: issue.code, message: issue.message })),
        });
      }
      const input: unknown = parsed.data;
      // Every handler whose input has a token is an admin handler: one check here, none forgotten.
      const admin = hasToken(input) ? table.authorize(input.token) : undefined;
      const handler = table.handlers[handlerName] as (input: unknown, admin: AdminSession | undefined) => Promise<unknown> | unknown;
      return { ok: true, value: (await handler(input, admin)) as Outputs[HandlerName] };
    } catch (error) {
      if (isKioskError(error)) return { ok: false, error: error.toJSON() };
      log.error(`handler ${String(name).slice(0, 64)} failed unexpectedly`, error);
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the kiosk. The problem was logged.' } };
    }
  };
}

function hasToken(input: unknown): input is { token: string } {
  return typeof input === 'object' && input !== null && typeof (input as { token?: unknown }).token === 'string';
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`;
}
