/** The encoder that produced a vector: embeddings of different models are not comparable. */
export interface ModelRef {
  readonly id: string;
  /** Lower-case hex sha256 of the model file. */
  readonly sha256: string;
}
