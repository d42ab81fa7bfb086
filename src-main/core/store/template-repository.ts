/**
 * The ONLY module that reads or writes biometric_templates. Vectors are stored as sealed
 * little-endian float32 blobs; the seal's AAD names employee, modality and model, so a blob
 * moved to another row (another person, another model) fails to open instead of matching.
 */
import { type BiometricModality, BIOMETRIC_MODALITIES } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import type { Statement } from 'better-sqlite3';
import type { ModelRef } from '../runtime/model-ref.js';
import type { KioskDatabase } from './database.js';
import { isForeignKeyViolation } from './sqlite-errors.js';
import { decodeVector, encodeVector } from './template-codec.js';
import type { TemplateCipher } from './template-cipher.js';
import { invalid, requireFinite, requireId, requireOneOf, toIsoTime } from './validate.js';



/** What the capture measured: a face shot's detector score (0..1), or a phrase's seconds of speech. */
export type CaptureMeasure = { readonly detectionScore: number } | { readonly speechSeconds: number };

export interface NewTemplate {
  readonly employeeId: number;
  readonly modality: BiometricModality;
  readonly model: ModelRef;
  readonly vector: Float32Array;
  /** detectionScore for a face, speechSeconds for a voice. */
  readonly capture: CaptureMeasure;
}

/** A template's row without its vector (for listings and data export). */
export interface TemplateInfo {
  readonly id: number;
  readonly employeeId: number;
  readonly modality: BiometricModality;
  readonly modelId: string;
  readonly modelSha256: string;
  readonly dim: number;
  readonly capture: CaptureMeasure;
  readonly createdAt: string;
}

export interface StoredTemplate extends TemplateInfo {
  readonly vector: Float32Array;
}

/** A row of the central gallery: the sealed blob as the server stores it. */
export interface SealedTemplateRow {
  readonly id: number;
  readonly employeeId: number;
  readonly modality: BiometricModality;
  readonly modelId: string;
  readonly modelSha256: string;
  readonly sealed: Uint8Array;
  readonly dim: number;
  readonly detectionScore: number | null;
  readonly speechSeconds: number | null;
  readonly createdAt: Date;
}

export interface TemplateCountFilter {
  readonly employeeId?: number;
  readonly modality?: BiometricModality;
  readonly model?: ModelRef;
}

interface TemplateRow {
  id: number;
  employee_id: number;
  modality: BiometricModality;
  model_id: string;
  model_sha256: string;
  dim: number;
  detection_score: number | null;
  speech_seconds: number | null;
  created_at: string;
}

