/**
 * Templates at rest, through the whole app: after a real face (and voice) enrollment via the
 * handlers, the files a thief could copy from a running kiosk (database, WAL, shared memory) and
 * the database file alone after a clean shutdown hold no 8-byte window of any enrolled
 * embedding. The embeddings searched for are recomputed from the same photo and speech by the
 * same engines, and checked equal to what the store decrypts, so the scan looks for the right
 * bytes. (test/store/templates.test.ts does the same for the repository alone, with a control.)
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminToken, base64Of, call, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { filesUnder, floatPairs, gridClip, hasGrid, hasVoiceModels, occurrences, pcmOf } from '../privacy/helpers.js';

describe.skipIf(!hasModels || !hasWebcamPhotos)('templates at rest (whole app)', () => {
  let t: TestKiosk | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'kiosk-at-rest-'));
  afterAll(async () => {
    await t?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('leaves no embedding in the files of a running kiosk, nor in the database file after shutdown', async () => {
    t = await openTestKiosk({ dir: join(scratch, 'data') }); // kept after close, to copy the file
    const token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'REST', name: 'At Rest' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: employee.id, image: base64Of(webcam('obama.jpg')), pose: 'front' });
    const { context } = t.kiosk;
    const embeddings = [(await context.face.engine.analyzeBytes(readFileSync(webcam('obama.jpg')), 'enroll')).embedding];
    const stored = [...context.store.templates.listActive('face', context.face.model)].map((s) => s.vector);

    if (hasVoiceModels && hasGrid && context.voice !== null) {
      const speech = pcmOf(gridClip('s1', 'bbaf2n'));
      await call(t.dispatch, 'admin.enroll.voice', { token, employeeId: employee.id, pcmBase64: speech.pcmBase64, sampleRate: speech.sampleRate });
      embeddings.push((await context.voice.engine.embedPcm(speech.pcm, speech.sampleRate)).embedding);
      stored.push(...[...context.store.templates.listActive('voice', context.voice.model)].map((s) => s.vector));
    }
    // The bytes searched for are exactly the stored vectors.
    expect(stored).toEqual(embeddings);
    const needles = embeddings.flatMap(floatPairs);
    const control = join(scratch, 'plain.bin');
    writeFileSync(control, Buffer.concat(embeddings.map((e) => Buffer.from(e.buffer, e.byteOffset, e.byteLength))));
    expect(occurrences([control], needles)).toBe(needles.length);

    // A copy taken while the kiosk runs: the database, its WAL and its shared-memory file.
    const live = filesUnder(t.dir);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(occurrences(live, needles)).toBe(0);

    // After shutdown the WAL is checkpointed into the database file: the copy a thief would take.
    const dbPath = t.dbPath;
    await t.close();
    t = undefined;
    const copy = join(scratch, 'copied.db');
    copyFileSync(dbPath, copy);
    expect(occurrences([copy], needles)).toBe(0);
  });
});
