import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { createSimilarity, type Similarity } from '../../src-main/core/match/energy.js';
import { Gallery } from '../../src-main/core/match/gallery.js';
import { ModalityGallery } from '../../src-main/core/match/modality-gallery.js';
import { openDatabase } from '../../src-main/core/store/database.js';
import { EmployeeRepository } from '../../src-main/core/store/employee-repository.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { TemplateRepository } from '../../src-main/core/store/template-repository.js';

const cosine = createSimilarity({ energy: 'cosine' });
const euclid = createSimilarity({ energy: 'euclidean' });
const f = (...values: number[]): Float32Array => Float32Array.from(values);
const e1 = f(1, 0, 0, 0);
const e2 = f(0, 1, 0, 0);
const e3 = f(0, 0, 1, 0);
const diagonal12 = f(Math.SQRT1_2, Math.SQRT1_2, 0, 0);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KioskError) return error.code;
    throw error;
  }
  return 'no error';
}

/** Employee 1 has two templates (e1 and the e1/e2 diagonal), employee 2 has e2, employee 3 has e3. */
function orthogonalGallery(similarity: Similarity, initialCapacity?: number): Gallery {
  const gallery = new Gallery(4, similarity, initialCapacity);
  gallery.add({ id: 11, employeeId: 1, vector: e1 });
  gallery.add({ id: 12, employeeId: 1, vector: diagonal12 });
  gallery.add({ id: 21, employeeId: 2, vector: e2 });
  gallery.add({ id: 31, employeeId: 3, vector: e3 });
  return gallery;
}

// Probe (0.8, 0.6, 0, 0) is a unit vector. By hand:
//   cos to e1 = 0.8, to the diagonal = 1.4/√2 ≈ 0.98995, to e2 = 0.6, to e3 = 0.
//   squared distance between unit vectors = 2 − 2 cos.
const probe = f(0.8, 0.6, 0, 0);

