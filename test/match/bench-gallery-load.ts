/**
 * Start-up cost of a large gallery (not a test: nothing is asserted): seeds a temporary SQLite
 * file with sealed templates, then times TemplateRepository.listActive → ModalityGallery.load (what the kiosk does at start), which
 * decrypts every row. Usage:
 *   node --import tsx test/match/bench-gallery-load.ts [templates=100000] [dim=128]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { ModalityGallery } from '../../src-main/core/match/modality-gallery.js';
import { openDatabase } from '../../src-main/core/store/database.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { TemplateRepository } from '../../src-main/core/store/template-repository.js';

const templates = Number(process.argv[2] ?? 100_000);
const dim = Number(process.argv[3] ?? 128);
const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
try {
  const db = openDatabase(join(dir, 'kiosk.db'));
  const repository = new TemplateRepository(db, new Aes256GcmCipher(randomBytes(32)));
  const model = { id: 'bench', sha256: '0'.repeat(64) };
  const employees = Math.ceil(templates / 4);
  let start = performance.now();
  db.transaction(() => {
    const insert = db.connection.prepare("INSERT INTO employees (code, name, created_at) VALUES (?, ?, '2024-01-01T00:00:00.000Z')");
    for (let e = 1; e <= employees; e++) insert.run(`E${e}`, `Employee ${e}`);
    const vector = new Float32Array(dim);
    for (let row = 0; row < templates; row++) {
      for (let i = 0; i < dim; i++) vector[i] = Math.random() - 0.5;
      repository.add({ employeeId: Math.floor(row / 4) + 1, modality: 'face', model, vector, capture: { detectionScore: 1 } });
    }
  });
  console.log(`seed ${templates} sealed templates: ${(performance.now() - start).toFixed(0)} ms`);
  start = performance.now();
  const gallery = new ModalityGallery('face', model, createSimilarity({ energy: 'cosine' }), { kind: 'each' });
  gallery.load(repository);
  const ms = performance.now() - start;
  console.log(`load ${templates} templates (${gallery.employeeCount} employees) into the gallery: ${ms.toFixed(0)} ms (${((ms * 1000) / templates).toFixed(1)} µs per template)`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
