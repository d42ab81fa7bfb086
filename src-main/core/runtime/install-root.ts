/**
 * The folder that holds the kiosk's package.json: the repository in development (run by tsx),
 * also when compiled into dist-main/ (one level deeper), so default paths to models/,
 * migrations/ and dist-renderer/ do not depend on how deep the calling file sits. The packaged
 * app passes its resource folders explicitly (transport/ipc/app-paths.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function installRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return (cached = dir);
}
