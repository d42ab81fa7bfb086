/**
 * Face: the kiosk's pipeline stage by stage on real photos, a 640x480 camera frame to a match
 * decision, and the same work done by @vladmandic/face-api on the same weights, in interleaved
 * rounds (kiosk, then face-api, per photo per round) so the ratio is fair on a busy machine.
 * Also the embedding agreement of the two on identical pixels.
 */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { KIOSK_SETTINGS } from '../core/context/settings.js';
import { isKioskError } from '../core/errors.js';
import { alignFace } from '../core/face/align.js';
import { decodeImage } from '../core/face/decode.js';
import { FaceDetector } from '../core/face/detector.js';
import { EMBEDDING_SIZE, FaceEncoder } from '../core/face/encoder.js';
import { FaceEngine, type FaceMode } from '../core/face/engine.js';
import { LandmarkDetector } from '../core/face/landmarker.js';
import type { Detection, Embedding, RgbImage } from '../core/face/types.js';
import { decide, type MatchDecision } from '../core/match/decision.js';
import { createSimilarity } from '../core/match/energy.js';
import { Gallery } from '../core/match/gallery.js';
import { ModelRegistry } from '../core/runtime/model-registry.js';
import type { OnnxHost } from '../core/runtime/onnx-host.js';
import { FaceApiPeer } from './face-api-peer.js';
import type { PeerStageTimes } from './face-api-protocol.js';
import { cameraFrame, faceInputs, modelsDir, syntheticVectors } from './inputs.js';
import { cosine, pairedRatio, summarize, type Summary } from './stats.js';
import { loadAverage, type Repetitions } from './timing.js';

/** The renderer's canvas.toDataURL('image/jpeg', 0.8) (src-renderer/lib/camera.ts), on jpeg-js's 1-100 scale. */
const JPEG_QUALITY = 80;

/** 'inference' is everything after decoding (both pipelines decode with the same jpeg-js code). */
export const FACE_STAGES = ['decode', 'detect', 'landmarks', 'align', 'embed', 'inference', 'total'] as const;
export type FaceStage = (typeof FACE_STAGES)[number];
type StageTimes = Record<Exclude<FaceStage, 'inference'>, number>;

const stageValue = (t: StageTimes, stage: FaceStage): number => (stage === 'inference' ? t.total - t.decode : t[stage]);

export interface StageRow {
  readonly stage: FaceStage;
  readonly ours: Summary;
  readonly faceApi: Summary | null;
  /** face-api time / kiosk time, paired by round and photo. */
  readonly speedup: Summary | null;
}

export interface AgreementRow {
  readonly photo: string;
  /** Both encoders on the kiosk's dlib chip. */
  readonly sameDlibChip: number | null;
  /** Both encoders on face-api's own aligned 150x150 input. */
  readonly sameFaceApiChip: number | null;
  /** Each pipeline end to end (different detectors' boxes, different alignment). */
  readonly endToEnd: number | null;
}

export interface FaceBenchResult {
  readonly inputs: { source: string; photos: { label: string; width: number; height: number }[]; frame: string; enrolled: string };
  readonly peer: { backend: string; tfjs: string; faceApi: string; note: string; loadMs: number; rounds: number } | null;
  readonly peerError?: string;
  readonly stages: StageRow[];
  readonly perPhoto: { photo: string; ours: Summary; faceApi: Summary | null }[];
  readonly frame: {
    readonly mode: FaceMode;
    readonly gallery: number;
    readonly ours: Summary;
    readonly faceApi: Summary | null;
    readonly speedup: Summary | null;
    /** The same frame as the renderer sends it to clock.face: a JPEG (canvas quality 0.8), decoded by the kiosk. */
    readonly jpeg: { readonly bytes: number; readonly ms: Summary };
    readonly decision: MatchDecision;
    readonly faceApiMatch: { label: string | null; distance: number | null } | null;
  };
  readonly agreement: AgreementRow[];
  readonly loadAverage: [number, number, number];
}

