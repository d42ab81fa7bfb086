/** Contracts between the face pipeline stages: each stage's input and output type. */

/** Interleaved 8-bit RGB pixels, row-major, `data.length === width * height * 3`. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Axis-aligned box in image pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Detection {
  readonly box: Box;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
}

/** The 68 iBUG-300W landmark points, in image pixels (dlib / face-api numbering, 0-based). */
export type Landmarks68 = readonly Point[];

/** A face chip aligned to the encoder's canonical geometry (dlib: 150x150, padding 0.25). */
export interface AlignedFace {
  readonly image: RgbImage;
  /** 2x3 affine matrix mapping chip pixel coordinates to source image coordinates. */
  readonly chipToImage: readonly [number, number, number, number, number, number];
}

/** L2 embedding produced by one branch of the siamese encoder. */
export type Embedding = Float32Array;
