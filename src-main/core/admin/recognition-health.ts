/**
 * Recognition health of the staff actually enrolled, computed on the kiosk from the sealed
 * templates and never sent anywhere: per modality, the gallery's size, the threshold in force and
 * where it came from, the estimated rate of false accepts it implies, the closest pairs of
 * *different* employees (look-alikes, relatives, possible duplicate enrollments) and the
 * enrollments that are weak (few templates, or shots that do not agree with each other).
 *
 * Rates come from the encoder's impostor table (core/match/impostor-calibration.ts): at
 * threshold t a search against C templates accepts a stranger with probability
 * 1 − (1 − FMR(t))^C; a genuine search has the same chance of returning a colleague instead
 * (its C − k other templates), which is what makes a wrong-person punch. Without a table the
 * rates are unknown and reported as null.
 *
 * The mode it recommends compares the search threshold with the verification threshold on the
 * staff's own captures, each scored against the rest of the same person's (leave one out):
 * verify when searching would turn away RECOMMEND_VERIFY_ABOVE more of them than verifying does.
 */
import type { ModalityHealth, Outputs } from '../../../src-shared/contract.js';
import type { BiometricModality, RecognitionMode } from '../../../src-shared/vocabulary.js';
import { ENROLL_FACE_SHOTS, ENROLL_VOICE_PHRASES } from '../../../src-shared/vocabulary.js';
import { identifyThreshold, recognitionModeInForce, thresholdFor, type ThresholdInForce } from '../context/threshold-in-force.js';
import type { Biometric, FaceAnalyzer, ServiceContext, VoiceAnalyzer } from '../context/service-context.js';
import { createSimilarity, type Similarity } from '../match/energy.js';
import { fmrAtScore, type ImpostorCalibration } from '../match/impostor-calibration.js';
import type { Employee } from '../store/employee-repository.js';

export type RecognitionHealth = Outputs['admin.recognition.health'];

const CLOSEST_PAIRS = 10;
/** Extra share of the staff's own captures a search may refuse, over verification, before verify is recommended. */
export const RECOMMEND_VERIFY_ABOVE = 0.1;
const DAYS_OBSERVED = 30;
const DAY_MS = 86_400_000;

/** The report, audit-logged under `actor`: it is derived from everyone's biometric templates. */
export function recognitionHealth(context: ServiceContext, actor: string): RecognitionHealth {
  const { store } = context;
  const now = context.now();
  const punches = store.attendance.list({ from: new Date(now.getTime() - DAYS_OBSERVED * DAY_MS), to: new Date(now.getTime() + 1) }).filter((e) => e.modality !== 'pin');
  const clockInsPerDay = punches.length / DAYS_OBSERVED;
  const face = context.face;
  const report: RecognitionHealth = {
    computedAt: now.toISOString(),
    clockInsPerDay,
    face: modalityHealth(context, 'face', face, createSimilarity({ energy: 'euclidean' }), {
      search: identifyThreshold(context, 'face'),
      target: store.settings.get('faceFalseAcceptTarget'),
      calibration: face.calibration,
      shotsExpected: ENROLL_FACE_SHOTS,
      clockInsPerDay: punches.filter((e) => e.modality === 'face').length / DAYS_OBSERVED,
      // As the face gallery: every shot is a row, an employee scores by their best one.
      rows: (vectors) => vectors,
    }),
    voice:
      context.voice === null
        ? null
        : modalityHealth(context, 'voice', context.voice, createSimilarity({ energy: 'cosine' }), {
            search: identifyThreshold(context, 'voice'),
            target: store.settings.get('voiceFalseAcceptTarget'),
            calibration: context.voice.calibration,
            shotsExpected: ENROLL_VOICE_PHRASES,
            clockInsPerDay: punches.filter((e) => e.modality === 'voice').length / DAYS_OBSERVED,
            // As the voice gallery: one row per employee, the template of all their phrases.
            rows: (vectors) => [context.voice!.engine.enrollmentTemplate(vectors)],
          }),
  };
  store.audit.append({ actor, action: 'recognition.health', details: { faceEnrolled: report.face.enrolled, voiceEnrolled: report.voice?.enrolled ?? null } });
  return report;
}

interface Policy {
  /** The threshold of a search of everyone. */
  readonly search: ThresholdInForce;
  /** The modality's false-accept target setting. */
  readonly target: number | null;
  readonly calibration: ImpostorCalibration | null;
  readonly shotsExpected: number;
  readonly clockInsPerDay: number;
  /** The gallery rows an employee's templates make (the modality's template rule). */
  readonly rows: (vectors: readonly Float32Array[]) => readonly Float32Array[];
}

