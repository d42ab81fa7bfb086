/** The part of omggif@1 (no bundled types) that the GIF decoder and its tests use. */
declare module 'omggif' {
  export interface GifFrameInfo {
    x: number;
    y: number;
    width: number;
    height: number;
    data_offset: number;
    data_length: number;
  }

  export class GifReader {
    constructor(buf: Uint8Array);
    readonly width: number;
    readonly height: number;
    numFrames(): number;
    frameInfo(frameNum: number): GifFrameInfo;
    decodeAndBlitFrameRGBA(frameNum: number, pixels: Uint8Array): void;
  }

  /** Used by the tests to write GIF fixtures. */
  export class GifWriter {
    constructor(buf: Uint8Array, width: number, height: number, options?: { palette?: number[]; loop?: number });
    addFrame(x: number, y: number, width: number, height: number, indexedPixels: ArrayLike<number>, options?: { palette?: number[]; transparent?: number; delay?: number }): number;
    end(): number;
  }
}
