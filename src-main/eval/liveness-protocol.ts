/**
 * The liveness evaluation in ISO/IEC 30107-3 terms. Bona fide presentations are bursts cut from
 * real talking-head clips; attack presentations are bursts synthesised from real photos and
 * from still frames of real clips, one per presentation-attack-instrument (PAI) species. Every
 * burst goes through the same stages as a face clock-in: each frame is analysed by the face
 * engine with the probe gates, frames without a usable face are dropped, and the passive check
 * decides on the rest.
 *
 * Two disjoint splits: `tune` (GRID speaker s1, CREMA-D actor 1001, the webcam photos), on
 * which the thresholds were set, and `report` (the other GRID speakers, LFW photos), which
 * they never saw.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { isKioskError } from '../core/errors.js';
import { decodeImage } from '../core/face/decode.js';
import type { Landmarks68, RgbImage } from '../core/face/types.js';
import { assessPassiveLiveness, type PassiveFailure, type PassiveMeasures, type PassiveThresholds } from '../core/liveness/passive.js';
import { describeFailure } from './embed-all.js';
import { renderPlanarAttack, type PlanarAttackOptions } from './liveness-attacks.js';
import { extractBurst, videoDuration } from './video-frames.js';

export type LivenessSplit = 'tune' | 'report';

/** PAI species: how the attack presentation was made. */
export const ATTACK_SPECIES = [
  'still-photo',
  'frozen-frames',
  'still-clip-frame',
  'hand-held-photo',
  'hand-held-clip-frame',
  'screen-photo',
] as const;
export type AttackSpecies = (typeof ATTACK_SPECIES)[number];

export const SPECIES_DESCRIPTIONS: Record<AttackSpecies, string> = {
  'still-photo': 'real photo as a print on a stand: no motion, fresh sensor noise each frame',
  'frozen-frames': 'real photo, the same frame sent every time (an injected or frozen camera)',
  'still-clip-frame': 'one frame of a real clip shown still (a paused video), sensor noise',
  'hand-held-photo': 'real photo as a print held by hand: perspective wobble, drift, approach',
  'hand-held-clip-frame': 'one frame of a real clip as a hand-held print',
  'screen-photo': 'real photo on a hand-held phone screen: pixel-grid moire and glare',
};

/** Where in the clip a bona fide burst starts. */
export type BurstWindow = 'start' | 'middle' | 'end';

export interface Presentation {
  readonly id: string;
  readonly kind: 'bona-fide' | AttackSpecies;
  /** Data file it was made from. */
  readonly source: string;
  readonly window?: BurstWindow;
  frames(): Promise<Uint8Array[]>;
}

export interface BurstOptions {
  readonly frames: number;
  readonly intervalS: number;
}

export interface SplitSources {
  readonly clips: readonly string[];
  readonly photos: readonly string[];
}

/** The data files of a split, under the shared data folder; `photoCount` caps the LFW photos of the report split. */
export async function splitSources(dataDir: string, split: LivenessSplit, photoCount: number): Promise<SplitSources> {
  const av = join(dataDir, 'av');
  const mp4 = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => f.endsWith('.mp4')).sort().map((f) => join(dir, f));
  if (split === 'tune') {
    const webcam = join(dataDir, 'faces/webcam');
    const knn = join(webcam, 'knn_examples/train');
    // One photo per person; Obama and Biden are already among the top-level photos.
    const others = (await readdir(knn)).filter((person) => person !== 'obama' && person !== 'biden').sort();
    const knnPhotos = await Promise.all(others.map(async (person) => (await imagesIn(join(knn, person))).slice(0, 1)));
    return {
      clips: [...(await mp4(join(av, 'grid/s1'))), ...(await mp4(join(av, 'cremad/a1001')))],
      photos: [...(await imagesIn(webcam)).filter((f) => !/-\d+p\.jpg$/.test(f)), ...knnPhotos.flat()],
    };
  }
  const speakers = (await readdir(join(av, 'grid'))).filter((p) => p !== 's1').sort();
  const lfw = join(dataDir, 'faces/lfw/lfw-deepfunneled');
  const people = (await readdir(lfw)).sort();
  // Evenly spaced through the alphabet: a fixed, reproducible choice of people.
  const step = Math.max(1, Math.floor(people.length / photoCount));
  const chosen = people.filter((_, i) => i % step === 0).slice(0, photoCount);
  return {
    clips: (await Promise.all(speakers.map((p) => mp4(join(av, 'grid', p))))).flat(),
    photos: (await Promise.all(chosen.map(async (person) => (await imagesIn(join(lfw, person)))[0]!))),
  };
}

