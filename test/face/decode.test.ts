import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { KioskError, type KioskErrorCode } from '../../src-main/core/errors.js';
import { decodeImage } from '../../src-main/core/face/decode.js';
import type { RgbImage } from '../../src-main/core/face/types.js';
import { data, hasData, repoRoot } from '../helpers/paths.js';
import {
  ascii,
  exifOrientationSegment,
  ihdr,
  PNG_SIGNATURE,
  pngChunk,
  pngFile,
  randomBytes,
  withSegment,
} from './image-files.js';

const samplePath = `${repoRoot}/node_modules/@vladmandic/face-api/demo/sample1.jpg`;

function errorCode(run: () => unknown): KioskErrorCode | 'no error' | 'not a KioskError' {
  try {
    run();
    return 'no error';
  } catch (err) {
    return err instanceof KioskError ? err.code : 'not a KioskError';
  }
}

const pixel = (image: RgbImage, x: number, y: number): number[] => {
  const i = (y * image.width + x) * 3;
  return [...image.data.subarray(i, i + 3)];
};

describe('decodeImage: formats', () => {
  it('decodes a real JPEG photo to the size in its header and the pixels jpeg-js gives as RGBA', () => {
    const bytes = readFileSync(samplePath);
    const image = decodeImage(bytes);
    expect([image.width, image.height]).toEqual([1920, 1280]);
    const reference = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    for (let i = 0, o = 0; o < image.data.length; i += 4, o += 3) {
      if (image.data[o] !== reference.data[i] || image.data[o + 1] !== reference.data[i + 1] || image.data[o + 2] !== reference.data[i + 2]) {
        throw new Error(`pixel ${o / 3} differs`);
      }
    }
  });

  // Stored layout: 3 x 2 blocks of 16 px, colours A B C / D E F.
  const blocks = { A: [255, 0, 0], B: [0, 255, 0], C: [0, 0, 255], D: [255, 255, 0], E: [0, 255, 255], F: [255, 255, 255] };
  const storedJpeg = (): Uint8Array => {
    const order = [['A', 'B', 'C'], ['D', 'E', 'F']] as const;
    const rgba = new Uint8Array(48 * 32 * 4);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 48; x++) {
        rgba.set([...blocks[order[y >> 4]![x >> 4]!], 255], (y * 48 + x) * 4);
      }
    }
    return jpeg.encode({ width: 48, height: 32, data: rgba }, 95).data;
  };
  // What the EXIF specification says each orientation shows in the displayed top-left,
  // top-right and bottom-left corners, and the displayed size.
  const displayed: Record<number, { size: [number, number]; tl: keyof typeof blocks; tr: keyof typeof blocks; bl: keyof typeof blocks }> = {
    1: { size: [48, 32], tl: 'A', tr: 'C', bl: 'D' },
    2: { size: [48, 32], tl: 'C', tr: 'A', bl: 'F' },
    3: { size: [48, 32], tl: 'F', tr: 'D', bl: 'C' },
    4: { size: [48, 32], tl: 'D', tr: 'F', bl: 'A' },
    5: { size: [32, 48], tl: 'A', tr: 'D', bl: 'C' },
    6: { size: [32, 48], tl: 'D', tr: 'A', bl: 'F' },
    7: { size: [32, 48], tl: 'F', tr: 'C', bl: 'D' },
    8: { size: [32, 48], tl: 'C', tr: 'F', bl: 'A' },
  };
  it.each(Object.entries(displayed))('applies EXIF orientation %s', (orientation, expected) => {
    const image = decodeImage(withSegment(storedJpeg(), exifOrientationSegment(Number(orientation))));
    expect([image.width, image.height]).toEqual(expected.size);
    const near = (actual: number[], colour: number[]): boolean => actual.every((v, i) => Math.abs(v - colour[i]!) <= 12);
    expect(near(pixel(image, 2, 2), blocks[expected.tl])).toBe(true);
    expect(near(pixel(image, image.width - 3, 2), blocks[expected.tr])).toBe(true);
    expect(near(pixel(image, 2, image.height - 3), blocks[expected.bl])).toBe(true);
  });

  it('decodes an 8-bit RGB PNG exactly', () => {
    const png = new PNG({ width: 3, height: 2 });
    const rgb = [[10, 20, 30], [40, 50, 60], [70, 80, 90], [1, 2, 3], [250, 251, 252], [0, 0, 0]];
    rgb.forEach((c, i) => png.data.set([...c, 255], i * 4));
    const image = decodeImage(PNG.sync.write(png, { colorType: 2 }));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([...image.data]).toEqual(rgb.flat());
  });

  it('composites PNG alpha over black', () => {
    // RGBA 8-bit: opaque, transparent, half transparent.
    const image = decodeImage(pngFile(3, 1, 8, 6, [[200, 100, 50, 255, 200, 100, 50, 0, 200, 100, 50, 128]]));
    expect([...image.data]).toEqual([200, 100, 50, 0, 0, 0, 100, 50, 25]);
  });

  it('expands grey, grey+alpha, 16-bit and 1-bit PNGs to 8-bit RGB', () => {
    expect([...decodeImage(pngFile(2, 1, 8, 0, [[0, 77]])).data]).toEqual([0, 0, 0, 77, 77, 77]);
    expect([...decodeImage(pngFile(1, 1, 8, 4, [[90, 255]])).data]).toEqual([90, 90, 90]);
    // 16-bit RGB: 0x8080 / 65535 * 255 = 128.0; 0xffff -> 255; 0x0101 -> 1.
    expect([...decodeImage(pngFile(1, 1, 16, 2, [[0x80, 0x80, 0xff, 0xff, 0x01, 0x01]])).data]).toEqual([128, 255, 1]);
    // 1-bit grey, 3 pixels 1 0 1 packed MSB first.
    expect([...decodeImage(pngFile(3, 1, 1, 0, [[0b10100000]])).data]).toEqual([255, 255, 255, 0, 0, 0, 255, 255, 255]);
  });

  it('decodes a palette PNG, with a transparent palette entry turning black', () => {
    const plte = pngChunk('PLTE', [255, 0, 0, 0, 0, 255, 9, 8, 7]);
    const trns = pngChunk('tRNS', [255, 0]); // entry 1 fully transparent
    const image = decodeImage(pngFile(3, 1, 8, 3, [[0, 1, 2]], [plte, trns]));
    expect([...image.data]).toEqual([255, 0, 0, 0, 0, 0, 9, 8, 7]);
  });

  it('decodes the first GIF frame with its palette; transparent pixels are black', () => {
    const buf = new Uint8Array(1024);
    const writer = new GifWriter(buf, 2, 2, { palette: [0xff0000, 0x00ff00, 0x0000ff, 0x123456] });
    writer.addFrame(0, 0, 2, 2, [0, 1, 2, 3], { transparent: 3 });
    writer.addFrame(0, 0, 2, 2, [3, 3, 3, 3]);
    const image = decodeImage(buf.subarray(0, writer.end()));
    expect([...image.data]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0]);
  });

  it('decodes binary and ASCII PGM/PPM, 8- and 16-bit, with comments', () => {
    const p5 = Buffer.concat([ascii('P5\n# ORL-style\n3 1\n255\n'), Uint8Array.from([0, 128, 255])]);
    expect([...decodeImage(p5).data]).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
    // 16-bit big-endian, maxval 1023: 1023 -> 255, 512 -> round(127.62) = 128.
    const p5wide = Buffer.concat([ascii('P5 2 1 1023\n'), Uint8Array.from([0x03, 0xff, 0x02, 0x00])]);
    expect([...decodeImage(p5wide).data]).toEqual([255, 255, 255, 128, 128, 128]);
    expect([...decodeImage(ascii('P2\n2 2 # size\n15\n0 15\n5 # five\n10\n')).data]).toEqual([0, 0, 0, 255, 255, 255, 85, 85, 85, 170, 170, 170]);
    expect([...decodeImage(Buffer.concat([ascii('P6 1 1 255 '), Uint8Array.from([1, 2, 3])])).data]).toEqual([1, 2, 3]);
    expect([...decodeImage(ascii('P3 1 1 255 7 8 9')).data]).toEqual([7, 8, 9]);
  });

  it.skipIf(!hasData)('decodes an ORL face (P5 PGM) as grey', () => {
    const image = decodeImage(readFileSync(data('faces/orl/s1/1.pgm')));
    expect([image.width, image.height]).toEqual([92, 112]);
    for (let i = 0; i < image.data.length; i += 3) {
      if (image.data[i] !== image.data[i + 1] || image.data[i] !== image.data[i + 2]) throw new Error('not grey');
    }
  });
});

