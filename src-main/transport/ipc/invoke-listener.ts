/**
 * The listener main.ts registers with `ipcMain.handle(INVOKE_CHANNEL, …)`, kept free of
 * Electron so the IPC path can be tested under Node: it answers only the app's own page and
 * hands everything else to the same dispatcher the HTTP transport uses.
 */
import type { HandlerName, Reply } from '../../../src-shared/contract.js';
import type { Dispatch } from '../../handlers/table.js';
import { isAppUrl } from './window-config.js';

/** The part of Electron's IpcMainInvokeEvent the listener reads. */
export interface InvokeEventLike {
  readonly senderFrame?: { readonly url: string } | null;
}

export type InvokeListener = (event: InvokeEventLike, name: unknown, input: unknown) => Promise<Reply<HandlerName>>;

export function createInvokeListener(dispatch: Dispatch): InvokeListener {
  return async (event, name, input) => {
    // Only the app's own page may call the handlers (not an iframe or a page navigated elsewhere).
    if (!isAppUrl(senderUrl(event))) {
      return { ok: false, error: { code: 'FORBIDDEN_ORIGIN', message: 'Calls are accepted from the kiosk page only.' } };
    }
    // A non-string name is named by its type only: String() of a crafted value may throw.
    return dispatch(typeof name === 'string' ? name : `[${typeof name}]`, input);
  };
}

/** '' when the frame is gone (Electron may throw or answer null once it navigated or closed). */
function senderUrl(event: InvokeEventLike): string {
  try {
    const url = event?.senderFrame?.url;
    return typeof url === 'string' ? url : '';
  } catch {
    return '';
  }
}