async function imagesIn(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && /\.jpe?g$/i.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Every bona fide and attack presentation of the sources; frames are made when asked for. */
export function buildPresentations(sources: SplitSources, burst: BurstOptions, readFile: (path: string) => Promise<Uint8Array>): Presentation[] {
  const presentations: Presentation[] = [];
  let seed = 1;
  const attack = (kind: AttackSpecies, source: string, picture: () => Promise<RgbImage>, render: Omit<PlanarAttackOptions, 'frames' | 'intervalS' | 'seed'>): void => {
    const options = { ...render, frames: burst.frames, intervalS: burst.intervalS, seed: seed++ };
    presentations.push({ id: `${kind}:${source}`, kind, source, frames: async () => renderPlanarAttack(await picture(), options).map(encodeJpeg) });
  };
  for (const clip of sources.clips) {
    for (const window of ['start', 'middle', 'end'] as const) {
      presentations.push({
        id: `bona-fide:${clip}@${window}`,
        kind: 'bona-fide',
        source: clip,
        window,
        frames: async () => extractBurst(clip, { ...burst, count: burst.frames, startS: windowStart(await videoDuration(clip), window, burst) }),
      });
    }
    const still = async (): Promise<RgbImage> => {
      const [frame] = await extractBurst(clip, { startS: (await videoDuration(clip)) / 2, count: 1, intervalS: burst.intervalS });
      return decodeImage(frame!);
    };
    attack('still-clip-frame', clip, still, { motion: 'still', noise: 3 });
    attack('hand-held-clip-frame', clip, still, { motion: 'hand', noise: 3 });
  }
  for (const photo of sources.photos) {
    const picture = async (): Promise<RgbImage> => decodeImage(await readFile(photo));
    attack('still-photo', photo, picture, { motion: 'still', noise: 3 });
    attack('frozen-frames', photo, picture, { motion: 'still', noise: 0 });
    attack('hand-held-photo', photo, picture, { motion: 'hand', noise: 3 });
    attack('screen-photo', photo, picture, { motion: 'hand', noise: 3, screen: true });
  }
  return presentations;
}

function windowStart(duration: number, window: BurstWindow, burst: BurstOptions): number {
  const span = burst.frames * burst.intervalS;
  const margin = 0.1;
  if (window === 'start') return margin;
  if (window === 'middle') return Math.max(0, (duration - span) / 2);
  return Math.max(0, duration - span - margin);
}

function encodeJpeg(image: RgbImage): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i]!;
    rgba[j + 1] = image.data[i + 1]!;
    rgba[j + 2] = image.data[i + 2]!;
    rgba[j + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: rgba }, 85).data);
}

/** A burst's usable frames as the clock-in sees them: landmarks of each, and why the others were dropped. */
export interface AnalysedBurst {
  readonly landmarks: readonly Landmarks68[];
  /** Error code → frames dropped for it. */
  readonly dropped: Readonly<Record<string, number>>;
}

export type BurstAnalyser = (frames: readonly Uint8Array[]) => Promise<AnalysedBurst>;

/**
 * Each frame through the engine's probe gates, one at a time as the clock-in does; a frame the
 * engine refuses with a KioskError (no face, blurred, too small...) is dropped and counted.
 */
export function engineBurstAnalyser(engine: { analyzeBytes(bytes: Uint8Array, mode: 'probe'): Promise<{ readonly landmarks: Landmarks68 }> }): BurstAnalyser {
  return async (frames) => {
    const landmarks: Landmarks68[] = [];
    const dropped: Record<string, number> = {};
    for (const frame of frames) {
      try {
        landmarks.push((await engine.analyzeBytes(frame, 'probe')).landmarks);
      } catch (error) {
        if (!isKioskError(error)) throw error;
        dropped[error.code] = (dropped[error.code] ?? 0) + 1;
      }
    }
    return { landmarks, dropped };
  };
}

