import { describe, expect, it } from 'vitest';
import { KioskError } from '../../src-main/core/errors.js';
import { rgbaFrameToRgb } from '../../src-main/core/face/frame.js';

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (err) {
    return err instanceof KioskError ? err.code : `not a KioskError: ${String(err)}`;
  }
}

describe('rgbaFrameToRgb', () => {
  it('drops alpha and keeps the pixel order', () => {
    const rgba = Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 0, 7, 8, 9, 128, 10, 11, 12, 1]);
    const image = rgbaFrameToRgb(rgba, 2, 2);
    expect([image.width, image.height]).toEqual([2, 2]);
    expect([...image.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('accepts canvas ImageData pixels (Uint8ClampedArray)', () => {
    const image = rgbaFrameToRgb(Uint8ClampedArray.from([9, 8, 7, 255]), 1, 1);
    expect([...image.data]).toEqual([9, 8, 7]);
  });

  it('a frame whose byte count does not match its size: BAD_FRAME', () => {
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(15), 2, 2))).toBe('BAD_FRAME');
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(12), 2, 2))).toBe('BAD_FRAME'); // RGB sent as RGBA
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(0), 2, 2))).toBe('BAD_FRAME');
  });

  it.each([
    ['NaN width', Number.NaN, 2],
    ['NaN height', 2, Number.NaN],
    ['zero width', 0, 2],
    ['negative height', 2, -2],
    ['fractional width', 1.5, 2],
    ['infinite width', Number.POSITIVE_INFINITY, 2],
    ['width as a string', '2' as unknown as number, 2],
  ])('%s: BAD_FRAME', (_case, width, height) => {
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(16), width, height))).toBe('BAD_FRAME');
  });

  it('pixels that are not a byte array: BAD_FRAME', () => {
    expect(codeOf(() => rgbaFrameToRgb([1, 2, 3, 4] as unknown as Uint8Array, 1, 1))).toBe('BAD_FRAME');
    expect(codeOf(() => rgbaFrameToRgb(new Float32Array(4) as unknown as Uint8Array, 1, 1))).toBe('BAD_FRAME');
    expect(codeOf(() => rgbaFrameToRgb(undefined as unknown as Uint8Array, 1, 1))).toBe('BAD_FRAME');
  });

  it('a 50-megapixel frame: IMAGE_TOO_LARGE before its size is even compared with the data', () => {
    // 4 bytes of data for an 8000 x 6250 frame: the limit is what answers.
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(4), 8000, 6250))).toBe('IMAGE_TOO_LARGE');
    expect(codeOf(() => rgbaFrameToRgb(new Uint8Array(4 * 100), 10, 10, { maxPixels: 99 }))).toBe('IMAGE_TOO_LARGE');
    expect(rgbaFrameToRgb(new Uint8Array(4 * 100), 10, 10, { maxPixels: 100 }).width).toBe(10);
  });
});
