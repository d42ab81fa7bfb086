/**
 * Where the desktop app finds its parts. Packaged, models and migrations are extraResources
 * beside app.asar (electron.config.ts) and the renderer is inside the asar; in development
 * everything is in the repository. The database and the sealed key live in the user's
 * application-data folder either way.
 */
import { join } from 'node:path';

export interface AppLocations {
  readonly isPackaged: boolean;
  /** process.resourcesPath */
  readonly resourcesPath: string;
  /** app.getAppPath(): the asar, or the repository root in development. */
  readonly appPath: string;
  /** app.getPath('userData') */
  readonly userData: string;
}

export interface AppPaths {
  readonly modelsDir: string;
  readonly migrationsDir: string;
  readonly rendererDir: string;
  readonly dbPath: string;
  readonly sealedKeyPath: string;
}

export function appPaths(where: AppLocations): AppPaths {
  const shipped = where.isPackaged ? where.resourcesPath : where.appPath;
  return {
    modelsDir: join(shipped, 'models'),
    migrationsDir: join(shipped, 'migrations'),
    rendererDir: join(where.appPath, 'dist-renderer'),
    dbPath: join(where.userData, 'kiosk.db'),
    sealedKeyPath: join(where.userData, 'template-key.sealed'),
  };
}