const INFO_COLUMNS = 't.id, t.employee_id, t.modality, t.model_id, t.model_sha256, t.dim, t.detection_score, t.speech_seconds, t.created_at';
const MAX_DIM = 8192;
// Restricted so the AAD string below is unambiguous (no '|' or '=' inside a field).
const MODEL_ID = /^[A-Za-z0-9._:@/+-]{1,128}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export class TemplateRepository {
  // Prepared once: enrollment and gallery loads run these per template.
  private readonly insert: Statement;
  private readonly selectActive: Statement;

  constructor(
    private readonly db: KioskDatabase,
    private readonly cipher: TemplateCipher,
  ) {
    this.insert = db.connection.prepare(
      `INSERT INTO biometric_templates (employee_id, modality, model_id, model_sha256, vector, dim, detection_score, speech_seconds, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectActive = db.connection.prepare(
      `SELECT ${INFO_COLUMNS}, t.vector FROM biometric_templates t JOIN employees e ON e.id = t.employee_id
       WHERE t.modality = ? AND t.model_id = ? AND t.model_sha256 = ? AND e.active = 1
       ORDER BY t.id`,
    );
  }

  /**
   * NOT_FOUND for an unknown employee; INVALID_INPUT for an empty, oversized or non-finite vector,
   * or a capture measure that does not fit the modality.
   */
  add(template: NewTemplate): TemplateInfo {
    const employeeId = requireId('employeeId', template.employeeId);
    const modality = requireOneOf('modality', template.modality, BIOMETRIC_MODALITIES);
    const model = requireModel(template.model);
    const vector = requireVector(template.vector);
    const capture = requireCaptureMeasure(modality, template.capture);
    const createdAt = toIsoTime('now', this.db.now());
    const sealed = this.cipher.seal(encodeVector(vector), templateAad(employeeId, modality, model.id, model.sha256));
    try {
      const detectionScore = 'detectionScore' in capture ? capture.detectionScore : null;
      const speechSeconds = 'speechSeconds' in capture ? capture.speechSeconds : null;
      const id = this.insert.run(employeeId, modality, model.id, model.sha256, sealed, vector.length, detectionScore, speechSeconds, createdAt).lastInsertRowid;
      return { id: Number(id), employeeId, modality, modelId: model.id, modelSha256: model.sha256, dim: vector.length, capture, createdAt };
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      }
      throw error;
    }
  }

  /**
   * Decrypted templates of active employees for one modality and model version, streamed row
   * by row so a large gallery never exists twice in memory. The connection is busy until the
   * iteration ends. TEMPLATE_TAMPERED (with the template id) when a row fails to open.
   */
  listActive(modality: BiometricModality, model: ModelRef): IterableIterator<StoredTemplate> {
    return this.streamActive(requireOneOf('modality', modality, BIOMETRIC_MODALITIES), requireModel(model));
  }

  /** One employee's decrypted templates of one modality and model version, oldest first (whether active or not). */
  listForEmployee(employeeId: number, modality: BiometricModality, model: ModelRef): StoredTemplate[] {
    const checked = requireModel(model);
    const rows = this.db.connection
      .prepare(`SELECT ${INFO_COLUMNS}, t.vector FROM biometric_templates t WHERE t.employee_id = ? AND t.modality = ? AND t.model_id = ? AND t.model_sha256 = ? ORDER BY t.id`)
      .all(requireId('employeeId', employeeId), requireOneOf('modality', modality, BIOMETRIC_MODALITIES), checked.id, checked.sha256) as (TemplateRow & { vector: Buffer })[];
    return rows.map((row) => ({ ...toInfo(row), vector: this.openVector(row) }));
  }

  /** Metadata of every template of one employee, oldest first. */
  listInfoForEmployee(employeeId: number): TemplateInfo[] {
    const rows = this.db.connection
      .prepare(`SELECT ${INFO_COLUMNS} FROM biometric_templates t WHERE t.employee_id = ? ORDER BY t.id`)
      .all(requireId('employeeId', employeeId)) as TemplateRow[];
    return rows.map(toInfo);
  }

  /**
   * A template exactly as the central server holds it: already sealed (by the gallery key, with
   * this module's AAD), under the server's id. Replaces a row of the same id. Used only by the
   * central gallery cache (central-cache.ts); the blob is opened, as every row, when read.
   */
  putSealed(row: SealedTemplateRow): void {
    const employeeId = requireId('employeeId', row.employeeId);
    const modality = requireOneOf('modality', row.modality, BIOMETRIC_MODALITIES);
    const model = requireModel({ id: row.modelId, sha256: row.modelSha256 });
    if (!Number.isSafeInteger(row.dim) || row.dim <= 0 || row.dim > MAX_DIM) throw invalid('dim', `must be 1..${MAX_DIM}`);
    this.db.connection
      .prepare(
        `INSERT OR REPLACE INTO biometric_templates (id, employee_id, modality, model_id, model_sha256, vector, dim, detection_score, speech_seconds, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(requireId('id', row.id), employeeId, modality, model.id, model.sha256, Buffer.from(row.sealed), row.dim, row.detectionScore, row.speechSeconds, toIsoTime('createdAt', row.createdAt));
  }

  /** Erases one template by id (a tombstone from the central server); returns whether it existed. */
  deleteById(id: number): boolean {
    return this.db.connection.prepare('DELETE FROM biometric_templates WHERE id = ?').run(requireId('id', id)).changes > 0;
  }

  /** Erases every template of the employee (all modalities and models); returns how many. */
  deleteForEmployee(employeeId: number): number {
    return this.db.connection
      .prepare('DELETE FROM biometric_templates WHERE employee_id = ?')
      .run(requireId('employeeId', employeeId)).changes;
  }

  count(filter: TemplateCountFilter = {}): number {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    if (filter.employeeId !== undefined) {
      clauses.push('employee_id = ?');
      params.push(requireId('employeeId', filter.employeeId));
    }
    if (filter.modality !== undefined) {
      clauses.push('modality = ?');
      params.push(requireOneOf('modality', filter.modality, BIOMETRIC_MODALITIES));
    }
    if (filter.model !== undefined) {
      const model = requireModel(filter.model);
      clauses.push('model_id = ? AND model_sha256 = ?');
      params.push(model.id, model.sha256);
    }
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const row = this.db.connection
      .prepare(`SELECT count(*) AS n FROM biometric_templates ${where}`)
      .get(...params) as { n: number };
    return row.n;
  }

  private *streamActive(modality: BiometricModality, model: ModelRef): IterableIterator<StoredTemplate> {
    const rows = this.selectActive.iterate(modality, model.id, model.sha256) as IterableIterator<TemplateRow & { vector: Buffer }>;
    for (const row of rows) yield { ...toInfo(row), vector: this.openVector(row) };
  }

  private openVector(row: TemplateRow & { vector: Buffer }): Float32Array {
    let plain: Uint8Array;
    try {
      plain = this.cipher.open(row.vector, templateAad(row.employee_id, row.modality, row.model_id, row.model_sha256));
    } catch (error) {
      if (error instanceof KioskError) {
        throw new KioskError('TEMPLATE_TAMPERED', `template ${row.id}: ${error.message}`, { templateId: row.id });
      }
      throw error;
    }
    if (plain.length !== row.dim * 4) {
      throw new KioskError('TEMPLATE_TAMPERED', `template ${row.id} holds ${plain.length / 4} values, its row says ${row.dim}`, {
        templateId: row.id,
      });
    }
    return decodeVector(plain);
  }
}

export function templateAad(employeeId: number, modality: string, modelId: string, modelSha256: string): string {
  return `kiosk-template/v1|employee=${employeeId}|modality=${modality}|model=${modelId}|sha256=${modelSha256}`;
}

function requireModel(model: unknown): ModelRef {
  const candidate = model as Partial<ModelRef> | null | undefined;
  if (typeof candidate?.id !== 'string' || !MODEL_ID.test(candidate.id)) {
    throw invalid('model.id', 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ / + -');
  }
  if (typeof candidate.sha256 !== 'string' || !SHA256.test(candidate.sha256)) {
    throw invalid('model.sha256', 'must be 64 lower-case hex digits');
  }
  return { id: candidate.id, sha256: candidate.sha256 };
}

function requireVector(vector: unknown): Float32Array {
  if (!(vector instanceof Float32Array)) throw invalid('vector', 'must be a Float32Array');
  if (vector.length === 0 || vector.length > MAX_DIM) throw invalid('vector', `must have 1..${MAX_DIM} values`);
  if (!vector.every(Number.isFinite)) throw invalid('vector', 'must contain only finite numbers');
  return vector;
}

function toInfo(row: TemplateRow): TemplateInfo {
  return {
    id: row.id,
    employeeId: row.employee_id,
    modality: row.modality,
    modelId: row.model_id,
    modelSha256: row.model_sha256,
    dim: row.dim,
    capture: row.modality === 'face' ? { detectionScore: row.detection_score ?? 0 } : { speechSeconds: row.speech_seconds ?? 0 },
    createdAt: row.created_at,
  };
}

function requireCaptureMeasure(modality: BiometricModality, capture: CaptureMeasure): CaptureMeasure {
  if (modality === 'face') {
    const score = 'detectionScore' in capture ? requireFinite('capture.detectionScore', capture.detectionScore) : NaN;
    if (!(score >= 0 && score <= 1)) throw invalid('capture', 'a face template needs a detectionScore in 0..1');
    return { detectionScore: score };
  }
  const seconds = 'speechSeconds' in capture ? requireFinite('capture.speechSeconds', capture.speechSeconds) : NaN;
  if (!(seconds >= 0)) throw invalid('capture', 'a voice template needs speechSeconds of at least 0');
  return { speechSeconds: seconds };
}
