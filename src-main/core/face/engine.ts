/**
 * The face engine: bytes or camera frame → decode → detect → landmarks → dlib face-chip
 * alignment → siamese encoder branch → embedding. Composes the single-purpose stages and
 * applies the quality gates that fit the caller's purpose.
 */
import { readFile } from 'node:fs/promises';
import { KioskError } from '../errors.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { meanVector } from '../match/vector-mean.js';
import { ModelRegistry } from '../runtime/model-registry.js';
import { alignFace } from './align.js';
import { decodeImage } from './decode.js';
import { rgbaFrameToRgb } from './frame.js';
import { FaceDetector } from './detector.js';
import { FaceEncoder } from './encoder.js';
import { flipHorizontal } from './flip.js';
import { LandmarkDetector } from './landmarker.js';
import { mergeDetections } from './detections.js';
import { landmarksMakeAFace } from './unclear-face.js';
import { isBlankImage } from './blank-frame.js';
import { padWithBorderColour, type PaddedImage } from './pad.js';
import { assessQuality, enforceQuality, DEFAULT_QUALITY_THRESHOLDS, type FaceQuality, type QualityThresholds } from './quality.js';
import type { AlignedFace, Detection, Embedding, Landmarks68, RgbImage } from './types.js';

/**
 * enroll: exactly one face, every quality gate. probe: the largest face, every quality gate.
 * evaluate: the face nearest the image centre, no gates (benchmarks report failures instead).
 */
export type FaceMode = 'enroll' | 'probe' | 'evaluate';

export const FACE_MODEL_IDS = {
  detector: 'face-detector-ssd-mobilenet-v1',
  landmarks: 'face-landmarks-68',
  encoder: 'face-encoder-dlib-resnet',
} as const;

export interface FaceEngineOptions {
  readonly host: OnnxHost;
  readonly modelsDir: string;
  /** Average the embeddings of the chip and its mirror image (test-time augmentation). */
  readonly flip?: boolean;
  readonly quality?: Partial<QualityThresholds>;
  /** Detections below this confidence are ignored. */
  readonly minDetectionScore?: number;
}

export interface FaceAnalysis {
  readonly embedding: Embedding;
  readonly detection: Detection;
  readonly landmarks: Landmarks68;
  /** Measured quality; null in 'evaluate' mode, where no gate applies. */
  readonly quality: FaceQuality | null;
  readonly chip: AlignedFace;
}

/** Evaluation photos hold a face that must not be missed: detector confidences tried in turn. */
const EVALUATE_MIN_SCORES = [0.3, 0.1];
/** Border added on each side, as a fraction of the image, for the framed detection pass. */
const FRAME_BORDER = 0.4;

export interface DetectedFaces {
  readonly width: number;
  readonly height: number;
  readonly detections: Detection[];
  /** The frame is black almost everywhere: the camera shows nothing (see blank-frame.ts). */
  readonly blank: boolean;
}

export class FaceEngine {
  private constructor(
    private readonly detector: FaceDetector,
    private readonly landmarker: LandmarkDetector,
    private readonly encoder: FaceEncoder,
    private readonly options: FaceEngineOptions,
    private readonly thresholds: QualityThresholds,
    readonly encoderModel: { id: string; sha256: string },
  ) {}

  static async create(options: FaceEngineOptions): Promise<FaceEngine> {
    const registry = await ModelRegistry.open(options.modelsDir);
    const [detector, landmarker, encoder] = await Promise.all([
      FaceDetector.create(options.host, registry),
      LandmarkDetector.create(options.host, registry),
      FaceEncoder.create(options.host, registry),
    ]);
    const thresholds = { ...DEFAULT_QUALITY_THRESHOLDS, ...options.quality };
    const entry = registry.entry(FACE_MODEL_IDS.encoder);
    return new FaceEngine(detector, landmarker, encoder, options, thresholds, { id: entry.id, sha256: entry.sha256 });
  }

  detect(image: RgbImage): Promise<Detection[]> {
    return this.detector.detect(image, { minScore: this.options.minDetectionScore ?? 0.5 });
  }

  /** Faces in an encoded image (JPEG, PNG, ...), with the decoded image's size for drawing them. */
  async detectBytes(bytes: Uint8Array): Promise<DetectedFaces> {
    const image = decodeImage(bytes);
    const detections = await this.detect(image);
    return { width: image.width, height: image.height, detections, blank: detections.length === 0 && isBlankImage(image) };
  }

