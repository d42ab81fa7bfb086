/**
 * Speaker encoder: one branch of the project's siamese voice network, exported to ONNX.
 * Log-mel frames [1, T, nMels] in, an L2-normalised embedding [1, D] out.
 */
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import type { LogMelFeatures } from './features.js';

const INPUT = 'features';
const OUTPUT = 'embedding';

export class SpeakerEncoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Mel bands the model was exported for, when its input declares them. */
    private readonly mels: number | undefined,
  ) {}

  static async create(host: OnnxHost, modelPath: string): Promise<SpeakerEncoder> {
    const { session } = await host.load(modelPath);
    const input = session.inputMetadata.find((m) => m.name === INPUT);
    if (input === undefined || !session.outputNames.includes(OUTPUT)) {
      throw new KioskError(
        'MODEL_CORRUPT',
        `${modelPath} is not a voice encoder: expected input "${INPUT}" and output "${OUTPUT}".`,
        { path: modelPath, inputs: session.inputNames, outputs: session.outputNames },
      );
    }
    const lastDim = input.isTensor ? input.shape[input.shape.length - 1] : undefined;
    return new SpeakerEncoder(session, typeof lastDim === 'number' ? lastDim : undefined);
  }

  /** Embeds one utterance's log-mel frames; the result has unit L2 norm. */
  async embed(features: LogMelFeatures): Promise<Float32Array> {
    if (features.frames < 1) {
      throw new KioskError('SPEECH_TOO_SHORT', 'The speech is too short to compute a single feature frame.');
    }
    if (this.mels !== undefined && features.mels !== this.mels) {
      throw new KioskError(
        'MODEL_CORRUPT',
        `The voice encoder expects ${this.mels} mel bands but the front end produced ${features.mels}.`,
      );
    }
    const tensor = new ort.Tensor('float32', features.data, [1, features.frames, features.mels]);
    let output: ort.Tensor | undefined;
    try {
      output = (await this.session.run({ [INPUT]: tensor }))[OUTPUT] as ort.Tensor | undefined;
    } catch (cause) {
      throw new KioskError('RUNTIME_ERROR', 'The voice encoder failed to run.', { cause: String(cause) });
    }
    if (output === undefined) throw new KioskError('RUNTIME_ERROR', `The voice encoder returned no "${OUTPUT}".`);
    return unitNorm(Float32Array.from(output.data as Float32Array));
  }
}

/**
 * Rescales to unit L2 norm in place. The model already normalises; doing it again costs
 * nothing and lets cosine similarity be a plain dot product whatever the export did.
 */
function unitNorm(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new KioskError('RUNTIME_ERROR', 'The voice encoder produced a zero or non-finite embedding.');
  }
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
