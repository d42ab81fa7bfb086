/**
 * Landmarks from the landmark net that make no face are FACE_UNCLEAR ("face the camera"), a frame
 * problem with words for the person, not INVALID_INPUT with an internal sentence ("Landmarks are
 * degenerate: ...", once shown on the kiosk card).
 */
import { describe, expect, it } from 'vitest';
import { alignFace } from '../../src-main/core/face/align.js';
import { landmarksMakeAFace } from '../../src-main/core/face/unclear-face.js';
import { KioskError } from '../../src-main/core/errors.js';

const image = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(90) };

describe('landmarksMakeAFace', () => {
  it('turns landmarks that align no face into FACE_UNCLEAR, keeping the cause for the log', () => {
    const collapsed = Array.from({ length: 68 }, () => ({ x: 30, y: 30 }));
    let error: unknown;
    try {
      landmarksMakeAFace(() => alignFace(image, collapsed));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'FACE_UNCLEAR', details: { cause: expect.stringMatching(/degenerate/) } });
    expect((error as Error).message).not.toMatch(/degenerate/i);
  });

  it('passes results and other errors through', () => {
    expect(landmarksMakeAFace(() => 7)).toBe(7);
    expect(() => landmarksMakeAFace(() => { throw new KioskError('BLURRED', 'x'); })).toThrowError(expect.objectContaining({ code: 'BLURRED' }));
  });
});
