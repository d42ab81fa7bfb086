/**
 * Image files to the pipeline's RGB image: JPEG, PNG, GIF (first frame) and Netpbm
 * (PGM P5/P2, PPM P6/P3: the ORL faces are P5). The format comes from the magic bytes,
 * never the file name. Each decoder reads the dimensions from the header and enforces the
 * pixel limit before the pixel buffer exists, so a 50-megapixel upload is refused without
 * being allocated. Every failure is a KioskError: the libraries' own errors become
 * CORRUPT_IMAGE.
 */
import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import { KioskError } from '../errors.js';
import { applyExifOrientation, readExifOrientation } from './exif-orientation.js';
import { assertWithinPixelLimit, resolveMaxPixels, type ImageLimits } from './image-limits.js';
import type { RgbImage } from './types.js';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'pnm';

export function decodeImage(bytes: Uint8Array, limits?: ImageLimits): RgbImage {
  if (!(bytes instanceof Uint8Array)) {
    throw new KioskError('INVALID_INPUT', 'Image bytes must be a Uint8Array');
  }
  if (bytes.length === 0) throw new KioskError('EMPTY_INPUT', 'The image is empty (0 bytes)');
  const maxPixels = resolveMaxPixels(limits);
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    throw new KioskError('UNSUPPORTED_FORMAT', 'Unsupported image format: expected JPEG, PNG, GIF or PGM/PPM');
  }
  try {
    switch (format) {
      case 'jpeg': return decodeJpeg(bytes, maxPixels);
      case 'png': return decodePng(bytes, maxPixels);
      case 'gif': return decodeGif(bytes, maxPixels);
      case 'pnm': return decodePnm(bytes, maxPixels);
    }
  } catch (err) {
    if (err instanceof KioskError) throw err;
    throw corrupt(format, err instanceof Error ? err.message : String(err));
  }
}

export function sniffImageFormat(b: Uint8Array): ImageFormat | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return 'png';
  if (b.length >= 6 && ascii(b, 0, 6) === 'GIF87a') return 'gif';
  if (b.length >= 6 && ascii(b, 0, 6) === 'GIF89a') return 'gif';
  if (b.length >= 3 && b[0] === 0x50 && isNetpbmKind(b[1]!) && isWhitespace(b[2]!)) return 'pnm';
  return undefined;
}

// ---------------------------------------------------------------------------------- JPEG

function decodeJpeg(bytes: Uint8Array, maxPixels: number): RgbImage {
  const header = readJpegHeader(bytes);
  assertWithinPixelLimit(header.width, header.height, maxPixels);
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    // jpeg-js's own guards stay on as a second line of defence.
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 24) / 2 ** 20)),
  });
  const image: RgbImage = { width: decoded.width, height: decoded.height, data: decoded.data };
  if (image.data.length !== image.width * image.height * 3) throw corrupt('jpeg', 'unexpected pixel layout');
  return applyExifOrientation(image, header.orientation);
}

interface JpegHeader {
  width: number;
  height: number;
  orientation: number;
}

/** Walks the marker segments up to the frame header (SOFn), picking up the EXIF orientation on the way. */
function readJpegHeader(b: Uint8Array): JpegHeader {
  let orientation = 1;
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw corrupt('jpeg', 'marker expected');
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p += 1; // fill byte
      continue;
    }
    p += 2;
    if (marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no payload
    if (marker === 0xd9 || marker === 0xda) break; // end of image or scan data before any frame header
    const length = (b[p]! << 8) | b[p + 1]!;
    if (length < 2 || p + length > b.length) throw corrupt('jpeg', 'truncated header segment');
    if (isStartOfFrame(marker)) {
      if (length < 7) throw corrupt('jpeg', 'short frame header');
      const height = (b[p + 3]! << 8) | b[p + 4]!;
      const width = (b[p + 5]! << 8) | b[p + 6]!;
      if (width === 0 || height === 0) throw corrupt('jpeg', 'zero width or height');
      return { width, height, orientation };
    }
    if (marker === 0xe1 && length >= 8 && ascii(b, p + 2, 6) === 'Exif\0\0') {
      orientation = readExifOrientation(b.subarray(p + 8, p + length));
    }
    p += length;
  }
  throw corrupt('jpeg', 'no frame header');
}

function isStartOfFrame(marker: number): boolean {
  // C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frame headers.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

// ----------------------------------------------------------------------------------- PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function decodePng(bytes: Uint8Array, maxPixels: number): RgbImage {
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') throw corrupt('png', 'missing IHDR');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24]!;
  const channels = PNG_CHANNELS[bytes[25]!];
  if (width === 0 || height === 0 || channels === undefined) throw corrupt('png', 'invalid IHDR');
  assertWithinPixelLimit(width, height, maxPixels);
  if (bytes[28] === 1) assertInterlacedDataFits(bytes, width, height, channels * depth);

  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return rgbaOverBlack(png.data, png.width, png.height);
}

/**
 * pngjs bounds the inflated size of plain PNGs but inflates interlaced ones without a cap,
 * so a few kilobytes of zeros could expand to gigabytes: inflate under the exact Adam7 size first.
 */
