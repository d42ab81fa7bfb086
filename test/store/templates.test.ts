import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database.js';
import { EmployeeRepository } from '../../src-main/core/store/employee-repository.js';
import { loadOrCreateKeyFile } from '../../src-main/core/store/key-file.js';
import { Aes256GcmCipher, type TemplateCipher } from '../../src-main/core/store/template-cipher.js';
import type { ModelRef } from '../../src-main/core/runtime/model-ref.js';
import { TemplateRepository } from '../../src-main/core/store/template-repository.js';
import { codeOf, tempDir } from './helpers.js';

const FACE_MODEL: ModelRef = { id: 'dlib-resnet-128', sha256: 'a'.repeat(64) };
const NEW_FACE_MODEL: ModelRef = { id: 'dlib-resnet-128', sha256: 'b'.repeat(64) };

/** Control for the at-rest test: stores vectors in the clear, proving the scan can see them. */
const plainCipher: TemplateCipher = { seal: (plain) => plain, open: (sealed) => sealed };

/** A distinctive embedding: values no allocator or SQLite page header would produce by chance. */
function embedding(seed: number, dim = 128): Float32Array {
  return Float32Array.from({ length: dim }, (_, i) => Math.sin(seed * 1000 + i * 0.37) * 0.31 + 0.001 * seed);
}

/** Little-endian float32 bytes of vector[i], vector[i + 1]: an 8-byte window of the plain blob, built by hand. */
function pairBytes(vector: Float32Array, i: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeFloatLE(vector[i] as number, 0);
  bytes.writeFloatLE(vector[i + 1] as number, 4);
  return bytes;
}

function setup(cipher: TemplateCipher): { db: KioskDatabase; path: string; employees: EmployeeRepository; templates: TemplateRepository } {
  const path = join(tempDir(), 'kiosk.db');
  const db = openDatabase(path);
  return { db, path, employees: new EmployeeRepository(db), templates: new TemplateRepository(db, cipher) };
}

const newCipher = (): Aes256GcmCipher => new Aes256GcmCipher(randomBytes(32));

describe('Aes256GcmCipher', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const cipher = newCipher();
    const plain = Uint8Array.from([1, 2, 3, 4, 5]);
    const a = cipher.seal(plain, 'row-1');
    const b = cipher.seal(plain, 'row-1');
    // format byte + 12-byte IV + 16-byte tag + ciphertext as long as the plain text
    expect(a.length).toBe(1 + 12 + 16 + 5);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect([...cipher.open(a, 'row-1')]).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a flipped bit, another AAD, a truncated blob or another key with TEMPLATE_TAMPERED', () => {
    const cipher = newCipher();
    const sealed = cipher.seal(Uint8Array.from([9, 8, 7, 6]), 'employee=1');
    for (let index = 0; index < sealed.length; index++) {
      const altered = Uint8Array.from(sealed);
      altered[index] = (altered[index] as number) ^ 0x01;
      expect(codeOf(() => cipher.open(altered, 'employee=1'))).toBe('TEMPLATE_TAMPERED');
    }
    expect(codeOf(() => cipher.open(sealed, 'employee=2'))).toBe('TEMPLATE_TAMPERED');
    expect(codeOf(() => cipher.open(sealed.subarray(0, 20), 'employee=1'))).toBe('TEMPLATE_TAMPERED');
    expect(codeOf(() => newCipher().open(sealed, 'employee=1'))).toBe('TEMPLATE_TAMPERED');
  });

  it('refuses a key that is not 32 bytes with KEY_INVALID', () => {
    expect(codeOf(() => new Aes256GcmCipher(randomBytes(16)))).toBe('KEY_INVALID');
    expect(codeOf(() => new Aes256GcmCipher('k'.repeat(32) as unknown as Uint8Array))).toBe('KEY_INVALID');
  });
});

