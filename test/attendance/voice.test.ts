/**
 * Voice enrollment and clock-in through the handler table with real GRID speech and the
 * shipped voice models, and a kiosk that starts without the voice encoder. Scores are checked
 * against a cosine computed here from the engine's own embeddings (the gallery's 'mean' rule
 * re-done by hand), not against the encoder's accuracy, which test/voice and the eval report.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-main/core/voice/pcm.js';
import { tabulatedScoreAt } from '../helpers/calibration-table.js';
import { data, hasData } from '../helpers/paths.js';
import { adminToken, call, failure, hasModels, modelsDir, openTestKiosk, type TestKiosk } from './kiosk-fixture.js';

const manifest = hasModels ? (JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { models: Record<string, { file: string; calibration?: { file: string } }> }) : { models: {} };
const hasVoiceModels = ['voice-encoder', 'voice-vad-silero-v5'].every((id) => {
  const entry = manifest.models[id];
  return entry !== undefined && existsSync(join(modelsDir, entry.file));
});
const grid = (speaker: string, clip: string): string => data('av/grid', speaker, `${clip}.wav`);
const hasGrid = hasData && existsSync(grid('s1', 'bbaf2n'));
if (!hasVoiceModels) console.warn('[tests] voice models not installed: voice clock-in tests are skipped.');

function pcmOf(path: string): { pcm: Float32Array; pcmBase64: string; sampleRate: number } {
  const { samples, sampleRate } = decodeWav(new Uint8Array(readFileSync(path)));
  return { pcm: samples, pcmBase64: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64'), sampleRate };
}

/** The shipped voice table's score at a tabulated FMR, read from the file the manifest names. */
function voiceTableScoreAt(fmr: number): number {
  const entry = manifest.models['voice-encoder']?.calibration;
  if (entry === undefined) throw new Error('the voice encoder has no calibration table in the manifest');
  return tabulatedScoreAt(join(modelsDir, entry.file), fmr);
}

const unit = (v: Float32Array): number[] => {
  const n = Math.hypot(...v);
  return Array.from(v, (x) => x / n);
};

