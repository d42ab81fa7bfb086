/** Where tests find the shared real data sets; tests skip with a message when it is absent. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dataDir = process.env.KIOSK_DATA_DIR ?? resolve(repoRoot, '../shared/data');
export const hasData = existsSync(resolve(dataDir, 'README.md'));

/** Path inside the shared data folder. */
export const data = (...parts: string[]): string => resolve(dataDir, ...parts);

if (!hasData) {
  console.warn(`[tests] shared data not found at ${dataDir}: data-dependent tests are skipped (set KIOSK_DATA_DIR).`);
}
