/**
 * One opened kiosk database with every repository wired to it. The template cipher is chosen
 * by the caller: the Electron app derives it from the OS keychain, server mode from a key file.
 */
import { RawCaptureRepository } from './raw-capture-repository.js';
import { AttendanceRepository } from './attendance-repository.js';
import { RecognitionAttemptRepository } from './attempt-repository.js';
import { AuditLog } from './audit-log.js';
import { ConsentRepository } from './consent-repository.js';
import { openDatabase, type KioskDatabase, type OpenDatabaseOptions } from './database.js';
import { EmployeeRepository } from './employee-repository.js';
import { SettingsRepository, type SettingsSpec } from './settings-repository.js';
import type { TemplateCipher } from './template-cipher.js';
import { TemplateRepository } from './template-repository.js';

export interface OpenStoreOptions<S> extends OpenDatabaseOptions {
  readonly cipher: TemplateCipher;
  readonly settings: SettingsSpec<S>;
}

export interface Store<S extends Record<string, unknown>> {
  readonly db: KioskDatabase;
  readonly employees: EmployeeRepository;
  readonly consents: ConsentRepository;
  readonly templates: TemplateRepository;
  /** Raw enrollment captures, written only while the storeRawCaptures setting is on. */
  readonly rawCaptures: RawCaptureRepository;
  readonly attendance: AttendanceRepository;
  /** Every face and voice decision, bounded (migration 0008): the admin's numbers, no biometric data. */
  readonly attempts: RecognitionAttemptRepository;
  readonly audit: AuditLog;
  readonly settings: SettingsRepository<S>;
  close(): void;
}

export function openStore<S extends Record<string, unknown>>(path: string, options: OpenStoreOptions<S>): Store<S> {
  const db = openDatabase(path, options);
  return {
    db,
    employees: new EmployeeRepository(db),
    consents: new ConsentRepository(db),
    templates: new TemplateRepository(db, options.cipher),
    rawCaptures: new RawCaptureRepository(db, options.cipher),
    attendance: new AttendanceRepository(db),
    attempts: new RecognitionAttemptRepository(db),
    audit: new AuditLog(db),
    settings: new SettingsRepository(db, options.settings),
    close: () => db.close(),
  };
}