function assertInterlacedDataFits(bytes: Uint8Array, width: number, height: number, bitsPerPixel: number): void {
  const idat: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 8; p + 8 <= bytes.length; ) {
    const length = view.getUint32(p);
    const type = ascii(bytes, p + 4, 4);
    if (p + 12 + length > bytes.length) break; // pngjs reports the truncation
    if (type === 'IDAT') idat.push(bytes.subarray(p + 8, p + 8 + length));
    if (type === 'IEND') break;
    p += 12 + length;
  }
  let expected = 0;
  for (const [x0, y0, dx, dy] of ADAM7_PASSES) {
    const passWidth = Math.max(0, Math.ceil((width - x0) / dx));
    const passHeight = Math.max(0, Math.ceil((height - y0) / dy));
    if (passWidth > 0) expected += (Math.ceil((passWidth * bitsPerPixel) / 8) + 1) * passHeight;
  }
  inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(expected, 1) });
}

const ADAM7_PASSES = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
] as const;

// ----------------------------------------------------------------------------------- GIF

function decodeGif(bytes: Uint8Array, maxPixels: number): RgbImage {
  if (bytes.length < 13) throw corrupt('gif', 'truncated header');
  const width = bytes[6]! | (bytes[7]! << 8);
  const height = bytes[8]! | (bytes[9]! << 8);
  if (width === 0 || height === 0) throw corrupt('gif', 'zero width or height');
  assertWithinPixelLimit(width, height, maxPixels);

  const reader = new GifReader(bytes);
  if (reader.numFrames() === 0) throw corrupt('gif', 'no image frame');
  const frame = reader.frameInfo(0);
  // omggif trusts these fields; a frame outside the canvas or past the end of the file is corrupt.
  if (frame.x + frame.width > width || frame.y + frame.height > height) throw corrupt('gif', 'frame outside canvas');
  if (frame.data_offset + frame.data_length > bytes.length) throw corrupt('gif', 'truncated image data');
  const rgba = new Uint8Array(width * height * 4);
  reader.decodeAndBlitFrameRGBA(0, rgba);
  return rgbaOverBlack(rgba, width, height);
}

// ------------------------------------------------------------------------------- Netpbm

function decodePnm(b: Uint8Array, maxPixels: number): RgbImage {
  const kind = String.fromCharCode(b[1]!);
  const channels = kind === '3' || kind === '6' ? 3 : 1;
  const binary = kind === '5' || kind === '6';
  const reader = new PnmTokenReader(b, 2);
  const width = reader.next();
  const height = reader.next();
  if (width === 0 || height === 0) throw corrupt('pnm', 'zero width or height');
  assertWithinPixelLimit(width, height, maxPixels);
  const maxval = reader.next();
  if (maxval < 1 || maxval > 65535) throw corrupt('pnm', `invalid maxval ${maxval}`);

  const samples = width * height * channels;
  const values = new Uint16Array(samples);
  if (binary) {
    const start = reader.position + 1; // exactly one whitespace byte ends the header
    const bytesPerSample = maxval < 256 ? 1 : 2;
    if (b.length - start < samples * bytesPerSample) throw corrupt('pnm', 'truncated pixel data');
    for (let i = 0; i < samples; i++) {
      values[i] = bytesPerSample === 1 ? b[start + i]! : (b[start + 2 * i]! << 8) | b[start + 2 * i + 1]!;
    }
  } else {
    for (let i = 0; i < samples; i++) values[i] = reader.next();
  }

  const rgb = new Uint8Array(width * height * 3);
  for (let px = 0; px < width * height; px++) {
    for (let c = 0; c < 3; c++) {
      const v = values[px * channels + (channels === 3 ? c : 0)]!;
      if (v > maxval) throw corrupt('pnm', 'sample above maxval');
      rgb[px * 3 + c] = Math.round((v * 255) / maxval);
    }
  }
  return { width, height, data: rgb };
}

/** Decimal header fields (and P2/P3 samples) separated by whitespace and '#' comments. */
class PnmTokenReader {
  constructor(private readonly b: Uint8Array, public position: number) {}

  next(): number {
    const { b } = this;
    let p = this.position;
    for (;;) {
      if (p >= b.length) throw corrupt('pnm', 'truncated header');
      if (b[p] === 0x23) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      } else if (isWhitespace(b[p]!)) {
        p++;
      } else {
        break;
      }
    }
    let value = 0;
    const start = p;
    while (p < b.length && b[p]! >= 0x30 && b[p]! <= 0x39) value = value * 10 + (b[p++]! - 0x30);
    if (p === start) throw corrupt('pnm', 'number expected');
    this.position = p;
    return value;
  }
}

function isNetpbmKind(c: number): boolean {
  return c === 0x32 || c === 0x33 || c === 0x35 || c === 0x36; // P2 P3 P5 P6
}

// ------------------------------------------------------------------------------- shared

/** Transparent pixels become black, as a browser canvas read (premultiplied) would give. */
function rgbaOverBlack(rgba: Uint8Array, width: number, height: number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    const a = rgba[i + 3]!;
    rgb[o] = ((rgba[i]! * a + 127) / 255) | 0;
    rgb[o + 1] = ((rgba[i + 1]! * a + 127) / 255) | 0;
    rgb[o + 2] = ((rgba[i + 2]! * a + 127) / 255) | 0;
  }
  return { width, height, data: rgb };
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

function corrupt(format: ImageFormat, reason: string): KioskError {
  return new KioskError('CORRUPT_IMAGE', `The ${format.toUpperCase()} image is damaged or truncated (${reason})`, {
    format,
    reason,
  });
}