describe('Gallery.search', () => {
  it('cosine: best and second best are distinct employees, each scored by their best template', () => {
    const result = orthogonalGallery(cosine).search(probe);
    expect(result.map((r) => [r.employeeId, r.templateId])).toEqual([
      [1, 12],
      [2, 21],
    ]);
    expect(result[0]?.score).toBeCloseTo(1.4 / Math.SQRT2, 6);
    expect(result[1]?.score).toBeCloseTo(0.6, 6);
  });

  it('euclidean: same ranking, scores 1 − distance', () => {
    const result = orthogonalGallery(euclid).search(probe, 3);
    expect(result.map((r) => r.employeeId)).toEqual([1, 2, 3]);
    expect(result[0]?.score).toBeCloseTo(1 - Math.sqrt(2 - 1.4 * Math.SQRT2), 6);
    expect(result[1]?.score).toBeCloseTo(1 - Math.sqrt(0.8), 6);
    expect(result[2]?.score).toBeCloseTo(1 - Math.SQRT2, 6);
  });

  it('euclidean on raw vectors keeps their scale; normalised euclidean does not', () => {
    const raw = new Gallery(2, euclid);
    raw.add({ id: 1, employeeId: 1, vector: f(3, 4) });
    raw.add({ id: 2, employeeId: 2, vector: f(0.6, 0.8) });
    // Distances from the origin: 5 and 1 → scores −4 and 0.
    const [nearest, farthest] = raw.search(f(0, 0));
    expect([nearest?.employeeId, farthest?.employeeId]).toEqual([2, 1]);
    expect(nearest?.score).toBeCloseTo(0, 6);
    expect(farthest?.score).toBeCloseTo(-4, 6);
    const unit = new Gallery(2, createSimilarity({ energy: 'euclidean', normalize: true }));
    unit.add({ id: 1, employeeId: 1, vector: f(3, 4) });
    // (3,4)/5 = (0.6,0.8): identical direction to the probe (6,8) → distance 0, score 1.
    expect(unit.search(f(6, 8), 1)[0]?.score).toBeCloseTo(1, 6);
  });

  it('cosine ignores the probe and template scale', () => {
    const result = orthogonalGallery(cosine).search(f(8, 6, 0, 0), 1);
    expect(result[0]?.score).toBeCloseTo(1.4 / Math.SQRT2, 6);
  });

  it('returns fewer candidates than k when fewer employees are enrolled, none when empty', () => {
    expect(orthogonalGallery(cosine).search(probe, 10).map((r) => r.employeeId)).toEqual([1, 2, 3]);
    expect(new Gallery(4, cosine).search(probe)).toEqual([]);
  });

  it('grows past its initial capacity without losing rows', () => {
    const gallery = orthogonalGallery(cosine, 1);
    expect(gallery.size).toBe(4);
    expect(gallery.employeeCount).toBe(3);
    expect(gallery.search(e3, 1)).toEqual([{ employeeId: 3, score: 1, templateId: 31 }]);
  });

  it('removes every template of one employee and keeps the others searchable', () => {
    const gallery = orthogonalGallery(cosine);
    expect(gallery.removeEmployee(1)).toBe(2);
    expect(gallery.size).toBe(2);
    expect(gallery.employeeCount).toBe(2);
    const result = gallery.search(probe);
    expect(result.map((r) => r.employeeId)).toEqual([2, 3]);
    expect(result[0]?.score).toBeCloseTo(0.6, 6);
    expect(gallery.search(e3, 1)).toEqual([{ employeeId: 3, score: 1, templateId: 31 }]);
    expect(gallery.removeEmployee(1)).toBe(0);
  });

  it('agrees with a brute-force reference on random data (per-employee max, sorted)', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const dim = 19; // not a multiple of 4: exercises the unrolled loops' tails
    for (const similarity of [cosine, euclid, createSimilarity({ energy: 'euclidean', normalize: true })]) {
      const gallery = new Gallery(dim, similarity, 4);
      const templates: { id: number; employeeId: number; vector: Float32Array }[] = [];
      let id = 1;
      for (let employeeId = 1; employeeId <= 40; employeeId++) {
        const copies = 1 + (employeeId % 4);
        for (let t = 0; t < copies; t++) {
          const template = { id: id++, employeeId, vector: Float32Array.from({ length: dim }, random) };
          templates.push(template);
          gallery.add(template);
        }
      }
      for (let trial = 0; trial < 20; trial++) {
        const query = Float32Array.from({ length: dim }, random);
        const bestPerEmployee = new Map<number, number>();
        for (const template of templates) {
          const score = similarity.score(query, template.vector);
          bestPerEmployee.set(template.employeeId, Math.max(bestPerEmployee.get(template.employeeId) ?? -Infinity, score));
        }
        const expected = [...bestPerEmployee.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
        const actual = gallery.search(query, 5);
        expect(actual.map((r) => r.employeeId)).toEqual(expected.map(([employeeId]) => employeeId));
        actual.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]?.[1] as number, 5));
      }
    }
  });

  it('refuses malformed probes, templates and k with INVALID_INPUT', () => {
    const gallery = orthogonalGallery(cosine);
    expect(codeOf(() => gallery.search(f(1, 0, 0)))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.search(f(Number.NaN, 0, 0, 0)))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.search(f(0, 0, 0, 0)))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.search([1, 0, 0, 0] as unknown as Float32Array))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.search(probe, 0))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.search(probe, 1.5))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.add({ id: 1, employeeId: 0, vector: e1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.add({ id: 1, employeeId: 1, vector: f(Number.POSITIVE_INFINITY, 0, 0, 0) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => gallery.add({ id: 1, employeeId: 1, vector: f(1, 2) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => new Gallery(0, cosine))).toBe('INVALID_INPUT');
    expect(gallery.size).toBe(4);
  });
});

describe('ModalityGallery.load', () => {
  it('loads the active employees’ templates of one modality and model from the store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-gallery-'));
    try {
      const db = openDatabase(join(dir, 'kiosk.db'));
      const employees = new EmployeeRepository(db);
      const templates = new TemplateRepository(db, new Aes256GcmCipher(randomBytes(32)));
      const model = { id: 'face-test', sha256: 'f'.repeat(64) };
      const kim = employees.create({ code: 'E1', name: '김민준' });
      const lee = employees.create({ code: 'E2', name: '이서연' });
      const left = employees.create({ code: 'E3', name: 'Left' });
      templates.add({ employeeId: kim.id, modality: 'face', model, vector: e1, capture: { detectionScore: 1 } });
      templates.add({ employeeId: lee.id, modality: 'face', model, vector: e2, capture: { detectionScore: 1 } });
      templates.add({ employeeId: lee.id, modality: 'voice', model, vector: e1, capture: { speechSeconds: 1 } });
      templates.add({ employeeId: left.id, modality: 'face', model, vector: probe, capture: { detectionScore: 1 } });
      employees.deactivate(left.id);

      const gallery = new ModalityGallery('face', model, cosine, { kind: 'each' });
      gallery.load(templates);
      expect(gallery.employeeCount).toBe(2);
      const result = gallery.search(probe);
      expect(result.map((r) => r.employeeId)).toEqual([kim.id, lee.id]);
      expect(result[0]?.score).toBeCloseTo(0.8, 6);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