export interface PresentationResult {
  readonly id: string;
  readonly kind: Presentation['kind'];
  readonly source: string;
  readonly window?: BurstWindow;
  readonly framesSent: number;
  readonly framesUsable: number;
  readonly dropped: Readonly<Record<string, number>>;
  /** 'not-acquired': no frame had a usable face, so no liveness decision was made. */
  readonly decision: 'bona-fide' | 'attack' | 'not-acquired';
  readonly reason?: PassiveFailure;
  readonly measures?: PassiveMeasures;
  readonly error?: { code: string; message: string };
}

export interface RateCount {
  readonly presentations: number;
  /** Presentations with at least one usable frame (a liveness decision was made). */
  readonly acquired: number;
  /** Decisions that were wrong: attacks called bona fide (APCER), bona fide called attacks (BPCER). */
  readonly errors: number;
  /** errors / acquired; null when nothing was acquired. */
  readonly rate: number | null;
}

export interface LivenessSummary {
  readonly bonaFide: RateCount & { readonly byWindow: Record<BurstWindow, RateCount> };
  readonly attacks: Record<AttackSpecies, RateCount>;
  /** ISO/IEC 30107-3 APCER_PAIS for the worst species. */
  readonly worstApcer: { readonly species: AttackSpecies; readonly rate: number } | null;
}

export async function evaluatePresentations(
  presentations: readonly Presentation[],
  analyse: BurstAnalyser,
  thresholds: PassiveThresholds | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<PresentationResult[]> {
  const results: PresentationResult[] = [];
  for (const p of presentations) {
    const base = { id: p.id, kind: p.kind, source: p.source, ...(p.window ? { window: p.window } : {}) };
    try {
      const frames = await p.frames();
      const burst = await analyse(frames);
      const common = { ...base, framesSent: frames.length, framesUsable: burst.landmarks.length, dropped: burst.dropped };
      if (burst.landmarks.length === 0) {
        results.push({ ...common, decision: 'not-acquired' });
      } else {
        const assessment = assessPassiveLiveness(burst.landmarks, thresholds);
        results.push(
          assessment.live
            ? { ...common, decision: 'bona-fide', measures: assessment.measures }
            : { ...common, decision: 'attack', reason: assessment.reason, measures: assessment.measures },
        );
      }
    } catch (error) {
      const { code, message } = describeFailure(p.source, error);
      results.push({ ...base, framesSent: 0, framesUsable: 0, dropped: {}, decision: 'not-acquired', error: { code, message } });
    }
    onProgress?.(results.length, presentations.length);
  }
  return results;
}

export function summarise(results: readonly PresentationResult[]): LivenessSummary {
  const count = (rows: readonly PresentationResult[], wrong: PresentationResult['decision']): RateCount => {
    const acquired = rows.filter((r) => r.decision !== 'not-acquired');
    const errors = acquired.filter((r) => r.decision === wrong).length;
    return { presentations: rows.length, acquired: acquired.length, errors, rate: acquired.length > 0 ? errors / acquired.length : null };
  };
  const bonaFide = results.filter((r) => r.kind === 'bona-fide');
  const byWindow = Object.fromEntries(
    (['start', 'middle', 'end'] as const).map((w) => [w, count(bonaFide.filter((r) => r.window === w), 'attack')]),
  ) as Record<BurstWindow, RateCount>;
  const attacks = Object.fromEntries(ATTACK_SPECIES.map((s) => [s, count(results.filter((r) => r.kind === s), 'bona-fide')])) as Record<
    AttackSpecies,
    RateCount
  >;
  let worstApcer: LivenessSummary['worstApcer'] = null;
  for (const species of ATTACK_SPECIES) {
    const rate = attacks[species].rate;
    if (rate !== null && (worstApcer === null || rate > worstApcer.rate)) worstApcer = { species, rate };
  }
  return { bonaFide: { ...count(bonaFide, 'attack'), byWindow }, attacks, worstApcer };
}
