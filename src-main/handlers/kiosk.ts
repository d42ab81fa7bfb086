/**
 * What the handler table needs from an opened kiosk: its services and a status. The composition
 * roots (app/) build it; the handlers and the transports depend on this interface only.
 */
import type { CentralKioskRow, CentralLink, Outputs } from '../../src-shared/contract.js';
import type { SettingsService } from '../core/admin/settings-service.js';
import type { AdminAuth } from '../core/auth/admin-auth.js';
import type { ClockService } from '../core/attendance/clock-service.js';
import type { ServiceContext } from '../core/context/service-context.js';
import type { EnrollmentService } from '../core/attendance/enrollment-service.js';
import type { ReportService } from '../core/attendance/report-service.js';
import type { Logger } from '../core/logger.js';

export type KioskStatus = Outputs['kiosk.status'];

export interface Kiosk {
  readonly context: ServiceContext;
  readonly enrollment: EnrollmentService;
  readonly clock: ClockService;
  readonly reports: ReportService;
  readonly auth: AdminAuth;
  readonly settings: SettingsService;
  readonly log: Logger;
  status(): Promise<KioskStatus>;
  /** Only on a kiosk of a central server: its link, and every kiosk of that server. */
  readonly central?: CentralPort;
  close(): Promise<void>;
}

export interface CentralPort {
  link(): CentralLink;
  kiosks(): Promise<CentralKioskRow[]>;
}