describe.skipIf(!hasModels || !hasVoiceModels || !hasGrid)('voice enrollment and clock-in (GRID speech)', () => {
  let t: TestKiosk;
  let token: string;
  let employeeId: number;
  const enrollClips = ['bbaf2n', 'bgbn9s', 'lbaq5s'];

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
    employeeId = (await call(t.dispatch, 'admin.employees.create', { token, code: 'S1', name: '화자 일' })).employee.id;
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId, textVersion: 'v1' });
  });
  afterAll(() => t?.close());

  it('enrolls three phrases, counting down the phrases still needed', async () => {
    const needed: number[] = [];
    for (const clip of enrollClips) {
      const { pcmBase64, sampleRate } = pcmOf(grid('s1', clip));
      const reply = await call(t.dispatch, 'admin.enroll.voice', { token, employeeId, pcmBase64, sampleRate });
      expect(reply.speechSeconds).toBeGreaterThan(1);
      needed.push(reply.phrasesNeeded);
    }
    expect(needed).toEqual([2, 1, 0]);
    expect((await call(t.dispatch, 'kiosk.status', {})).models.map((m) => m.id)).toContain('voice-encoder');
  });

  it('clocks in with a fresh phrase; the score is the cosine to the mean of the enrolled phrases', async () => {
    // Raw threshold (target off) at -1: any voice matches, so the score itself is what is checked.
    await call(t.dispatch, 'admin.settings.set', { token, settings: { voiceThreshold: -1, voiceMargin: 0, voiceFalseAcceptTarget: null } });
    const engine = t.kiosk.context.voice!.engine;
    const enrolled = await Promise.all(enrollClips.map(async (clip) => unit((await engine.embedPcm(pcmOf(grid('s1', clip)).pcm, 16000)).embedding)));
    const mean = enrolled[0]!.map((_, i) => enrolled.reduce((s, e) => s + e[i]!, 0));
    const probe = pcmOf(grid('s1', 'lgif1s'));
    const probeEmbedding = unit((await engine.embedPcm(probe.pcm, probe.sampleRate)).embedding);
    const cosine = unit(Float32Array.from(mean)).reduce((s, x, i) => s + x * probeEmbedding[i]!, 0);

    const { phraseId, text } = await call(t.dispatch, 'kiosk.phrase', { locale: 'en' });
    expect(text.length).toBeGreaterThan(10);
    const result = await call(t.dispatch, 'clock.voice', { phraseId, pcmBase64: probe.pcmBase64, sampleRate: probe.sampleRate, employeeCode: 'S1' });
    expect(result.outcome).toBe('recorded');
    if (result.outcome !== 'recorded') return;
    expect(result.event).toMatchObject({ employee: { id: employeeId, name: '화자 일' }, direction: 'in', modality: 'voice' });
    expect(result.event.score).toBeCloseTo(cosine, 4);
    expect(t.kiosk.context.store.attendance.allForEmployee(employeeId)[0]?.modelId).toBe('voice-encoder');

    const reused = await failure(t.dispatch, 'clock.voice', { phraseId, pcmBase64: probe.pcmBase64, sampleRate: probe.sampleRate, employeeCode: 'S1' });
    expect(reused.code).toBe('PHRASE_EXPIRED');
    const madeUp = await failure(t.dispatch, 'clock.voice', { phraseId: 'f'.repeat(32), pcmBase64: probe.pcmBase64, sampleRate: probe.sampleRate, employeeCode: 'S1' });
    expect(madeUp.code).toBe('PHRASE_EXPIRED');
  });

  it('with the default settings (verify, target 1e-2 per attempt) refuses another speaker with S1’s code, writing nothing, and accepts S1', async () => {
    token = await adminToken(t.dispatch);
    await call(t.dispatch, 'admin.settings.set', { token, settings: { voiceThreshold: 0.45, voiceMargin: 0.05, voiceFalseAcceptTarget: 0.01, debounceMinutes: 0 } });
    const before = t.kiosk.context.store.attendance.allForEmployee(employeeId).length;
    const other = pcmOf(grid('p03', 'brbk7n'));
    const asOther = await call(t.dispatch, 'clock.voice', { phraseId: (await call(t.dispatch, 'kiosk.phrase', { locale: 'ko' })).phraseId, pcmBase64: other.pcmBase64, sampleRate: other.sampleRate, employeeCode: 'S1' });
    expect(asOther).toEqual({ outcome: 'not_recognised', reason: 'not_verified' });
    expect(t.kiosk.context.store.attendance.allForEmployee(employeeId).length).toBe(before);

    const own = pcmOf(grid('s1', 'srin5s'));
    const asS1 = await call(t.dispatch, 'clock.voice', { phraseId: (await call(t.dispatch, 'kiosk.phrase', { locale: 'en' })).phraseId, pcmBase64: own.pcmBase64, sampleRate: own.sampleRate, employeeCode: 'S1' });
    expect(asS1).toMatchObject({ outcome: 'recorded', event: { employee: { id: employeeId }, modality: 'voice' } });
    const events = t.kiosk.context.store.attendance.allForEmployee(employeeId);
    expect(events).toHaveLength(before + 1);
    // One template (the mean of three phrases) at 1e-2: the table's score at FMR 1e-2, read from the table here.
    expect(events.at(-1)?.evidence).toMatchObject({ mode: 'verify', secondScore: null, threshold: expect.closeTo(voiceTableScoreAt(0.01), 6) });
  });

  it("reports the voice gallery's health with rates from the voice encoder's impostor table, a stricter threshold meaning fewer wrong accepts", async () => {
    token = await adminToken(t.dispatch);
    const rateAt = async (voiceThreshold: number) => {
      await call(t.dispatch, 'admin.settings.set', { token, settings: { voiceThreshold, voiceFalseAcceptTarget: null } });
      const { voice } = await call(t.dispatch, 'admin.recognition.health', { token });
      expect(voice).toMatchObject({ enrolled: 1, templates: { total: 3 }, threshold: { value: voiceThreshold, from: 'setting' } });
      return voice!.strangerAcceptance.perSearch!;
    };
    const loose = await rateAt(0.45);
    const strict = await rateAt(0.7);
    expect(loose).toBeGreaterThan(strict);
    expect(strict).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasModels)('a kiosk without the voice encoder', () => {
  let t: TestKiosk;
  let dir: string;

  beforeAll(async () => {
    // The real face models, listed by a manifest that has no voice encoder (as before it is trained).
    dir = mkdtempSync(join(tmpdir(), 'kiosk-models-'));
    const models = Object.fromEntries(Object.entries(manifest.models).filter(([id]) => id !== 'voice-encoder'));
    for (const entry of Object.values(models)) {
      for (const file of [entry.file, ...(entry.calibration ? [entry.calibration.file] : [])]) symlinkSync(join(modelsDir, file), join(dir, file));
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, models }));
    t = await openTestKiosk({ modelsDir: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, reports voice as unavailable and refuses voice handlers with a typed error', async () => {
    const status = await call(t.dispatch, 'kiosk.status', {});
    expect(status.ready).toBe(true);
    expect(status.models.map((m) => m.id)).not.toContain('voice-encoder');
    expect(status.models.map((m) => m.id)).toContain('face-encoder-dlib-resnet');
    const token = await adminToken(t.dispatch);
    const { employee } = await call(t.dispatch, 'admin.employees.create', { token, code: 'V1', name: 'Voice' });
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: employee.id, textVersion: 'v1' });
    const pcmBase64 = Buffer.from(new Float32Array(16000).buffer).toString('base64');
    expect((await failure(t.dispatch, 'kiosk.phrase', {})).code).toBe('VOICE_UNAVAILABLE');
    expect((await failure(t.dispatch, 'admin.enroll.voice', { token, employeeId: employee.id, pcmBase64, sampleRate: 16000 })).code).toBe('VOICE_UNAVAILABLE');
    expect((await failure(t.dispatch, 'clock.voice', { phraseId: 'x', pcmBase64, sampleRate: 16000 })).code).toBe('VOICE_UNAVAILABLE');
    expect(employee.voiceTemplates).toBe(0);
  });
});
