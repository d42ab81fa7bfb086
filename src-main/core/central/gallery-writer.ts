/**
 * Writes to the central gallery (staff, templates, settings): what enrollment, deactivation and
 * erasure do when the server is the authority. Every write runs in one transaction that first
 * takes the gallery advisory lock, so revisions become visible in commit order (see migration
 * 0001) and no kiosk can skip a late commit. Templates are sealed here, on the enrolling machine,
 * with the gallery key and the kiosk's template AAD: the server receives ciphertext only.
 */
import type { BiometricModality } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import type { ModelRef } from '../runtime/model-ref.js';
import type { JsonValue } from '../store/canonical-json.js';
import { encodeVector } from '../store/template-codec.js';
import type { TemplateCipher } from '../store/template-cipher.js';
import { templateAad, type CaptureMeasure } from '../store/template-repository.js';
import { requireText } from '../store/validate.js';
import { inTransaction, type CentralClient } from './connection.js';
import type pg from 'pg';

export interface CentralTemplate {
  readonly modality: BiometricModality;
  readonly model: ModelRef;
  readonly vector: Float32Array;
  readonly capture: CaptureMeasure;
}

export class CentralGalleryWriter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly cipher: TemplateCipher,
    /** The version `cipher` seals with (a function: a kiosk's changes after a rotation). */
    private readonly keyVersion: number | (() => number),
  ) {}

  private write<T>(fn: (client: CentralClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(gallery_lock_key())');
      return fn(client);
    });
  }

  /**
   * DUPLICATE when the code is taken (case-insensitively). `pinHash`: the PIN fallback's scrypt
   * hash (core/auth/pin-hash.ts), never the PIN. Returns the server's id.
   */
  async createEmployee(input: { code: string; name: string; department?: string; pinHash?: string }): Promise<number> {
    const code = requireText('code', input.code, 64);
    const name = requireText('name', input.name, 200);
    const department = requireText('department', input.department ?? '', 200, true);
    try {
      return await this.write(async (client) => {
        const row = await client.query<{ id: string }>('INSERT INTO employees (code, name, department, pin_hash) VALUES ($1, $2, $3, $4) RETURNING id', [
          code,
          name,
          department,
          input.pinHash ?? null,
        ]);
        return Number(row.rows[0]?.id);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') throw new KioskError('DUPLICATE', `employee code ${code} is already taken`, { field: 'code', code });
      throw error;
    }
  }

  /** Adds sealed templates for the employee (and lifts an earlier erasure). NOT_FOUND for an unknown employee. */
  async addTemplates(employeeId: number, templates: readonly CentralTemplate[]): Promise<number[]> {
    return this.write(async (client) => {
      const employee = await client.query('UPDATE employees SET erased_at = NULL WHERE id = $1 RETURNING id', [employeeId]);
      if (employee.rowCount === 0) throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      const ids: number[] = [];
      for (const t of templates) {
        const sealed = this.cipher.seal(encodeVector(t.vector), templateAad(employeeId, t.modality, t.model.id, t.model.sha256));
        const row = await client.query<{ id: string }>(
          `INSERT INTO templates (employee_id, modality, model_id, model_sha256, sealed, dim, detection_score, speech_seconds, key_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            employeeId,
            t.modality,
            t.model.id,
            t.model.sha256,
            Buffer.from(sealed),
            t.vector.length,
            'detectionScore' in t.capture ? t.capture.detectionScore : null,
            'speechSeconds' in t.capture ? t.capture.speechSeconds : null,
            typeof this.keyVersion === 'number' ? this.keyVersion : this.keyVersion(),
          ],
        );
        ids.push(Number(row.rows[0]?.id));
      }
      return ids;
    });
  }

  /**
   * Biometric erasure: every template of the employee becomes a tombstone without its
   * ciphertext and the employee is marked erased; every kiosk deletes its copies at its next
   * pull. Returns how many templates were erased. NOT_FOUND for an unknown employee.
   */
  async eraseBiometrics(employeeId: number): Promise<number> {
    return this.write(async (client) => {
      const employee = await client.query('UPDATE employees SET erased_at = now() WHERE id = $1 RETURNING id', [employeeId]);
      if (employee.rowCount === 0) throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      const erased = await client.query('UPDATE templates SET deleted_at = now(), sealed = NULL WHERE employee_id = $1 AND deleted_at IS NULL', [employeeId]);
      return erased.rowCount ?? 0;
    });
  }

  async setActive(employeeId: number, active: boolean): Promise<void> {
    await this.write(async (client) => {
      const row = await client.query(
        'UPDATE employees SET active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE coalesce(deactivated_at, now()) END WHERE id = $1 RETURNING id',
        [employeeId, active],
      );
      if (row.rowCount === 0) throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
    });
  }

  /** A company-wide kiosk setting; each kiosk validates it against its own schema. */
  async setSetting(key: string, value: JsonValue): Promise<void> {
    await this.write(async (client) => {
      await client.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()',
        [requireText('key', key, 128), JSON.stringify(value)],
      );
    });
  }
}
