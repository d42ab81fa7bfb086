/**
 * Composition root shared by both transports: opens the store, loads the engines, fills the
 * galleries from the stored templates and builds the services. The face engine is required
 * (a missing or corrupt face model stops start-up with an error naming the file); the voice
 * engine is optional: when its models are not installed the kiosk starts and reports voice as
 * unavailable, but a voice model that is present and fails its checksum still stops start-up.
 */
import { join } from 'node:path';
import { AdminAuth } from '../core/auth/admin-auth.js';
import { ClockService } from '../core/attendance/clock-service.js';
import type { CalibratedBiometric, FaceAnalyzer, ServiceContext, VoiceAnalyzer } from '../core/context/service-context.js';
import { EnrollmentService } from '../core/attendance/enrollment-service.js';
import { requireTimeZone, systemTimeZone } from '../core/attendance/local-day.js';
import { ModalityGallery } from '../core/match/modality-gallery.js';
import { recognitionModeInForce } from '../core/context/threshold-in-force.js';
import { PhraseIssuer } from '../core/attendance/phrases.js';
import type { ScryptCost } from '../core/auth/pin-hash.js';
import { ReportService } from '../core/attendance/report-service.js';
import { scheduleRetention, sweepRetention } from '../core/privacy/retention.js';
import { KIOSK_SETTINGS, SECURITY_SETTINGS, type KioskSettings, type SecuritySettings } from '../core/context/settings.js';
import { isKioskError } from '../core/errors.js';
import { FACE_MODEL_IDS, FaceEngine } from '../core/face/engine.js';
import { createSimilarity } from '../core/match/energy.js';
import { readCalibration, type ImpostorCalibration } from '../core/match/impostor-calibration.js';
import type { ModelRef } from '../core/runtime/model-ref.js';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import { OnnxHost, parseProviders, type ExecutionProvider } from '../core/runtime/onnx-host.js';
import { SettingsService } from '../core/admin/settings-service.js';
import { SettingsRepository } from '../core/store/settings-repository.js';
import { openStore, type Store } from '../core/store/store.js';
import { AuditAnchor } from '../core/store/audit-anchor.js';
import type { TemplateCipher } from '../core/store/template-cipher.js';
import type { Kiosk } from '../handlers/kiosk.js';
import { VOICE_ENCODER_ID, VOICE_VAD_ID, VoiceEngine } from '../core/voice/engine.js';
import { watchAuditIntegrity, type AuditWatch } from './audit-watch.js';
import { silentLogger, type Logger } from '../core/logger.js';

/** The audit chain's anchor file sits beside the database: `kiosk.db.audit-anchor`. */
const AUDIT_ANCHOR_SUFFIX = '.audit-anchor';

export interface OpenKioskOptions {
  readonly dbPath: string;
  readonly cipher: TemplateCipher;
  readonly modelsDir: string;
  readonly migrationsDir?: string;
  /** Written on every attendance event; e.g. the machine's host name. */
  readonly kioskId: string;
  /** IANA zone of the kiosk's calendar days; defaults to the system's. */
  readonly timeZone?: string;
  readonly now?: () => Date;
  /** First-run admin PIN (e.g. from KIOSK_ADMIN_PIN); without it the documented default is set. */
  readonly initialAdminPin?: string;
  readonly scryptCost?: ScryptCost;
  readonly providers?: readonly ExecutionProvider[];
  readonly log?: Logger;
}