export interface FaceBenchOptions {
  readonly reps: Repetitions;
  /** Rounds that also time face-api (its first `warmup` untimed); null skips face-api. */
  readonly peerReps: Repetitions | null;
  readonly galleryRows: number;
  readonly log: (line: string) => void;
}

interface Stages {
  readonly detector: FaceDetector;
  readonly landmarker: LandmarkDetector;
  readonly encoder: FaceEncoder;
}

interface StageRun {
  readonly times: StageTimes;
  readonly chip: RgbImage | null;
  readonly embedding: Embedding | null;
}

/** The engine's stages called one by one on the largest face (the engine's 'probe' choice, without its gates). */
async function runStages(s: Stages, bytes: Uint8Array): Promise<StageRun> {
  let t = performance.now();
  const image = decodeImage(bytes);
  const decode = performance.now() - t;
  t = performance.now();
  const faces = await s.detector.detect(image, { minScore: 0.5 });
  const detect = performance.now() - t;
  if (faces.length === 0) return { times: { decode, detect, landmarks: 0, align: 0, embed: 0, total: decode + detect }, chip: null, embedding: null };
  const face = faces.reduce((a: Detection, b: Detection) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
  t = performance.now();
  const points = await s.landmarker.detect(image, face.box);
  const landmarks = performance.now() - t;
  t = performance.now();
  const chip = alignFace(image, points).image;
  const align = performance.now() - t;
  t = performance.now();
  const [embedding] = await s.encoder.embed([chip]);
  const embed = performance.now() - t;
  return { times: { decode, detect, landmarks, align, embed, total: decode + detect + landmarks + align + embed }, chip, embedding: embedding! };
}

export async function benchFace(host: OnnxHost, options: FaceBenchOptions): Promise<FaceBenchResult> {
  const inputs = faceInputs();
  const registry = await ModelRegistry.open(modelsDir);
  const stages: Stages = {
    detector: await FaceDetector.create(host, registry),
    landmarker: await LandmarkDetector.create(host, registry),
    encoder: await FaceEncoder.create(host, registry),
  };
  const engine = await FaceEngine.create({ host, modelsDir });
  const photos = inputs.photos.map((p) => ({ ...p, bytes: readFileSync(p.path) }));

  let peer: FaceApiPeer | null = null;
  let peerError: string | undefined;
  if (options.peerReps) {
    options.log('face: starting face-api (tfjs) in a child process');
    try {
      peer = await FaceApiPeer.start();
    } catch (error) {
      peerError = error instanceof Error ? error.message : String(error);
      options.log(`face: face-api unavailable: ${peerError}`);
    }
  }
  try {
    // --- stage by stage, interleaved with face-api
    // Indexed by round (sparse), so each face-api sample pairs with the kiosk's of the same round.
    const ours = new Map<string, StageTimes[]>(photos.map((p) => [p.label, []]));
    const theirs = new Map<string, StageTimes[]>(photos.map((p) => [p.label, []]));
    // face-api's warm-up ends with the kiosk's, so its timed rounds are the kiosk's first timed rounds.
    const peerReps = peer ? options.peerReps : null;
    const peerStart = peerReps ? Math.max(0, options.reps.warmup - peerReps.warmup) : 0;
    const peerEnd = peerReps ? peerStart + peerReps.warmup + peerReps.runs : 0;
    const peerIn = (round: number): boolean => round >= peerStart && round < peerEnd;
    const peerTimed = (round: number): boolean => peerIn(round) && round >= peerStart + peerReps!.warmup;
    const oursIn = (round: number): boolean => round < options.reps.warmup + options.reps.runs;
    const oursTimed = (round: number): boolean => oursIn(round) && round >= options.reps.warmup;
    const rounds = Math.max(options.reps.warmup + options.reps.runs, peerEnd);
    const lastRuns = new Map<string, StageRun>();
    for (let round = 0; round < rounds; round++) {
      options.log(`face: stages round ${round + 1}/${rounds}`);
      for (const p of photos) {
        if (oursIn(round)) {
          const run = await runStages(stages, p.bytes);
          lastRuns.set(p.label, run);
          if (oursTimed(round)) ours.get(p.label)![round] = run.times;
        }
        if (peer && peerIn(round)) {
          const { times } = await peer.ask({ kind: 'stages', path: p.path });
          if (times && peerTimed(round)) theirs.get(p.label)![round] = times as StageTimes;
        }
      }
    }
    const stageRows = FACE_STAGES.map((stage) => stageRow(stage, photos.map((p) => p.label), ours, theirs));

    // --- camera frame → decision
    const frameImage = decodeImage(readFileSync(inputs.framePhoto.path));
    const rgba = cameraFrame(frameImage);
    const enrolled = (await engine.analyzeBytes(readFileSync(inputs.enrolPhoto.path), 'evaluate')).embedding;
    const rows = syntheticVectors(options.galleryRows, EMBEDDING_SIZE, 1.4, 7);
    rows.set(enrolled, 0);
    const gallery = new Gallery(EMBEDDING_SIZE, createSimilarity({ energy: 'euclidean' }), options.galleryRows);
    for (let r = 0; r < options.galleryRows; r++) gallery.add({ id: r + 1, employeeId: r + 1, vector: rows.subarray(r * EMBEDDING_SIZE, (r + 1) * EMBEDDING_SIZE) });
    const policy = { threshold: KIOSK_SETTINGS.faceThreshold.default, margin: KIOSK_SETTINGS.faceMargin.default };
    let mode: FaceMode = 'probe';
    try {
      await engine.analyzeFrame(rgba, 640, 480, mode);
    } catch (error) {
      if (!isKioskError(error)) throw error;
      options.log(`face: the frame fails a probe gate (${error.code}); timing it in evaluate mode`);
      mode = 'evaluate';
    }
    const jpegFrame = jpeg.encode({ data: rgba, width: 640, height: 480 }, JPEG_QUALITY).data;
    let decision: MatchDecision | null = null;
    const frameToDecision = async (): Promise<void> => {
      const { embedding } = await engine.analyzeFrame(rgba, 640, 480, mode);
      decision = decide(gallery.search(embedding, 2), policy);
    };
    const jpegToDecision = async (): Promise<void> => {
      const { embedding } = await engine.analyzeBytes(jpegFrame, mode);
      decide(gallery.search(embedding, 2), policy);
    };
    if (peer) {
      await peer.ask({
        kind: 'setFrame',
        width: 640,
        height: 480,
        rgbaBase64: Buffer.from(rgba).toString('base64'),
        galleryBase64: Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64'),
        dim: EMBEDDING_SIZE,
      });
    }
    const frameOurs: (number | undefined)[] = [];
    const jpegOurs: number[] = [];
    const frameTheirs: (number | undefined)[] = [];
    let faceApiMatch: { label: string | null; distance: number | null } | null = null;
    for (let round = 0; round < rounds; round++) {
      if (oursIn(round)) {
        const start = performance.now();
        await frameToDecision();
        if (oursTimed(round)) frameOurs[round] = performance.now() - start;
        const jpegStart = performance.now();
        await jpegToDecision();
        if (oursTimed(round)) jpegOurs.push(performance.now() - jpegStart);
      }
      if (peer && peerIn(round)) {
        const answer = await peer.ask({ kind: 'frame' });
        faceApiMatch = { label: answer.label, distance: answer.distance };
        if (peerTimed(round)) frameTheirs[round] = answer.ms;
      }
    }

    // --- embedding agreement on identical pixels
    const agreement: AgreementRow[] = [];
    if (peer) {
      for (const p of photos) {
        const run = lastRuns.get(p.label);
        const reply = await peer.ask({ kind: 'agreement', path: p.path, chipsBase64: run?.chip ? [Buffer.from(run.chip.data).toString('base64')] : [] });
        let sameFaceApiChip: number | null = null;
        if (reply.ownChipBase64 && reply.ownChipDescriptor) {
          const chip: RgbImage = { width: 150, height: 150, data: new Uint8Array(Buffer.from(reply.ownChipBase64, 'base64')) };
          const [mine] = await stages.encoder.embed([chip]);
          sameFaceApiChip = cosine(mine!, reply.ownChipDescriptor);
        }
        agreement.push({
          photo: p.label,
          sameDlibChip: run?.embedding && reply.chips[0] ? cosine(run.embedding, reply.chips[0]) : null,
          sameFaceApiChip,
          endToEnd: run?.embedding && reply.own ? cosine(run.embedding, reply.own) : null,
        });
      }
    }

    const framePairs = pairs(frameTheirs, frameOurs);
    return {
      inputs: {
        source: inputs.source,
        photos: photos.map((p) => {
          const image = decodeImage(p.bytes);
          return { label: p.label, width: image.width, height: image.height };
        }),
        frame: `${inputs.framePhoto.label} scaled and centre-cropped to 640x480 RGBA`,
        enrolled: inputs.enrolPhoto.label,
      },
      peer: peer && peerReps ? { backend: peer.info.backend, tfjs: peer.info.tfjs, faceApi: peer.info.faceApi, note: peer.info.backendNote, loadMs: peer.info.loadMs, rounds: peerReps.runs } : null,
      ...(peerError === undefined ? {} : { peerError }),
      stages: stageRows,
      perPhoto: photos.map((p) => {
        const t = present(theirs.get(p.label)!).map((s) => s.total);
        return { photo: p.label, ours: summarize(present(ours.get(p.label)!).map((s) => s.total)), faceApi: t.length > 0 ? summarize(t) : null };
      }),
      frame: {
        mode,
        gallery: options.galleryRows,
        ours: summarize(present(frameOurs)),
        faceApi: framePairs.peer.length > 0 ? summarize(present(frameTheirs)) : null,
        speedup: framePairs.peer.length > 0 ? pairedRatio(framePairs.peer, framePairs.mine) : null,
        jpeg: { bytes: jpegFrame.length, ms: summarize(jpegOurs) },
        decision: decision!,
        faceApiMatch,
      },
      agreement,
      loadAverage: loadAverage(),
    };
  } finally {
    await peer?.stop();
  }
}

/** The samples of a sparse per-round array. */
const present = <T>(byRound: readonly (T | undefined)[]): T[] => byRound.filter((v): v is T => v !== undefined);

/** Samples of the rounds both sides timed. */
function pairs(peer: readonly (number | undefined)[], mine: readonly (number | undefined)[]): { peer: number[]; mine: number[] } {
  const out = { peer: [] as number[], mine: [] as number[] };
  peer.forEach((t, round) => {
    const m = mine[round];
    if (t === undefined || m === undefined) return;
    out.peer.push(t);
    out.mine.push(m);
  });
  return out;
}

/** One stage over every photo; the speed-up pairs each face-api sample with the kiosk's of the same photo and round. */
function stageRow(stage: FaceStage, labels: readonly string[], ours: Map<string, StageTimes[]>, theirs: Map<string, StageTimes[]>): StageRow {
  const mine: number[] = [];
  const peer: number[] = [];
  const pairedMine: number[] = [];
  for (const label of labels) {
    const o = ours.get(label)!;
    mine.push(...present(o).map((s) => stageValue(s, stage)));
    const p = pairs(theirs.get(label)!.map((s) => s && stageValue(s, stage)), o.map((s) => s && stageValue(s, stage)));
    peer.push(...p.peer);
    pairedMine.push(...p.mine);
  }
  return {
    stage,
    ours: summarize(mine),
    faceApi: peer.length > 0 ? summarize(peer) : null,
    speedup: peer.length > 0 ? pairedRatio(peer, pairedMine) : null,
  };
}
