/**
 * The ONLY module that reads or writes raw_captures: the enrollment photos and spoken phrases
 * the templates were made from, kept only while an admin has turned `storeRawCaptures` on.
 * They are sealed with the template key exactly like the templates, with an AAD naming the
 * employee, kind, media type and time, so a copy of the database file shows no photo or sound
 * and a blob moved onto another row fails to open.
 */
import { KioskError } from '../errors.js';
import type { KioskDatabase } from './database.js';
import { isForeignKeyViolation } from './sqlite-errors.js';
import type { TemplateCipher } from './template-cipher.js';
import { invalid, requireId, requireOneOf, requireText, toIsoTime } from './validate.js';

export type RawCaptureKind = 'face-image' | 'voice-pcm';
export const RAW_CAPTURE_KINDS: readonly RawCaptureKind[] = ['face-image', 'voice-pcm'];

export interface NewRawCapture {
  readonly employeeId: number;
  readonly kind: RawCaptureKind;
  /** e.g. 'image/jpeg' or 'audio/x-pcm-f32le; rate=16000' (see the helpers below). */
  readonly mediaType: string;
  readonly content: Uint8Array;
}

export interface RawCaptureInfo {
  readonly id: number;
  readonly employeeId: number;
  readonly kind: RawCaptureKind;
  readonly mediaType: string;
  readonly bytes: number;
  readonly createdAt: string;
}

export interface RawCapture extends RawCaptureInfo {
  readonly content: Uint8Array;
}

interface RawCaptureRow {
  id: number;
  employee_id: number;
  kind: RawCaptureKind;
  media_type: string;
  bytes: number;
  created_at: string;
}

const INFO_COLUMNS = 'id, employee_id, kind, media_type, bytes, created_at';
/** Above the HTTP transport's body limit: no capture that reached a handler is refused here. */
const MAX_BYTES = 16 * 1024 * 1024;

export class RawCaptureRepository {
  constructor(
    private readonly db: KioskDatabase,
    private readonly cipher: TemplateCipher,
  ) {}

  /** NOT_FOUND for an unknown employee; INVALID_INPUT for empty or oversized content. */
  add(capture: NewRawCapture): RawCaptureInfo {
    const employeeId = requireId('employeeId', capture.employeeId);
    const kind = requireOneOf('kind', capture.kind, RAW_CAPTURE_KINDS);
    const mediaType = requireText('mediaType', capture.mediaType, 100);
    const content = capture.content;
    if (!(content instanceof Uint8Array) || content.length === 0 || content.length > MAX_BYTES) {
      throw invalid('content', `must be 1..${MAX_BYTES} bytes`);
    }
    const createdAt = toIsoTime('now', this.db.now());
    const sealed = this.cipher.seal(content, aadFor(employeeId, kind, mediaType, createdAt));
    try {
      const id = this.db.connection
        .prepare('INSERT INTO raw_captures (employee_id, kind, media_type, bytes, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(employeeId, kind, mediaType, content.length, sealed, createdAt).lastInsertRowid;
      return { id: Number(id), employeeId, kind, mediaType, bytes: content.length, createdAt };
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new KioskError('NOT_FOUND', `no employee with id ${employeeId}`, { id: employeeId });
      throw error;
    }
  }

  /** Metadata of the employee's captures, oldest first. */
  listInfoForEmployee(employeeId: number): RawCaptureInfo[] {
    const rows = this.db.connection
      .prepare(`SELECT ${INFO_COLUMNS} FROM raw_captures WHERE employee_id = ? ORDER BY id`)
      .all(requireId('employeeId', employeeId)) as RawCaptureRow[];
    return rows.map(toInfo);
  }

  /** The employee's captures opened (for their own data export); TEMPLATE_TAMPERED when one fails to open. */
  listForEmployee(employeeId: number): RawCapture[] {
    const rows = this.db.connection
      .prepare(`SELECT ${INFO_COLUMNS}, sealed FROM raw_captures WHERE employee_id = ? ORDER BY id`)
      .all(requireId('employeeId', employeeId)) as (RawCaptureRow & { sealed: Buffer })[];
    return rows.map((row) => {
      let content: Uint8Array;
      try {
        content = this.cipher.open(row.sealed, aadFor(row.employee_id, row.kind, row.media_type, row.created_at));
      } catch (error) {
        if (error instanceof KioskError) {
          throw new KioskError('TEMPLATE_TAMPERED', `raw capture ${row.id}: ${error.message}`, { rawCaptureId: row.id });
        }
        throw error;
      }
      return { ...toInfo(row), content };
    });
  }

  /** Erases every capture of the employee; returns how many. */
  deleteForEmployee(employeeId: number): number {
    return this.db.connection.prepare('DELETE FROM raw_captures WHERE employee_id = ?').run(requireId('employeeId', employeeId)).changes;
  }

  /** All captures, or one employee's. */
  count(employeeId?: number): number {
    const row =
      employeeId === undefined
        ? this.db.connection.prepare('SELECT count(*) AS n FROM raw_captures').get()
        : this.db.connection.prepare('SELECT count(*) AS n FROM raw_captures WHERE employee_id = ?').get(requireId('employeeId', employeeId));
    return (row as { n: number }).n;
  }
}

/** The image's media type from its magic bytes (the decoder accepts JPEG, PNG, GIF and PGM/PPM). */
export function imageMediaType(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes[0] === 0x50 && bytes[1] !== undefined && bytes[1] >= 0x31 && bytes[1] <= 0x36) return 'image/x-portable-anymap';
  return 'application/octet-stream';
}

/** Little-endian float32 mono PCM, as the microphone sends it. */
export function pcmMediaType(sampleRate: number): string {
  return `audio/x-pcm-f32le; rate=${sampleRate}`;
}

/** Little-endian bytes of PCM samples (the same bytes the transport decoded them from). */
export function pcmBytes(pcm: Float32Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < pcm.length; i++) view.setFloat32(i * 4, pcm[i]!, true);
  return bytes;
}

function aadFor(employeeId: number, kind: string, mediaType: string, createdAt: string): string {
  return `kiosk-raw-capture/v1|employee=${employeeId}|kind=${kind}|media=${mediaType}|at=${createdAt}`;
}

function toInfo(row: RawCaptureRow): RawCaptureInfo {
  return { id: row.id, employeeId: row.employee_id, kind: row.kind, mediaType: row.media_type, bytes: row.bytes, createdAt: row.created_at };
}