  /** Detection and landmarks are returned in `input`'s pixels, even when the face was found on a framed copy. */
  async analyze(input: RgbImage, mode: FaceMode): Promise<FaceAnalysis> {
    const { image, detection, offsetX, offsetY } = await this.findFace(input, mode);
    const landmarks = await this.landmarker.detect(image, detection.box);
    const { chip, quality } = landmarksMakeAFace(() => {
      const chip = alignFace(image, landmarks);
      return { chip, quality: mode === 'evaluate' ? null : assessQuality(image, detection, landmarks, chip, this.thresholds) };
    });
    if (quality) enforceQuality(quality, this.thresholds);
    const embedding = await this.embedChip(chip.image);
    if (offsetX === 0 && offsetY === 0) return { embedding, detection, landmarks, quality, chip };
    const [a, b, tx, c, d, ty] = chip.chipToImage;
    return {
      embedding,
      detection: { ...detection, box: { ...detection.box, x: detection.box.x - offsetX, y: detection.box.y - offsetY } },
      landmarks: landmarks.map((p) => ({ x: p.x - offsetX, y: p.y - offsetY })),
      quality,
      chip: { ...chip, chipToImage: [a, b, tx - offsetX, c, d, ty - offsetY] },
    };
  }

  async analyzeBytes(bytes: Uint8Array, mode: FaceMode): Promise<FaceAnalysis> {
    return this.analyze(decodeImage(bytes), mode);
  }

  async analyzeFrame(rgba: Uint8Array, width: number, height: number, mode: FaceMode): Promise<FaceAnalysis> {
    return this.analyze(rgbaFrameToRgb(rgba, width, height), mode);
  }

  async embedImageFile(path: string, mode: FaceMode = 'evaluate'): Promise<FaceAnalysis> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new KioskError('NOT_FOUND', `Image file ${path} cannot be read.`, { path, cause: String(cause) });
    }
    return this.analyzeBytes(bytes, mode);
  }

  private async embedChip(chip: RgbImage): Promise<Embedding> {
    if (!this.options.flip) return (await this.encoder.embed([chip]))[0]!;
    return meanVector(await this.encoder.embed([chip, flipHorizontal(chip)]));
  }

  /**
   * Detects on a copy framed by a border, where a face that fills the frame is found (SSD misses
   * it on the image as given and may report only a small face behind it: `detections.ts`), and —
   * in 'evaluate' mode, for photos of any composition — also on the image as given, merging the
   * two lists. Kiosk frames (enroll, probe) look at the image as given only when the framed pass
   * finds nothing: one pass in the usual case keeps a frame's latency, and a face too small for
   * the framed pass is still found and answered FACE_TOO_SMALL ("move closer") by the gates.
   * All later stages work on the framed copy. In 'evaluate' mode lower confidences are tried in
   * turn: a benchmark photo is known to hold a face.
   */
  private async findFace(image: RgbImage, mode: FaceMode): Promise<FoundFace> {
    const minScores = mode === 'evaluate' ? EVALUATE_MIN_SCORES : [this.options.minDetectionScore ?? 0.5];
    const framed = padWithBorderColour(image, FRAME_BORDER);
    for (const minScore of minScores) {
      const onFrame = await this.detector.detect(framed.image, { minScore });
      const bothScales = mode === 'evaluate' || onFrame.length === 0;
      const faces = bothScales ? mergeDetections(onFrame, await this.detectShifted(image, framed, minScore)) : onFrame;
      if (faces.length > 0) return { ...framed, detection: this.pickFace(faces, framed.image, mode) };
    }
    if (isBlankImage(image)) {
      throw new KioskError('CAMERA_BLANK', 'The camera shows nothing. Check that it is not covered and is connected.');
    }
    throw new KioskError('NO_FACE', 'No face found. Look at the camera with your face fully in view.');
  }

  /** Detections on the image as given, in the framed copy's pixels. */
  private async detectShifted(image: RgbImage, framed: PaddedImage, minScore: number): Promise<Detection[]> {
    const faces = await this.detector.detect(image, { minScore });
    return faces.map((d) => ({ ...d, box: { ...d.box, x: d.box.x + framed.offsetX, y: d.box.y + framed.offsetY } }));
  }

  private pickFace(faces: readonly Detection[], image: RgbImage, mode: FaceMode): Detection {
    if (mode === 'enroll' && faces.length > 1) {
      throw new KioskError('MULTIPLE_FACES', `${faces.length} faces are in view. Only the person enrolling may be in front of the camera.`, {
        faces: faces.length,
      });
    }
    if (mode === 'evaluate') return nearestToCentre(faces, image);
    return faces.reduce((a, b) => (area(b) > area(a) ? b : a));
  }
}

/** A detection on the framed copy of the input, that copy and its offset. */
interface FoundFace {
  readonly image: RgbImage;
  readonly detection: Detection;
  readonly offsetX: number;
  readonly offsetY: number;
}

const area = (d: Detection): number => d.box.width * d.box.height;

function nearestToCentre(faces: readonly Detection[], image: RgbImage): Detection {
  const cx = image.width / 2;
  const cy = image.height / 2;
  const distance = (d: Detection): number => Math.hypot(d.box.x + d.box.width / 2 - cx, d.box.y + d.box.height / 2 - cy);
  return faces.reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