describe('decodeImage: bad input gets a typed error', () => {
  const sample = (): Uint8Array => new Uint8Array(readFileSync(samplePath));

  it('zero bytes: EMPTY_INPUT', () => {
    expect(errorCode(() => decodeImage(new Uint8Array(0)))).toBe('EMPTY_INPUT');
  });

  it('not bytes at all: INVALID_INPUT', () => {
    expect(errorCode(() => decodeImage('photo.jpg' as unknown as Uint8Array))).toBe('INVALID_INPUT');
    expect(errorCode(() => decodeImage(null as unknown as Uint8Array))).toBe('INVALID_INPUT');
  });

  it('unknown magic bytes: UNSUPPORTED_FORMAT, whatever the content', () => {
    expect(errorCode(() => decodeImage(Buffer.concat([ascii('BM'), randomBytes(1, 100)])))).toBe('UNSUPPORTED_FORMAT');
    expect(errorCode(() => decodeImage(Buffer.concat([ascii('RIFF\0\0\0\0WEBPVP8 '), randomBytes(2, 100)])))).toBe('UNSUPPORTED_FORMAT');
    expect(errorCode(() => decodeImage(ascii('hello, this is text')))).toBe('UNSUPPORTED_FORMAT');
  });

  it('truncated JPEG: CORRUPT_IMAGE', () => {
    const bytes = sample();
    expect(errorCode(() => decodeImage(bytes.subarray(0, bytes.length >> 1)))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(bytes.subarray(0, 300)))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(Uint8Array.from([0xff, 0xd8, 0xff])))).toBe('CORRUPT_IMAGE');
  });

  it('random bytes behind a PNG signature, a bad CRC or missing data: CORRUPT_IMAGE', () => {
    expect(errorCode(() => decodeImage(Buffer.concat([Uint8Array.from(PNG_SIGNATURE), randomBytes(3, 500)])))).toBe('CORRUPT_IMAGE');
    const good = pngFile(2, 2, 8, 2, [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
    const badCrc = good.slice();
    badCrc[44] = badCrc[44]! ^ 0xff; // inside the IDAT data
    expect(errorCode(() => decodeImage(badCrc))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(good.subarray(0, 45)))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(Buffer.concat([Uint8Array.from(PNG_SIGNATURE), ihdr(0, 5, 8, 2)])))).toBe('CORRUPT_IMAGE');
  });

  it('an interlaced PNG whose data inflates far past its size: CORRUPT_IMAGE, not an out-of-memory crash', () => {
    const bomb = Buffer.concat([
      Uint8Array.from(PNG_SIGNATURE),
      ihdr(64, 64, 8, 2, 1),
      pngChunk('IDAT', deflateSync(new Uint8Array(32 * 2 ** 20))),
      pngChunk('IEND', []),
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    expect(errorCode(() => decodeImage(bomb))).toBe('CORRUPT_IMAGE');
  });

  it('truncated GIF or a frame outside its canvas: CORRUPT_IMAGE', () => {
    const buf = new Uint8Array(1024);
    const writer = new GifWriter(buf, 4, 4, { palette: [0, 0xffffff] });
    writer.addFrame(0, 0, 4, 4, new Array(16).fill(1));
    const gif = buf.slice(0, writer.end());
    expect(errorCode(() => decodeImage(gif.subarray(0, gif.length - 8)))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(gif.subarray(0, 12)))).toBe('CORRUPT_IMAGE');
    const outside = gif.slice();
    const descriptor = outside.indexOf(0x2c, 13);
    outside[descriptor + 5] = 9; // frame width 9 on a 4-wide canvas
    expect(errorCode(() => decodeImage(outside))).toBe('CORRUPT_IMAGE');
  });

  it('PGM with missing pixels, a sample above maxval, maxval 0 or no size: CORRUPT_IMAGE', () => {
    expect(errorCode(() => decodeImage(Buffer.concat([ascii('P5 4 4 255\n'), new Uint8Array(10)])))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(ascii('P2 2 1 100 50 101')))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(ascii('P2 1 1 0 0')))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(ascii('P5 # nothing else\n')))).toBe('CORRUPT_IMAGE');
    expect(errorCode(() => decodeImage(ascii('P2 3 1 255 1 2')))).toBe('CORRUPT_IMAGE');
  });

  // Each file below only has a header claiming 8000 x 6250 (50 MP) and no pixel data: a decoder
  // that looked past the header would report CORRUPT_IMAGE, so IMAGE_TOO_LARGE proves the limit
  // was applied from the header, before anything was decoded or allocated.
  it.each([
    ['PNG', Buffer.concat([Uint8Array.from(PNG_SIGNATURE), ihdr(8000, 6250, 8, 2)])],
    ['JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 6250 >> 8, 6250 & 255, 8000 >> 8, 8000 & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])],
    ['GIF', Buffer.concat([ascii('GIF89a'), Uint8Array.from([8000 & 255, 8000 >> 8, 6250 & 255, 6250 >> 8, 0, 0, 0]), Uint8Array.from([0x3b])])],
    ['PGM', ascii('P5 8000 6250 255\n')],
  ])('a 50-megapixel %s is refused from its header: IMAGE_TOO_LARGE', (_format, bytes) => {
    expect(errorCode(() => decodeImage(bytes))).toBe('IMAGE_TOO_LARGE');
  });

  it('honours a caller-set pixel limit, and rejects a nonsensical one', () => {
    const small = pngFile(100, 100, 8, 0, Array.from({ length: 100 }, () => new Array(100).fill(9)));
    expect(decodeImage(small, { maxPixels: 10_000 }).width).toBe(100);
    expect(errorCode(() => decodeImage(small, { maxPixels: 9_999 }))).toBe('IMAGE_TOO_LARGE');
    expect(errorCode(() => decodeImage(small, { maxPixels: Number.NaN }))).toBe('INVALID_INPUT');
    expect(errorCode(() => decodeImage(small, { maxPixels: -1 }))).toBe('INVALID_INPUT');
  });

  it('never throws anything but a KioskError on random and truncated files (fuzz)', () => {
    const gifBuf = new Uint8Array(256);
    const gifWriter = new GifWriter(gifBuf, 3, 3, { palette: [0, 0xffffff] });
    gifWriter.addFrame(0, 0, 3, 3, [0, 1, 0, 1, 0, 1, 0, 1, 0]);
    const rgba = Uint8Array.from({ length: 40 * 30 * 4 }, (_, i) => (i * 31) & 255);
    const valid = [
      jpeg.encode({ width: 40, height: 30, data: rgba }, 90).data,
      pngFile(4, 3, 8, 6, Array.from({ length: 3 }, (_, y) => Array.from({ length: 16 }, (_, i) => (i * 37 + y) & 255))),
      gifBuf.slice(0, gifWriter.end()),
      Buffer.concat([ascii('P5 4 4 255\n'), randomBytes(9, 16)]),
    ];
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const base = valid[seed % valid.length]!;
      const bytes = base.slice(0, 1 + (seed * 7919) % base.length);
      // Flip a few bytes past the magic so the header and data are damaged, not just cut.
      const noise = randomBytes(seed, 6);
      for (let k = 0; k < 3; k++) {
        const at = 3 + ((noise[2 * k]! * 256 + noise[2 * k + 1]!) % Math.max(1, bytes.length - 3));
        if (at < bytes.length && seed % 2 === 0) bytes[at] = noise[k]!;
      }
      const code = errorCode(() => {
        const image = decodeImage(bytes);
        if (image.data.length !== image.width * image.height * 3) throw new Error('inconsistent image');
      });
      expect(code, `seed ${seed}`).not.toBe('not a KioskError');
      outcomes.add(code);
    }
    expect(outcomes.has('CORRUPT_IMAGE')).toBe(true);
  });
});
