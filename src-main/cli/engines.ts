/**
 * Adapters from the recognition engines to the `embed(path)` functions the evaluation protocols take.
 * Engines are imported only when a command needs them, so the CLI (and its usage text) works even
 * when one engine or its models are missing; the failure then names what is missing.
 */
import { readFile } from 'node:fs/promises';
import { KioskError } from '../core/errors.js';
import { AUDIO_FILE_EXTENSIONS } from '../core/voice/audio-file.js';
import type { EmbedFile } from '../eval/embed-all.js';
import { meanOfUnitVectors } from '../core/match/vector-mean.js';
import type { ModelRef } from '../core/runtime/model-ref.js';
import { KIOSK_SETTINGS } from '../core/context/settings.js';
import type { DecisionPolicy } from '../core/match/decision.js';
import type { EnrollmentRule } from '../eval/identification-protocol.js';

export interface FaceEmbedder {
  readonly embed: EmbedFile;
  readonly model: ModelRef;
  release(): Promise<void>;
}

async function importEngine<T>(load: () => Promise<T>, what: string): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new KioskError('RUNTIME_ERROR', `the ${what} cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export async function loadFaceEmbedder(options: { modelsDir: string; flip: boolean }): Promise<FaceEmbedder> {
  const [{ FaceEngine }, { OnnxHost }] = await importEngine(
    () => Promise.all([import('../core/face/engine.js'), import('../core/runtime/onnx-host.js')]),
    'face engine',
  );
  const host = new OnnxHost({ providers: ['cpu'] });
  const engine = await FaceEngine.create({ host, modelsDir: options.modelsDir, flip: options.flip });
  return {
    // 'evaluate' takes the face nearest the centre and skips enrollment-only gates: failures are reported, not hidden.
    embed: async (path) => (await engine.embedImageFile(path, 'evaluate')).embedding,
    model: engine.encoderModel,
    release: () => host.release(),
  };
}

/** Enrollment and probe embedders plus the template rule, in the shape evaluateGallery takes. */
export interface GalleryEmbedders {
  readonly embed: EmbedFile;
  readonly embedProbe: EmbedFile;
  readonly template: (embeddings: Float32Array[]) => Float32Array;
}

export interface VoiceEmbedders {
  readonly encoder: GalleryEmbedders;
  /** Trivial baseline: mean log-mel vector of the same speech, scored with cosine. */
  readonly baseline: GalleryEmbedders;
  /** The encoder's manifest id and sha256, so a report names exactly what was measured. */
  readonly model: ModelRef;
  release(): Promise<void>;
}

async function readAudio(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new KioskError('NOT_FOUND', `Audio file ${path} cannot be read.`, { path, cause: String(cause) });
  }
}

export async function loadVoiceEmbedders(options: {
  modelsDir: string;
  cropSeconds: number | undefined;
  /** Overrides the kiosk's minimum-speech gate, for sets of very short phrases (single digits). */
  minSpeechSeconds?: number | undefined;
}): Promise<VoiceEmbedders> {
  const [voice, { OnnxHost }, { decodeAudioFile }, { ModelRegistry }] = await importEngine(
    () =>
      Promise.all([
        import('../core/voice/engine.js'),
        import('../core/runtime/onnx-host.js'),
        import('../core/voice/audio-file.js'),
        import('../core/runtime/model-registry.js'),
      ]),
    'voice engine',
  );
  const host = new OnnxHost({ providers: ['cpu'] });
  // create() has checked the encoder file against this manifest entry's sha256.
  const quality = options.minSpeechSeconds === undefined ? {} : { minSpeechSeconds: options.minSpeechSeconds };
  const engine = await voice.VoiceEngine.create({ host, modelsDir: options.modelsDir, quality });
  const { id, sha256 } = (await ModelRegistry.open(options.modelsDir)).entry(voice.VOICE_ENCODER_ID);
  const crop = (cropSeconds: number | undefined) => (cropSeconds === undefined ? {} : { cropSeconds });

  const embedWith = (cropSeconds: number | undefined): EmbedFile => async (path) =>
    (await engine.embedAudio(await readAudio(path), crop(cropSeconds))).embedding;
  // The baseline sees the same kept (and cropped) speech as the encoder, behind the same gates.
  const baselineWith = (cropSeconds: number | undefined): EmbedFile => async (path) => {
    const pcm = await decodeAudioFile(await readAudio(path));
    return engine.meanLogMel(pcm.samples, pcm.sampleRate, crop(cropSeconds));
  };
  return {
    encoder: { embed: embedWith(undefined), embedProbe: embedWith(options.cropSeconds), template: (e) => engine.enrollmentTemplate(e) },
    baseline: { embed: baselineWith(undefined), embedProbe: baselineWith(options.cropSeconds), template: meanOfUnitVectors },
    model: { id, sha256 },
    release: () => host.release(),
  };
}

/** The files each engine reads in an evaluation folder. */
export const MODALITY_EXTENSIONS = { face: ['.jpg', '.jpeg', '.png', '.pgm', '.gif'], voice: AUDIO_FILE_EXTENSIONS } as const;

export interface Modality {
  readonly model: ModelRef;
  readonly embed: EmbedFile;
  readonly embedProbe: EmbedFile;
  /** Names of what `embed` and `embedProbe` compute, for the embedding cache. */
  readonly variants: { readonly embed: string; readonly probe: string };
  readonly rule: EnrollmentRule;
  readonly energy: 'euclidean' | 'cosine';
  readonly kioskRule: DecisionPolicy;
  release(): Promise<void>;
}

/** The kiosk's gallery rule, energy and default decision policy for each modality (app/open-kiosk.ts). */
export async function loadModality(kind: 'face' | 'voice', modelsDir: string, flip: boolean, cropSeconds: number | undefined): Promise<Modality> {
  if (kind === 'face') {
    const face = await loadFaceEmbedder({ modelsDir, flip });
    return {
      model: face.model,
      embed: face.embed,
      embedProbe: face.embed,
      variants: { embed: `face:flip=${flip}`, probe: `face:flip=${flip}` },
      rule: { kind: 'each' },
      energy: 'euclidean',
      kioskRule: { threshold: KIOSK_SETTINGS.faceThreshold.default, margin: KIOSK_SETTINGS.faceMargin.default },
      release: () => face.release(),
    };
  }
  const voice = await loadVoiceEmbedders({ modelsDir, cropSeconds });
  return {
    model: voice.model,
    embed: voice.encoder.embed,
    embedProbe: voice.encoder.embedProbe,
    variants: { embed: 'voice:whole', probe: `voice:crop=${cropSeconds ?? 'none'}` },
    rule: { kind: 'mean', combine: (embeddings) => voice.encoder.template([...embeddings]) },
    energy: 'cosine',
    kioskRule: { threshold: KIOSK_SETTINGS.voiceThreshold.default, margin: KIOSK_SETTINGS.voiceMargin.default },
    release: () => voice.release(),
  };
}
