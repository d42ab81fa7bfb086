/**
 * The live gallery of one modality: loaded from the store at start, then changed in place by
 * enrollment, erasure and deactivation, so clock-ins never reload the database.
 *
 * Two template rules: 'each' keeps every enrolled vector as a row and an employee scores by
 * their best row (face shots under different poses); 'mean' keeps one row per employee built
 * from all their vectors by `combine` (voice phrases: the voice engine's enrollment template).
 */
import { type BiometricModality } from '../../../src-shared/vocabulary.js';
import { KioskError } from '../errors.js';
import { Gallery, type Candidate, type GalleryTemplate } from './gallery.js';
import type { ModelRef } from '../runtime/model-ref.js';
import type { Similarity, Vector } from './energy.js';

export type TemplateRule = { readonly kind: 'each' } | { readonly kind: 'mean'; readonly combine: (vectors: readonly Float32Array[]) => Float32Array };

/** Where the stored templates come from: TemplateRepository.listActive satisfies it. */
export interface TemplateSource {
  listActive(modality: BiometricModality, model: ModelRef): Iterable<GalleryTemplate & { readonly vector: Float32Array }>;
}

interface Enrolled {
  readonly templateId: number;
  readonly vector: Float32Array;
}

export class ModalityGallery {
  private gallery: Gallery | null = null;
  private readonly members = new Set<number>();
  /** Only for the 'mean' rule: the vectors each employee's row is built from. */
  private readonly vectors = new Map<number, Enrolled[]>();

  constructor(
    readonly modality: BiometricModality,
    readonly model: ModelRef,
    private readonly similarity: Similarity,
    private readonly rule: TemplateRule,
  ) {}

  /** Adds every active employee's stored templates of this modality and model. */
  load(source: TemplateSource): void {
    for (const template of source.listActive(this.modality, this.model)) this.add(template.employeeId, template.id, template.vector);
  }

  add(employeeId: number, templateId: number, vector: Float32Array): void {
    const gallery = (this.gallery ??= new Gallery(vector.length, this.similarity));
    if (this.rule.kind === 'each') {
      gallery.add({ id: templateId, employeeId, vector });
      this.members.add(employeeId);
      return;
    }
    const list = [...(this.vectors.get(employeeId) ?? []), { templateId, vector }];
    const combined = this.rule.combine(list.map((e) => e.vector));
    // Checked before the old row goes, so a bad vector leaves the gallery as it was.
    if (combined.length !== gallery.dim) {
      throw new KioskError('INVALID_INPUT', `${this.modality} vector has ${combined.length} values, the gallery holds ${gallery.dim}`);
    }
    gallery.removeEmployee(employeeId);
    gallery.add({ id: templateId, employeeId, vector: combined });
    this.vectors.set(employeeId, list);
    this.members.add(employeeId);
  }

  removeEmployee(employeeId: number): void {
    this.members.delete(employeeId);
    this.vectors.delete(employeeId);
    this.gallery?.removeEmployee(employeeId);
  }

  /** Best distinct employees, best first; empty when nobody is enrolled. */
  search(probe: Vector, k = 2): Candidate[] {
    return this.gallery === null || this.gallery.size === 0 ? [] : this.gallery.search(probe, k);
  }

  /** The claimed employee's score (their best row): null when they have no row here. */
  scoreOf(probe: Vector, employeeId: number): Candidate | null {
    return this.gallery === null ? null : this.gallery.scoreOf(probe, employeeId);
  }

  /** Rows a verification of this employee compares with (0 when not enrolled in this modality). */
  templatesOf(employeeId: number): number {
    return this.gallery?.templatesOf(employeeId) ?? 0;
  }

  /** Rows a search compares with: every template under 'each', one per employee under 'mean'. */
  get templateCount(): number {
    return this.gallery?.size ?? 0;
  }

  get employeeCount(): number {
    return this.members.size;
  }

  /** Ids of the employees this gallery can recognise. */
  employees(): ReadonlySet<number> {
    return this.members;
  }
}
