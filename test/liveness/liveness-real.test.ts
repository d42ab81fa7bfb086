/**
 * Passive liveness on real faces through the real face engine, and in the kiosk's face clock-in.
 * Bona fide: bursts cut with ffmpeg from real talking-head clips (GRID speakers p03, p06, p09,
 * not used to set the thresholds). Attacks: bursts rendered from a real photo (webcam/obama2)
 * and from a still frame of a real clip (GRID p04): a still print, frozen identical frames, a
 * hand-held print, a paused clip frame and a hand-held print of it. Frames go through memory
 * and the system temp folder only.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessPassiveLiveness } from '../../src-main/core/liveness/passive.js';
import { buildPresentations, engineBurstAnalyser, type BurstAnalyser, type Presentation } from '../../src-main/eval/liveness-protocol.js';
import { hasFfmpeg } from '../../src-main/eval/video-frames.js';
import { call, failure, hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { data, hasData } from '../helpers/paths.js';

const ready = hasData && hasModels && hasFfmpeg();
if (!ready) console.warn('[tests] liveness on real clips skipped: needs ../shared/data, the face models and ffmpeg (apt-get install ffmpeg).');

const BURST = { frames: 5, intervalS: 0.15 } as const;
/** The speaker's first clip by name. */
const clip = (speaker: string): string => data('av/grid', speaker, readdirSync(data('av/grid', speaker)).filter((f) => f.endsWith('.mp4')).sort()[0]!);
const readBytes = async (path: string): Promise<Uint8Array> => new Uint8Array(await readFile(path));
const base64 = (frames: readonly Uint8Array[]): string[] => frames.map((f) => Buffer.from(f).toString('base64'));

describe.skipIf(!ready)('passive liveness on real clips and attacks made from real photos', () => {
  let t: TestKiosk;
  let analyse: BurstAnalyser;
  let genuine: Presentation[];
  let attacks: Presentation[];

  beforeAll(async () => {
    t = await openTestKiosk();
    analyse = engineBurstAnalyser(t.kiosk.context.face.engine);
    const speaking = ['p03', 'p06', 'p09'].map(clip);
    genuine = buildPresentations({ clips: speaking, photos: [] }, BURST, readBytes).filter((p) => p.kind === 'bona-fide' && p.window === 'middle');
    attacks = buildPresentations({ clips: [clip('p04')], photos: [data('faces/webcam/obama2.jpg')] }, BURST, readBytes).filter(
      (p) => p.kind !== 'bona-fide' && p.kind !== 'screen-photo',
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('lets the middle of each talking-head clip through', async () => {
    expect(genuine).toHaveLength(3);
    for (const p of genuine) {
      const burst = await analyse(await p.frames());
      expect(burst.landmarks.length, p.id).toBeGreaterThanOrEqual(3);
      expect(assessPassiveLiveness(burst.landmarks), p.id).toMatchObject({ live: true });
    }
  }, 300_000);

  it('refuses still, frozen and hand-held pictures of real faces', async () => {
    expect(attacks.map((p) => p.kind).sort()).toEqual(['frozen-frames', 'hand-held-clip-frame', 'hand-held-photo', 'still-clip-frame', 'still-photo']);
    for (const p of attacks) {
      const burst = await analyse(await p.frames());
      expect(burst.landmarks.length, `${p.id}: the attack must reach the liveness check`).toBeGreaterThanOrEqual(3);
      const result = assessPassiveLiveness(burst.landmarks);
      expect(result, p.id).toMatchObject({ live: false });
      if (p.kind === 'frozen-frames') expect(result.measures.motion).toBe(0);
    }
  }, 300_000);

  it('makes the face clock-in refuse a picture with LIVENESS_FAILED before identifying anyone, once an admin turns passive liveness on', async () => {
    t.kiosk.context.store.settings.reset('livenessMode');
    expect(t.kiosk.settings.get('livenessMode')).toBe('off');
    t.kiosk.context.store.settings.set('livenessMode', 'passive');
    const frozen = base64(await attacks.find((p) => p.kind === 'frozen-frames')!.frames());
    const refused = await failure(t.dispatch, 'clock.face', { frames: frozen });
    expect(refused).toMatchObject({ code: 'LIVENESS_FAILED', details: { reason: 'no_motion' } });
    expect((await failure(t.dispatch, 'clock.face', { frames: frozen.slice(0, 1) })).details).toMatchObject({ reason: 'too_few_frames' });
    // A live face gets past the check to identification (nobody is enrolled here).
    const live = base64(await genuine[0]!.frames());
    expect(await call(t.dispatch, 'clock.face', { frames: live })).toEqual({ outcome: 'not_recognised', reason: 'no_enrolled_employees' });
  }, 300_000);

  it('skips the check when liveness is off, and in challenge mode wants the issued action', async () => {
    const frozen = base64(await attacks.find((p) => p.kind === 'frozen-frames')!.frames());
    t.kiosk.context.store.settings.set('livenessMode', 'off');
    expect(await call(t.dispatch, 'clock.face', { frames: frozen })).toEqual({ outcome: 'not_recognised', reason: 'no_enrolled_employees' });

    t.kiosk.context.store.settings.set('livenessMode', 'challenge');
    expect((await failure(t.dispatch, 'clock.face', { frames: frozen })).details).toMatchObject({ reason: 'challenge_required' });
    const { challengeId, instruction } = t.kiosk.clock.issueFaceChallenge();
    // A frozen picture performs no action, whichever was drawn; the challenge is then used up.
    const still = await attacks.find((p) => p.kind === 'frozen-frames')!.frames();
    await expect(t.kiosk.clock.clockFace(still, { challengeId })).rejects.toMatchObject({
      code: 'LIVENESS_FAILED',
      details: { reason: 'not_performed', instruction },
    });
    await expect(t.kiosk.clock.clockFace(still, { challengeId })).rejects.toMatchObject({ code: 'CHALLENGE_EXPIRED' });
    t.kiosk.context.store.settings.set('livenessMode', 'passive');
  }, 300_000);
});
