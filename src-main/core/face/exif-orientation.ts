/**
 * EXIF orientation: phones store portrait photos sideways and set tag 0x0112; browsers
 * rotate them on display, so an enrolment photo must be rotated the same way or the
 * detector sees a face lying on its side.
 */
import type { RgbImage } from './types.js';

/** Orientation (1-8) from a TIFF block (the APP1 payload after "Exif\0\0"); 1 when absent or unreadable. */
export function readExifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const ifd0 = view.getUint32(4, little);
  if (ifd0 + 2 > tiff.length) return 1;
  const entries = view.getUint16(ifd0, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) !== 0x0112) continue;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** The image as it should be displayed for the given EXIF orientation. */
export function applyExifOrientation(image: RgbImage, orientation: number): RgbImage {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, data } = image;
  const transposed = orientation >= 5;
  const outW = transposed ? h : w;
  const outH = transposed ? w : h;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const [sx, sy] = sourcePixel(orientation, x, y, w, h);
      const s = (sy * w + sx) * 3;
      const o = (y * outW + x) * 3;
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Stored pixel shown at display position (x, y); w, h are the stored dimensions. */
function sourcePixel(orientation: number, x: number, y: number, w: number, h: number): [number, number] {
  switch (orientation) {
    case 2: return [w - 1 - x, y]; // mirrored
    case 3: return [w - 1 - x, h - 1 - y]; // rotated 180
    case 4: return [x, h - 1 - y]; // flipped vertically
    case 5: return [y, x]; // transposed
    case 6: return [y, h - 1 - x]; // needs 90 deg clockwise
    case 7: return [w - 1 - y, h - 1 - x]; // transverse
    default: return [w - 1 - y, x]; // 8: needs 90 deg counter-clockwise
  }
}
