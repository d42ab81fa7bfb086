/**
 * The renderer's only bridge to the main process: `window.kiosk.invoke(name, input)`, which
 * forwards to the handler table over the single 'kiosk:invoke' channel and resolves with its
 * Reply. Nothing else of Electron or Node is exposed. CommonJS (.cts → .cjs) because sandboxed
 * preloads cannot be ES modules, and self-contained because they cannot require local files.
 */
import { contextBridge, ipcRenderer } from 'electron';

const INVOKE_CHANNEL = 'kiosk:invoke';

contextBridge.exposeInMainWorld('kiosk', {
  invoke: (name: unknown, input: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE_CHANNEL, String(name), input),
});