describe('TemplateRepository', () => {
  it('returns exactly the stored float32 vectors of active employees for the asked modality and model', () => {
    const { db, employees, templates } = setup(newCipher());
    const kim = employees.create({ code: 'E1', name: '김민준' });
    const lee = employees.create({ code: 'E2', name: '이서연' });
    const gone = employees.create({ code: 'E3', name: 'Gone' });
    const v1 = embedding(1);
    const v2 = embedding(2);
    const t1 = templates.add({ employeeId: kim.id, modality: 'face', model: FACE_MODEL, vector: v1, capture: { detectionScore: 0.9 } });
    const t2 = templates.add({ employeeId: lee.id, modality: 'face', model: FACE_MODEL, vector: v2, capture: { detectionScore: 0.8 } });
    templates.add({ employeeId: gone.id, modality: 'face', model: FACE_MODEL, vector: embedding(3), capture: { detectionScore: 0.7 } });
    templates.add({ employeeId: kim.id, modality: 'voice', model: { id: 'voice-enc', sha256: 'c'.repeat(64) }, vector: embedding(4, 192), capture: { speechSeconds: 0.6 } });
    templates.add({ employeeId: kim.id, modality: 'face', model: NEW_FACE_MODEL, vector: embedding(5), capture: { detectionScore: 0.5 } });
    employees.deactivate(gone.id);

    const listed = [...templates.listActive('face', FACE_MODEL)];
    expect(listed.map((t) => [t.id, t.employeeId, t.dim, t.capture])).toEqual([
      [t1.id, kim.id, 128, { detectionScore: 0.9 }],
      [t2.id, lee.id, 128, { detectionScore: 0.8 }],
    ]);
    expect(listed[0]?.vector).toEqual(v1);
    // One employee's rows of one model, decrypted, whether active or not (reactivation reads them).
    expect(templates.listForEmployee(kim.id, 'face', FACE_MODEL).map((t) => [t.id, t.vector])).toEqual([[t1.id, v1]]);
    expect(templates.listForEmployee(gone.id, 'face', FACE_MODEL)).toHaveLength(1);
    expect(listed[1]?.vector).toEqual(v2);
    const [voice] = [...templates.listActive('voice', { id: 'voice-enc', sha256: 'c'.repeat(64) })];
    expect(voice?.vector).toEqual(embedding(4, 192));
    expect(voice?.capture).toEqual({ speechSeconds: 0.6 });
    db.close();
  });

  it('counts by employee, modality and model, and erases all of one employee', () => {
    const { db, employees, templates } = setup(newCipher());
    const a = employees.create({ code: 'A', name: 'A' });
    const b = employees.create({ code: 'B', name: 'B' });
    for (let i = 0; i < 3; i++) templates.add({ employeeId: a.id, modality: 'face', model: FACE_MODEL, vector: embedding(i), capture: { detectionScore: 1 } });
    templates.add({ employeeId: a.id, modality: 'voice', model: FACE_MODEL, vector: embedding(9), capture: { speechSeconds: 1 } });
    templates.add({ employeeId: b.id, modality: 'face', model: FACE_MODEL, vector: embedding(7), capture: { detectionScore: 1 } });
    expect(templates.count()).toBe(5);
    expect(templates.count({ employeeId: a.id })).toBe(4);
    expect(templates.count({ employeeId: a.id, modality: 'face' })).toBe(3);
    expect(templates.count({ model: NEW_FACE_MODEL })).toBe(0);
    expect(templates.listInfoForEmployee(a.id).map((t) => t.modality)).toEqual(['face', 'face', 'face', 'voice']);
    expect(templates.deleteForEmployee(a.id)).toBe(4);
    expect(templates.count()).toBe(1);
    expect(templates.count({ employeeId: b.id })).toBe(1);
    expect(templates.deleteForEmployee(a.id)).toBe(0);
    db.close();
  });

  it('refuses bad input with typed errors', () => {
    const { db, employees, templates } = setup(newCipher());
    const e = employees.create({ code: 'A', name: 'A' });
    const base = { employeeId: e.id, modality: 'face' as const, model: FACE_MODEL, vector: embedding(1), capture: { detectionScore: 1 } };
    expect(codeOf(() => templates.add({ ...base, employeeId: 999 }))).toBe('NOT_FOUND');
    expect(codeOf(() => templates.add({ ...base, vector: Float32Array.of(1, Number.NaN) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, vector: new Float32Array(0) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, vector: [1, 2] as unknown as Float32Array }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, modality: 'iris' as 'face' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, model: { id: 'm|x', sha256: 'a'.repeat(64) } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, model: { id: 'm', sha256: 'A'.repeat(64) } }))).toBe('INVALID_INPUT');
    // Each modality has its own capture measure: a face's detector score in 0..1, a voice's seconds of speech.
    expect(codeOf(() => templates.add({ ...base, capture: { detectionScore: Number.POSITIVE_INFINITY } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, capture: { detectionScore: 1.5 } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, capture: { speechSeconds: 3 } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, modality: 'voice', capture: { detectionScore: 0.9 } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.add({ ...base, modality: 'voice', capture: { speechSeconds: -1 } }))).toBe('INVALID_INPUT');
    expect(codeOf(() => templates.listActive('face', { id: '', sha256: 'a'.repeat(64) }))).toBe('INVALID_INPUT');
    expect(templates.count()).toBe(0);
    db.close();
  });

  it('leaves no float pattern of an embedding in a copy of the database file', () => {
    const vectors = [embedding(11), embedding(12), embedding(13)];
    const scan = (cipher: TemplateCipher): number => {
      const { db, path, employees, templates } = setup(cipher);
      const e = employees.create({ code: 'A', name: 'A' });
      for (const vector of vectors) templates.add({ employeeId: e.id, modality: 'face', model: FACE_MODEL, vector, capture: { detectionScore: 1 } });
      db.close(); // checkpoints the WAL into the main file: the copy an attacker would take
      const file = readFileSync(path);
      let found = 0;
      for (const vector of vectors) {
        for (let i = 0; i + 1 < vector.length; i += 2) if (file.includes(pairBytes(vector, i))) found++;
      }
      return found;
    };
    // Control: in the clear, every window is in the file (also proves the little-endian layout).
    expect(scan(plainCipher)).toBe(3 * 64);
    expect(scan(newCipher())).toBe(0);
  });

  it('reports an altered blob, a blob moved to another employee, or a forged dim as TEMPLATE_TAMPERED', () => {
    const { db, employees, templates } = setup(newCipher());
    const a = employees.create({ code: 'A', name: 'A' });
    const b = employees.create({ code: 'B', name: 'B' });
    const ta = templates.add({ employeeId: a.id, modality: 'face', model: FACE_MODEL, vector: embedding(1), capture: { detectionScore: 1 } });
    templates.add({ employeeId: b.id, modality: 'face', model: FACE_MODEL, vector: embedding(2), capture: { detectionScore: 1 } });
    const raw = db.connection;
    const load = (): unknown => [...templates.listActive('face', FACE_MODEL)];
    expect(load()).toHaveLength(2);

    // An attacker with write access to the file moves B's template onto A's row.
    const blobOfB = raw.prepare('SELECT vector FROM biometric_templates WHERE employee_id = ?').get(b.id) as { vector: Buffer };
    const original = raw.prepare('SELECT vector FROM biometric_templates WHERE id = ?').get(ta.id) as { vector: Buffer };
    raw.prepare('UPDATE biometric_templates SET vector = ? WHERE id = ?').run(blobOfB.vector, ta.id);
    expect(codeOf(load)).toBe('TEMPLATE_TAMPERED');

    const flipped = Buffer.from(original.vector);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x80;
    raw.prepare('UPDATE biometric_templates SET vector = ? WHERE id = ?').run(flipped, ta.id);
    expect(codeOf(load)).toBe('TEMPLATE_TAMPERED');

    raw.prepare('UPDATE biometric_templates SET vector = ?, dim = 64 WHERE id = ?').run(original.vector, ta.id);
    expect(codeOf(load)).toBe('TEMPLATE_TAMPERED');

    raw.prepare('UPDATE biometric_templates SET dim = 128 WHERE id = ?').run(ta.id);
    expect(load()).toHaveLength(2);
    db.close();
  });
});

describe('loadOrCreateKeyFile', () => {
  it('creates a 0600 file of 32 random bytes once and returns the same key afterwards', () => {
    const path = join(tempDir(), 'keys', 'template.key');
    const first = loadOrCreateKeyFile(path);
    expect(first.length).toBe(32);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(path).equals(first)).toBe(true);
    expect(readFileSync(path).equals(first)).toBe(true);
  });

  it('keeps templates readable across restarts with the same key file, and only with it', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'kiosk.db');
    const vector = embedding(21);
    const db = openDatabase(dbPath);
    const e = new EmployeeRepository(db).create({ code: 'A', name: 'A' });
    new TemplateRepository(db, new Aes256GcmCipher(loadOrCreateKeyFile(join(dir, 'k1')))).add({
      employeeId: e.id,
      modality: 'face',
      model: FACE_MODEL,
      vector,
      capture: { detectionScore: 1 },
    });
    db.close();
    const reopened = openDatabase(dbPath);
    const again = new TemplateRepository(reopened, new Aes256GcmCipher(loadOrCreateKeyFile(join(dir, 'k1'))));
    expect([...again.listActive('face', FACE_MODEL)][0]?.vector).toEqual(vector);
    const otherKey = new TemplateRepository(reopened, new Aes256GcmCipher(loadOrCreateKeyFile(join(dir, 'k2'))));
    expect(codeOf(() => [...otherKey.listActive('face', FACE_MODEL)])).toBe('TEMPLATE_TAMPERED');
    reopened.close();
  });

  it.skipIf(process.platform === 'win32')('refuses a key file readable by others with KEY_INSECURE', () => {
    const path = join(tempDir(), 'template.key');
    writeFileSync(path, randomBytes(32), { mode: 0o600 });
    chmodSync(path, 0o644);
    expect(codeOf(() => loadOrCreateKeyFile(path))).toBe('KEY_INSECURE');
    chmodSync(path, 0o640);
    expect(codeOf(() => loadOrCreateKeyFile(path))).toBe('KEY_INSECURE');
  });

  it('refuses a key file of the wrong size with KEY_INVALID and a folder with KEY_INSECURE', () => {
    const dir = tempDir();
    const path = join(dir, 'template.key');
    writeFileSync(path, randomBytes(31), { mode: 0o600 });
    expect(codeOf(() => loadOrCreateKeyFile(path))).toBe('KEY_INVALID');
    expect(codeOf(() => loadOrCreateKeyFile(dir))).toBe('KEY_INSECURE');
  });
});