function modalityHealth(
  context: ServiceContext,
  modality: BiometricModality,
  biometric: Biometric<FaceAnalyzer | VoiceAnalyzer>,
  similarity: Similarity,
  policy: Policy,
): ModalityHealth {
  const { store } = context;
  const byEmployee = new Map<number, Float32Array[]>();
  for (const template of store.templates.listActive(modality, biometric.model)) {
    byEmployee.set(template.employeeId, [...(byEmployee.get(template.employeeId) ?? []), template.vector]);
  }
  const ids = [...byEmployee.keys()].sort((a, b) => a - b);
  const rows = new Map(ids.map((id) => [id, policy.rows(byEmployee.get(id)!)]));
  const employees = new Map(ids.map((id) => [id, store.employees.get(id)]));
  const counts = ids.map((id) => byEmployee.get(id)!.length);
  const comparisons = biometric.gallery.templateCount;
  const threshold = policy.search.threshold;
  const fmr = policy.calibration === null ? null : fmrAtScore(policy.calibration, threshold);
  const anyOf = (n: number): number | null => (fmr === null ? null : -Math.expm1(n * Math.log1p(-fmr)));
  const meanOwn = counts.length === 0 ? 0 : comparisons / counts.length;
  const strangerPerSearch = anyOf(comparisons);
  const wrongColleaguePerSearch = anyOf(Math.max(0, Math.round(comparisons - meanOwn)));

  const pairs: ModalityHealth['closestPairs'] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const score = bestScore(similarity, rows.get(ids[i]!)!, rows.get(ids[j]!)!);
      pairs.push({ a: person(employees.get(ids[i]!)!), b: person(employees.get(ids[j]!)!), score, aboveThreshold: score >= threshold });
    }
  }
  pairs.sort((x, y) => y.score - x.score);

  const weakEnrollments: ModalityHealth['weakEnrollments'] = [];
  for (const id of ids) {
    const vectors = byEmployee.get(id)!;
    const agreement = worstAgreement(similarity, vectors, rows.get(id)!);
    const reasons: ('few_templates' | 'low_agreement')[] = [];
    if (vectors.length < policy.shotsExpected) reasons.push('few_templates');
    if (agreement !== null && agreement < threshold) reasons.push('low_agreement');
    if (reasons.length > 0) weakEnrollments.push({ employee: person(employees.get(id)!), templates: vectors.length, selfAgreement: agreement, reasons });
  }

  const per = (rate: number | null, times: number): number | null => (rate === null ? null : rate * times);
  return {
    modality,
    enrolled: ids.length,
    templates: { total: counts.reduce((a, b) => a + b, 0), minPerPerson: counts.length === 0 ? 0 : Math.min(...counts), maxPerPerson: Math.max(0, ...counts) },
    threshold: { value: threshold, from: policy.search.from, target: policy.search.from === 'target' ? policy.target : null, perComparisonFmr: fmr },
    mode: modeAdvice(context, modality, policy.search, ownCaptureScores(similarity, [...byEmployee.values()], policy.rows), meanOwn),
    strangerAcceptance: { perSearch: strangerPerSearch, per1000: per(strangerPerSearch, 1000) },
    wrongColleague: {
      perSearch: wrongColleaguePerSearch,
      per1000: per(wrongColleaguePerSearch, 1000),
      perMonth: per(wrongColleaguePerSearch, policy.clockInsPerDay * 30),
    },
    clockInsPerDay: policy.clockInsPerDay,
    closestPairs: pairs.slice(0, CLOSEST_PAIRS),
    weakEnrollments,
  };
}

/**
 * The mode in force and the one to recommend. Verification compares with the claimed person's own
 * rows (`rowsPerPerson` on average), so its threshold from the same target is lower than a search's.
 */
function modeAdvice(context: ServiceContext, modality: BiometricModality, search: ThresholdInForce, own: readonly number[], rowsPerPerson: number): ModalityHealth['mode'] {
  const inForce = recognitionModeInForce(context, modality);
  const verify = thresholdFor(context, modality, Math.max(1, Math.round(rowsPerPerson)));
  const refusedAt = (t: number): number | null => (own.length === 0 ? null : own.filter((score) => score < t).length / own.length);
  const identifyRefused = refusedAt(search.threshold);
  const verifyRefused = refusedAt(verify.threshold);
  let recommended: RecognitionMode;
  // Voice search without the calibration's backing is never recommended (threshold-in-force.ts).
  if (modality === 'voice' && !(search.from === 'target' && search.withinTable === true)) recommended = 'verify';
  else if (identifyRefused === null || verifyRefused === null) recommended = inForce.requested;
  else recommended = identifyRefused - verifyRefused > RECOMMEND_VERIFY_ABOVE ? 'verify' : 'identify';
  return {
    setting: inForce.requested,
    inForce: inForce.mode,
    recommended,
    verifyThreshold: verify.threshold,
    ownCapturesRefused: { identify: identifyRefused, verify: verifyRefused, captures: own.length },
  };
}

/** Each capture of a person with two or more, scored against the rows the rest of theirs make (leave one out). */
function ownCaptureScores(similarity: Similarity, people: readonly (readonly Float32Array[])[], rowsOf: Policy['rows']): number[] {
  const scores: number[] = [];
  for (const vectors of people) {
    if (vectors.length < 2) continue;
    vectors.forEach((vector, i) => scores.push(bestScore(similarity, [vector], rowsOf(vectors.filter((_, j) => j !== i)))));
  }
  return scores;
}

/** Best score between any template of one employee and any of the other: how the 1:N search sees them. */
function bestScore(similarity: Similarity, a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let best = -Infinity;
  for (const x of a) for (const y of b) best = Math.max(best, similarity.score(x, y));
  return best;
}

/**
 * How well an employee's own captures agree: the lowest score of one capture against the others
 * (each-rule) or against the template built from all of them (mean rule); null for one capture.
 */
function worstAgreement(similarity: Similarity, vectors: readonly Float32Array[], rows: readonly Float32Array[]): number | null {
  if (vectors.length < 2) return null;
  let worst = Infinity;
  vectors.forEach((vector, i) => {
    const others = rows.length === vectors.length ? rows.filter((_, j) => j !== i) : rows;
    worst = Math.min(worst, bestScore(similarity, [vector], others));
  });
  return worst;
}

function person(employee: Employee): { id: number; code: string; name: string } {
  return { id: employee.id, code: employee.code, name: employee.name };
}