export async function openKiosk(options: OpenKioskOptions): Promise<Kiosk> {
  const log = options.log ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const timeZone = requireTimeZone(options.timeZone ?? systemTimeZone());
  const store = openStore(options.dbPath, {
    cipher: options.cipher,
    settings: KIOSK_SETTINGS,
    now,
    ...(options.migrationsDir === undefined ? {} : { migrationsDir: options.migrationsDir }),
  });
  const host = new OnnxHost({ providers: options.providers ?? parseProviders(process.env.KIOSK_PROVIDERS) });
  let auditWatch: AuditWatch | undefined;
  try {
    // Before anything new is logged: entries cut from the chain's end are seen against its anchor.
    auditWatch = watchAuditIntegrity(store.audit, new AuditAnchor(`${options.dbPath}${AUDIT_ANCHOR_SUFFIX}`, options.cipher), log);
    const registry = await ModelRegistry.open(options.modelsDir);
    const face = await loadFace(host, options.modelsDir, registry, store, log);
    const voice = await loadVoice(host, options.modelsDir, registry, store, log);
    const context: ServiceContext = { store, face, voice, kioskId: options.kioskId, timeZone, now };
    const auth = await AdminAuth.create(
      {
        settings: new SettingsRepository<SecuritySettings>(store.db, SECURITY_SETTINGS),
        audit: store.audit,
        now,
        ...(options.scryptCost === undefined ? {} : { scryptCost: options.scryptCost }),
      },
      options.initialAdminPin,
    );
    const loaded = [...Object.values(FACE_MODEL_IDS), ...(voice === null ? [] : [VOICE_VAD_ID, VOICE_ENCODER_ID])];
    log.info(`models: ${loaded.join(', ')}${voice === null ? ' (voice unavailable)' : ''}`);
    // Erases the biometric data of employees deactivated longer than retentionDays: now, then daily.
    const retention = scheduleRetention(() => sweepRetention(context), log);
    return {
      context,
      enrollment: new EnrollmentService(context, options.scryptCost),
      clock: new ClockService(context, new PhraseIssuer({ now }), options.scryptCost),
      reports: new ReportService(context),
      auth,
      settings: new SettingsService(store),
      log,
      status: async () => ({
        ready: true,
        kioskId: options.kioskId,
        models: await providers(host, registry, options.modelsDir, loaded),
        enrolled: new Set([...face.gallery.employees(), ...(voice?.gallery.employees() ?? [])]).size,
        livenessMode: store.settings.get('livenessMode'),
        recognition: { face: recognitionModeInForce(context, 'face').mode, voice: voice === null ? null : recognitionModeInForce(context, 'voice').mode },
      }),
      close: async () => {
        retention.stop();
        closeAuditWatch(auditWatch, log);
        store.close();
        await host.release();
      },
    };
  } catch (error) {
    auditWatch?.stop();
    store.close();
    await host.release();
    throw error;
  }
}

/** Anchors the chain as the kiosk leaves it, so the next start compares against the latest head. */
function closeAuditWatch(watch: AuditWatch | undefined, log: Logger): void {
  watch?.stop();
  try {
    watch?.check();
  } catch (error) {
    log.error('audit log integrity check at close failed', error);
  }
}

async function loadFace(
  host: OnnxHost,
  modelsDir: string,
  registry: ModelRegistry,
  store: Store<KioskSettings>,
  log: Logger,
): Promise<CalibratedBiometric<FaceAnalyzer>> {
  const engine = await FaceEngine.create({ host, modelsDir });
  // dlib descriptors are compared by raw euclidean distance (its 0.6 rule), as score 1 − distance.
  const gallery = new ModalityGallery('face', engine.encoderModel, createSimilarity({ energy: 'euclidean' }), { kind: 'each' });
  gallery.load(store.templates);
  const calibration = await loadCalibration(registry, engine.encoderModel);
  if (calibration === null) log.warn(`face: ${FACE_MODEL_IDS.encoder} has no calibration table; the raw faceThreshold applies whatever the staff size`);
  return { engine, model: engine.encoderModel, gallery, calibration };
}

async function loadVoice(
  host: OnnxHost,
  modelsDir: string,
  registry: ModelRegistry,
  store: Store<KioskSettings>,
  log: Logger,
): Promise<CalibratedBiometric<VoiceAnalyzer> | null> {
  let engine: VoiceEngine;
  try {
    engine = await VoiceEngine.create({ host, modelsDir });
  } catch (error) {
    if (isKioskError(error, 'MODEL_MISSING')) {
      log.warn(`voice unavailable: ${error.message}`);
      return null;
    }
    throw error;
  }
  const { id, sha256 } = registry.entry(VOICE_ENCODER_ID);
  const model = { id, sha256 };
  const gallery = new ModalityGallery('voice', model, createSimilarity({ energy: 'cosine' }), {
    kind: 'mean',
    combine: (vectors) => engine.enrollmentTemplate(vectors),
  });
  gallery.load(store.templates);
  return { engine, model, gallery, calibration: await loadCalibration(registry, model) };
}

/** The encoder's impostor table when the manifest names one (checked against the model's sha256). */
async function loadCalibration(registry: ModelRegistry, model: ModelRef): Promise<ImpostorCalibration | null> {
  const path = await registry.calibrationPathOf(model.id);
  return path === null ? null : readCalibration(path, model);
}

async function providers(host: OnnxHost, registry: ModelRegistry, modelsDir: string, ids: readonly string[]): Promise<{ id: string; provider: string }[]> {
  const inUse = await host.providersInUse();
  return ids.map((id) => ({ id, provider: inUse[join(modelsDir, registry.entry(id).file)] ?? 'cpu' }));
}
