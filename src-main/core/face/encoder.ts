/**
 * Face encoder stage: the dlib ResNet face descriptor (one branch of the siamese encoder)
 * turning 150x150 aligned chips into 128-d embeddings, batched.
 */
import * as ort from 'onnxruntime-node';
import { KioskError } from '../errors.js';
import type { ModelRegistry } from '../runtime/model-registry.js';
import type { OnnxHost } from '../runtime/onnx-host.js';
import { assertRgbImage } from './resize.js';
import type { Embedding, RgbImage } from './types.js';

export const ENCODER_MODEL_ID = 'face-encoder-dlib-resnet';
export const CHIP_SIZE = 150;
export const EMBEDDING_SIZE = 128;
/** Bounds the input tensor (~270 KB per chip) when a caller passes a large gallery. */
const MAX_BATCH = 32;

export class FaceEncoder {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(host: OnnxHost, registry: ModelRegistry): Promise<FaceEncoder> {
    const { session } = await host.load(await registry.pathOf(ENCODER_MODEL_ID));
    return new FaceEncoder(session);
  }

  /**
   * One embedding per chip, in order: face-api's raw descriptor, not unit length (L2 norm
   * 1.3-1.45 on face-api's demo faces); dlib compares descriptors by euclidean distance.
   */
  async embed(chips: readonly RgbImage[]): Promise<Embedding[]> {
    chips.forEach((chip, i) => {
      assertRgbImage(chip, `face chip ${i}`);
      if (chip.width !== CHIP_SIZE || chip.height !== CHIP_SIZE) {
        throw new KioskError('INVALID_INPUT', `face chip ${i} is ${chip.width}x${chip.height}; the encoder needs ${CHIP_SIZE}x${CHIP_SIZE}.`);
      }
    });
    const out: Embedding[] = [];
    for (let start = 0; start < chips.length; start += MAX_BATCH) {
      out.push(...(await this.run(chips.slice(start, start + MAX_BATCH))));
    }
    return out;
  }

  private async run(chips: readonly RgbImage[]): Promise<Embedding[]> {
    const pixels = CHIP_SIZE * CHIP_SIZE * 3;
    const input = new Float32Array(chips.length * pixels);
    chips.forEach((chip, i) => input.set(chip.data, i * pixels));
    const result = await this.session.run({ image: new ort.Tensor('float32', input, [chips.length, CHIP_SIZE, CHIP_SIZE, 3]) });
    const data = result['embedding']?.data;
    if (!(data instanceof Float32Array) || data.length !== chips.length * EMBEDDING_SIZE) {
      throw new KioskError('RUNTIME_ERROR', `${ENCODER_MODEL_ID} returned no ${EMBEDDING_SIZE}-d embeddings.`);
    }
    return chips.map((_, i) => data.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE));
  }
}
