/**
 * The one table of handlers both transports serve. `dispatch(name, input)` validates the input
 * against the contract's schema, decodes the binary payloads, checks the admin session where
 * the handler needs one, calls the service and always answers a `Reply`: a value, the
 * KioskError a service raised, or — for anything unexpected — INTERNAL with a generic message
 * (the real error goes to the log, never to the caller). It never throws.
 */
import { isKioskError, KioskError } from '../core/errors.js';
import type { Kiosk } from './kiosk.js';
import type { KioskSettings } from '../core/context/settings.js';
import { exportEmployeeData } from '../core/privacy/employee-export.js';
import type { Logger } from '../core/logger.js';
import { schemas, type HandlerName, type Outputs, type Reply, type ValidInput } from '../../src-shared/contract.js';
import { decodeBase64, decodeFloat32 } from './payload.js';

export type Handlers = { readonly [N in HandlerName]: (input: ValidInput<N>) => Promise<Outputs[N]> | Outputs[N] };

export type Dispatch = (name: string, input: unknown) => Promise<Reply<HandlerName>>;

export function createHandlers(kiosk: Kiosk): Handlers {
  const { auth, clock, enrollment, reports } = kiosk;
  const actor = (token: string): string => auth.authorize(token).actor;
  return {
    'kiosk.status': () => kiosk.status(),
    'kiosk.phrase': ({ locale }) => clock.issuePhrase(locale),
    'face.detect': ({ image }) => clock.detect(decodeBase64(image, 'image')),
    // Issued whatever the liveness mode: the mode in force when clock.face arrives decides the check.
    'clock.face.challenge': () => clock.issueFaceChallenge(),
    'clock.face': ({ frames, challengeId }) => clock.clockFace(frames.map((frame, i) => decodeBase64(frame, `frames.${i}`)), challengeId),
    'clock.voice': ({ phraseId, pcmBase64, sampleRate }) => clock.clockVoice(phraseId, decodeFloat32(pcmBase64, 'pcmBase64'), sampleRate),
    'clock.pin': ({ code, pin }) => clock.clockPin(code, pin),

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
    'admin.employees.list': ({ token, includeInactive }) => {
      auth.authorize(token);
      return { employees: enrollment.list(includeInactive) };
    },
    'admin.employees.create': async ({ token, code, name, department, pin }) => ({
      employee: await enrollment.create(actor(token), { code, name, department, ...(pin === undefined ? {} : { pin }) }),
    }),
    'admin.employees.consent': ({ token, employeeId, textVersion }) => ({
      employee: enrollment.recordConsent(actor(token), employeeId, textVersion),
    }),
    'admin.enroll.face': ({ token, employeeId, image, pose }) =>
      enrollment.enrollFace(actor(token), employeeId, decodeBase64(image, 'image'), pose),
    'admin.enroll.voice': ({ token, employeeId, pcmBase64, sampleRate }) =>
      enrollment.enrollVoice(actor(token), employeeId, decodeFloat32(pcmBase64, 'pcmBase64'), sampleRate),
    'admin.employees.reenroll': ({ token, employeeId }) => ({ employee: enrollment.reenroll(actor(token), employeeId) }),
    'admin.employees.deactivate': ({ token, employeeId }) => ({ employee: enrollment.deactivate(actor(token), employeeId) }),
    'admin.employees.erase': ({ token, employeeId }) => enrollment.erase(actor(token), employeeId),
    'admin.employees.export': ({ token, employeeId }) => exportEmployeeData(kiosk.context, actor(token), employeeId),
    'admin.settings.get': ({ token }) => {
      auth.authorize(token);
      return { settings: kiosk.settings.getAll() };
    },
    'admin.settings.set': ({ token, settings }) => {
      const who = actor(token);
      const { store } = kiosk.context;
      // All or nothing: one refused value leaves every setting as it was.
      store.db.transaction(() => {
        // The repository checks the key and the value against the settings' own schemas.
        for (const [key, value] of Object.entries(settings)) kiosk.settings.set(key as keyof KioskSettings, value as KioskSettings[keyof KioskSettings]);
        store.audit.append({ actor: who, action: 'settings.set', details: { changed: JSON.parse(JSON.stringify(settings)) } });
      });
      return { settings: kiosk.settings.getAll() };
    },
    'reports.timesheet': ({ token, from, to, employeeId }) => {
      auth.authorize(token);
      return { rows: reports.timesheet(from, to, employeeId) };
    },
    'reports.csv': ({ token, from, to }) => {
      const who = actor(token);
      const result = reports.csv(from, to);
      kiosk.context.store.audit.append({ actor: who, action: 'reports.csv', details: { from, to } });
      return result;
    },
  };
}

export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (name, input) => {
    try {
      if (typeof name !== 'string' || !Object.hasOwn(schemas, name)) {
        throw new KioskError('UNKNOWN_HANDLER', `There is no handler called ${JSON.stringify(String(name).slice(0, 64))}.`);
      }
      const handlerName = name as HandlerName;
      const parsed = schemas[handlerName].safeParse(input);
      if (!parsed.success) {
        throw new KioskError('INVALID_INPUT', `Invalid input for ${handlerName}: ${parsed.error.issues.map(describeIssue).join('; ')}`, {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), code: issue.code, message: issue.message })),
        });
      }
      const handler = handlers[handlerName] as (input: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: (await handler(parsed.data)) as Outputs[HandlerName] };
    } catch (error) {
      if (isKioskError(error)) return { ok: false, error: error.toJSON() };
      log.error(`handler ${String(name).slice(0, 64)} failed unexpectedly`, error);
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the kiosk. The problem was logged.' } };
    }
  };
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`;
}
