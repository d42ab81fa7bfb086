/**
 * Batch enrollment throughput: photos → embedding → sealed template in a real SQLite file
 * (AES-256-GCM) → live gallery. Two ways: one photo at a time through the face engine (what
 * the enrollment screen does), and a batch whose chips go through the encoder together with
 * one transaction for all rows (an import of many employees).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIOSK_SETTINGS } from '../core/context/settings.js';
import { alignFace } from '../core/face/align.js';
import { decodeImage } from '../core/face/decode.js';
import { FaceDetector } from '../core/face/detector.js';
import { EMBEDDING_SIZE, FaceEncoder } from '../core/face/encoder.js';
import { FaceEngine } from '../core/face/engine.js';
import { LandmarkDetector } from '../core/face/landmarker.js';
import type { RgbImage } from '../core/face/types.js';
import { createSimilarity } from '../core/match/energy.js';
import { Gallery } from '../core/match/gallery.js';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import type { OnnxHost } from '../core/runtime/onnx-host.js';
import { openStore } from '../core/store/store.js';
import { Aes256GcmCipher } from '../core/store/template-cipher.js';
import { faceInputs, modelsDir } from './inputs.js';
import { summarize, type Summary } from './stats.js';
import { loadAverage, type Repetitions } from './timing.js';

export interface EnrolBenchResult {
  readonly photos: number;
  /** Images per second, one value per run. */
  readonly oneByOne: Summary;
  readonly batched: Summary;
  readonly loadAverage: [number, number, number];
}

export async function benchEnrolment(host: OnnxHost, reps: Repetitions, log: (line: string) => void): Promise<EnrolBenchResult> {
  const photos = faceInputs().photos.map((p) => readFileSync(p.path));
  const registry = await ModelRegistry.open(modelsDir);
  const engine = await FaceEngine.create({ host, modelsDir });
  const detector = await FaceDetector.create(host, registry);
  const landmarker = await LandmarkDetector.create(host, registry);
  const encoder = await FaceEncoder.create(host, registry);
  const model = engine.encoderModel;
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-enrol-'));
  const oneByOne: number[] = [];
  const batched: number[] = [];
  try {
    for (let run = 0; run < reps.warmup + reps.runs; run++) {
      log(`enrolment: run ${run + 1}/${reps.warmup + reps.runs}`);
      const store = openStore(join(dir, `run-${run}.db`), { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS });
      try {
        const gallery = new Gallery(EMBEDDING_SIZE, createSimilarity({ energy: 'euclidean' }));
        const enrol = (index: number, vector: Float32Array): void => {
          const employee = store.employees.create({ code: `E${run}-${index}-${gallery.size}`, name: `Employee ${index}` });
          const template = store.templates.add({ employeeId: employee.id, modality: 'face', model, vector, capture: { detectionScore: 1 } });
          gallery.add({ id: template.id, employeeId: employee.id, vector });
        };

        let start = performance.now();
        for (const [i, bytes] of photos.entries()) enrol(i, (await engine.analyzeBytes(bytes, 'evaluate')).embedding);
        const single = photos.length / ((performance.now() - start) / 1000);

        start = performance.now();
        const chips: RgbImage[] = [];
        for (const bytes of photos) {
          const image = decodeImage(bytes);
          const [face] = await detector.detect(image, { minScore: 0.3 });
          if (face) chips.push(alignFace(image, await landmarker.detect(image, face.box)).image);
        }
        const embeddings = await encoder.embed(chips);
        store.db.transaction(() => embeddings.forEach((e, i) => enrol(i, e)));
        const batch = photos.length / ((performance.now() - start) / 1000);
        if (run >= reps.warmup) {
          oneByOne.push(single);
          batched.push(batch);
        }
      } finally {
        store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { photos: photos.length, oneByOne: summarize(oneByOne), batched: summarize(batched), loadAverage: loadAverage() };
}
