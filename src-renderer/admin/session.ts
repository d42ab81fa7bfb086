/**
 * The admin token lives in memory only (never storage), inside the functions made here.
 * Every admin call adds it; a reply saying the session is no longer valid ends the session.
 * A call that changes who is enrolled is announced, whichever screen made it.
 */
import { KioskApiError, call, type HandlerInput, type HandlerName, type Outputs } from '../lib/api.js';
import { signalEnrollmentChange } from '../lib/enrollment.js';

/** Handlers that take the admin token. */
export type AdminHandler = {
  [N in HandlerName]: HandlerInput<N> extends { token: string } ? N : never;
}[HandlerName];

export type AdminInput<N extends AdminHandler> = Omit<HandlerInput<N>, 'token'>;
export type AdminCall = <N extends AdminHandler>(name: N, input: AdminInput<N>) => Promise<Outputs[N]>;

/**
 * UNAUTHORIZED on a token call means the session is unknown or expired — except from
 * `admin.pin.change`, where it means the current PIN was mistyped and the session lives on.
 */
export function endsSession(name: AdminHandler, err: unknown): boolean {
  return err instanceof KioskApiError && err.code === 'UNAUTHORIZED' && name !== 'admin.pin.change';
}

/** Admin calls after which an employee may have gained or lost every template. */
const CHANGES_ENROLLMENT: ReadonlySet<AdminHandler> = new Set<AdminHandler>([
  'admin.enroll.face',
  'admin.enroll.voice',
  'admin.employees.reenroll',
  'admin.employees.deactivate',
  'admin.employees.erase',
  'admin.employees.delete',
]);

export function adminCall(token: string, onSessionEnd: () => void): AdminCall {
  return async (name, input) => {
    try {
      const reply = await call(name, { ...input, token } as HandlerInput<typeof name>);
      if (CHANGES_ENROLLMENT.has(name)) signalEnrollmentChange();
      return reply;
    } catch (err) {
      if (endsSession(name, err)) onSessionEnd();
      throw err;
    }
  };
}
