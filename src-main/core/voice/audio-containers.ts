/**
 * What audio-file.ts reads from container headers before any decoder runs: the format, the
 * declared length (so an over-long file is refused before decoding) and the structure checks
 * that catch a truncated or damaged file, which the decoders themselves often pass over in
 * silence (they skip what they cannot parse). No audio is decoded here.
 */
import { KioskError } from '../errors.js';

export function corrupt(message: string, details?: Record<string, unknown>): KioskError {
  return new KioskError('CORRUPT_AUDIO', message, details);
}

export function startsWith(bytes: Uint8Array, at: number, magic: string): boolean {
  if (at < 0 || bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic.charCodeAt(i)) return false;
  return true;
}

const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Bytes taken by an ID3v2 tag at the start (header, synch-safe size, optional footer). */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10) throw corrupt('The file is truncated inside its ID3 tag.');
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
}

// ---------------------------------------------------------------------------------------
// FLAC

/** STREAMINFO, the metadata block every FLAC stream begins with: the rate and the length in samples (0 = unknown). */
export function flacStreamInfo(bytes: Uint8Array, start: number): { sampleRate: number; totalSamples: number } {
  const at = start + 8; // 'fLaC', then the block header: last-block flag and type (0), 24-bit length
  if (bytes.length < at + 34) throw corrupt('The FLAC file is truncated inside its STREAMINFO header.');
  if ((bytes[start + 4]! & 0x7f) !== 0) throw corrupt('The FLAC file does not begin with a STREAMINFO block.');
  const sampleRate = (bytes[at + 10]! << 12) | (bytes[at + 11]! << 4) | (bytes[at + 12]! >> 4);
  const totalSamples = (bytes[at + 13]! & 0x0f) * 2 ** 32 + viewOf(bytes).getUint32(at + 14, false);
  if (sampleRate === 0) throw corrupt('The FLAC header declares a sample rate of 0 Hz.');
  return { sampleRate, totalSamples };
}

// ---------------------------------------------------------------------------------------
// Ogg

interface OggPage {
  readonly flags: number;
  readonly granule: bigint;
  readonly serial: number;
  readonly bodyAt: number;
  readonly end: number;
}

/** The page at `at`, or undefined when the file ends inside it. */
function oggPageAt(bytes: Uint8Array, at: number): OggPage | undefined {
  if (bytes.length < at + 27) return undefined;
  const segments = bytes[at + 26]!;
  const bodyAt = at + 27 + segments;
  if (bytes.length < bodyAt) return undefined;
  let bodyLength = 0;
  for (let i = 0; i < segments; i++) bodyLength += bytes[at + 27 + i]!;
  if (bytes.length < bodyAt + bodyLength) return undefined;
  const view = viewOf(bytes);
  return { flags: bytes[at + 5]!, granule: view.getBigInt64(at + 6, true), serial: view.getUint32(at + 14, true), bodyAt, end: bodyAt + bodyLength };
}

/** The codec of an Ogg file's first stream, from its first packet: 'opus', 'vorbis', or the name of another. */
export function oggCodec(bytes: Uint8Array): { supported: 'opus' | 'vorbis' } | { other: string } {
  const page = oggPageAt(bytes, 0);
  if (page === undefined) throw corrupt('The Ogg file is truncated inside its first page.');
  const body = bytes.subarray(page.bodyAt, page.end);
  if (startsWith(body, 0, 'OpusHead')) return { supported: 'opus' };
  if (startsWith(body, 0, '\x01vorbis')) return { supported: 'vorbis' };
  if (startsWith(body, 0, '\x7fFLAC')) return { other: 'FLAC' };
  if (startsWith(body, 0, 'Speex')) return { other: 'Speex' };
  if (startsWith(body, 1, 'theora')) return { other: 'Theora video' };
  return { other: 'an unknown codec' };
}

export interface OggStream {
  /** Granule position of the stream's last page: its length in samples (at 48 kHz for Opus, before pre-skip). */
  readonly lastGranule: number;
  /** The first packet: OpusHead, or the Vorbis identification header. */
  readonly head: Uint8Array;
}

/**
 * Walks every page of the file: each must be whole and pass its CRC-32, and the first stream
 * must reach its end-of-stream page (a file cut at a page boundary has none).
 */
export function scanOgg(bytes: Uint8Array): OggStream {
  const first = oggPageAt(bytes, 0);
  if (first === undefined) throw corrupt('The Ogg file is truncated inside its first page.');
  const view = viewOf(bytes);
  let lastGranule = 0n;
  let ended = false;
  let at = 0;
  for (let index = 0; at < bytes.length; index++) {
    if (!startsWith(bytes, at, 'OggS')) {
      if (ended) break; // bytes after the stream's end (padding) are not audio
      throw corrupt(`The Ogg file is damaged: page ${index} at byte ${at} does not start with "OggS".`, { page: index });
    }
    const page = oggPageAt(bytes, at);
    if (page === undefined) throw corrupt(`The Ogg file is truncated: it ends inside page ${index} (byte ${at}).`, { page: index });
    if (oggCrc(bytes, at, page.end) !== view.getUint32(at + 22, true)) {
      throw corrupt(`The Ogg file is damaged: page ${index} at byte ${at} fails its checksum.`, { page: index });
    }
    if (page.serial === first.serial) {
      if (page.granule >= 0n) lastGranule = page.granule; // -1: no packet ends on this page
      if (page.flags & 0x04) ended = true;
    }
    at = page.end;
  }
  if (!ended) throw corrupt('The Ogg file is truncated: its stream has no end-of-stream page.');
  return { lastGranule: Number(lastGranule), head: bytes.subarray(first.bodyAt, first.end) };
}

let crcTable: Uint32Array | undefined;

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0) of a page, its checksum field read as zeros. */
function oggCrc(bytes: Uint8Array, from: number, to: number): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let r = n << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    return r >>> 0;
  });
  let crc = 0;
  for (let i = from; i < to; i++) {
    const byte = i >= from + 22 && i < from + 26 ? 0 : bytes[i]!;
    crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

/** Pre-skip and channel layout from OpusHead (RFC 7845 §5.1), in the shape opus-decoder takes. */
export function opusHead(head: Uint8Array): {
  channels: number;
  preSkip: number;
  streamCount: number;
  coupledStreamCount: number;
  channelMappingTable: number[];
} {
  if (head.length < 19 || !startsWith(head, 0, 'OpusHead')) throw corrupt('The Opus header (OpusHead) is missing or truncated.');
  const channels = head[9]!;
  const preSkip = head[10]! | (head[11]! << 8);
  if (head[18] !== 0) {
    if (head.length < 21 + channels) throw corrupt('The Opus channel mapping table is truncated.');
    return { channels, preSkip, streamCount: head[19]!, coupledStreamCount: head[20]!, channelMappingTable: Array.from(head.subarray(21, 21 + channels)) };
  }
  if (channels < 1 || channels > 2) throw corrupt(`The Opus header declares ${channels} channels without a channel mapping.`);
  return { channels, preSkip, streamCount: 1, coupledStreamCount: channels - 1, channelMappingTable: channels === 2 ? [0, 1] : [0] };
}

// ---------------------------------------------------------------------------------------
// MPEG audio (MP3)

export interface MpegHeader {
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly sampleRate: number;
  readonly mono: boolean;
  readonly crc: boolean;
  readonly samplesPerFrame: number;
}

const MPEG_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/** The MPEG audio frame header at `at`, or undefined when there is none (ADTS AAC included). */
export function mpegHeader(bytes: Uint8Array, at: number): MpegHeader | undefined {
  if (bytes.length < at + 4) return undefined;
  const [b0, b1, b2, b3] = [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0xf || rateIndex === 3) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  return { version, layer, sampleRate: MPEG_RATES[version][rateIndex]!, mono: b3 >> 6 === 3, crc: (b1 & 1) === 0, samplesPerFrame };
}

/** Frames announced by a Xing/Info header in the first frame (LAME and ffmpeg write one), if there is one. */
export function xingFrames(bytes: Uint8Array, at: number, header: MpegHeader): number | undefined {
  if (header.layer !== 3) return undefined;
  const sideInfo = header.version === 1 ? (header.mono ? 17 : 32) : header.mono ? 9 : 17;
  const tag = at + 4 + (header.crc ? 2 : 0) + sideInfo;
  if (!(startsWith(bytes, tag, 'Xing') || startsWith(bytes, tag, 'Info')) || bytes.length < tag + 12) return undefined;
  const view = viewOf(bytes);
  return view.getUint32(tag + 4, false) & 1 ? view.getUint32(tag + 8, false) : undefined;
}

// ---------------------------------------------------------------------------------------
// WebM / Matroska (EBML)

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const VOID = 0xec;
const CRC32 = 0xbf;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
/** Children of Segment: SeekHead, Info, Tracks, Cluster, Cues, Chapters, Tags, Attachments. */
const SEGMENT_CHILDREN = new Set([0x114d9b74, 0x1549a966, 0x1654ae6b, CLUSTER, 0x1c53bb6b, 0x1043a770, 0x1254c367, 0x1941a469, VOID, CRC32]);
/** Children of Cluster: Timestamp, Position, PrevSize, SimpleBlock, BlockGroup, EncryptedBlock, SilentTracks. */
const CLUSTER_CHILDREN = new Set([0xe7, 0xa7, 0xab, 0xa3, 0xa0, 0xaf, 0x5854, VOID, CRC32]);

interface Element {
  readonly id: number;
  /** Where the element's body starts, and its size; undefined size = "unknown" (live streams). */
  readonly bodyAt: number;
  readonly size: number | undefined;
}

/** The element header at `at`: its ID and size as EBML variable-length integers. */
function elementAt(bytes: Uint8Array, at: number): Element {
  const idLength = varintLength(bytes, at);
  if (idLength === undefined || idLength > 4) throw corrupt(`The WebM file is damaged: no valid element at byte ${at}.`);
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + bytes[at + i]!;
  const sizeAt = at + idLength;
  const sizeLength = varintLength(bytes, sizeAt);
  if (sizeLength === undefined) throw corrupt(`The WebM file is damaged: the element at byte ${at} has no valid size.`);
  let size = bytes[sizeAt]! & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    size = size * 256 + bytes[sizeAt + i]!;
    allOnes &&= bytes[sizeAt + i] === 0xff;
  }
  return { id: id >>> 0, bodyAt: sizeAt + sizeLength, size: allOnes ? undefined : size };
}

/** Length of the variable-length integer at `at` (its leading zero bits + 1); undefined past the end or for 0x00. */
function varintLength(bytes: Uint8Array, at: number): number | undefined {
  if (at >= bytes.length || bytes[at] === 0) return undefined;
  const length = Math.clz32(bytes[at]!) - 23;
  return at + length <= bytes.length ? length : undefined;
}

/**
 * Walks the file's element tree down to the blocks: the EBML header, one Segment, and in it
 * only elements a WebM file holds, each inside the file. MediaRecorder writes the Segment and
 * its Clusters with unknown sizes; those end where the next Segment-level element (or the file)
 * begins. The demuxer, by contrast, stops quietly at the first element it cannot read.
 * Returns the number of blocks (SimpleBlock and BlockGroup elements) the clusters hold.
 */
export function checkWebmStructure(bytes: Uint8Array): number {
  const header = elementAt(bytes, 0);
  if (header.id !== EBML_HEADER || header.size === undefined) throw corrupt('The WebM file does not begin with an EBML header.');
  let at = within(bytes, header, 'EBML header');
  const segment = elementAt(bytes, at);
  if (segment.id !== SEGMENT) throw corrupt(`The WebM file is damaged: no Segment after its EBML header (byte ${at}).`);
  const segmentEnd = segment.size === undefined ? bytes.length : within(bytes, segment, 'Segment');
  let blocks = 0;
  /** One element inside a Cluster: checked, counted if a block; returns where it ends. */
  const clusterChild = (child: Element, childAt: number): number => {
    if (!CLUSTER_CHILDREN.has(child.id) || child.size === undefined) {
      throw corrupt(`The WebM file is damaged: unexpected element 0x${child.id.toString(16)} in a Cluster at byte ${childAt}.`);
    }
    if (child.id === SIMPLE_BLOCK || child.id === BLOCK_GROUP) blocks++;
    return within(bytes, child, 'block');
  };
  at = segment.bodyAt;
  while (at < segmentEnd) {
    const element = elementAt(bytes, at);
    if (!SEGMENT_CHILDREN.has(element.id)) throw corrupt(`The WebM file is damaged: unexpected element 0x${element.id.toString(16)} at byte ${at}.`);
    if (element.size === undefined && element.id !== CLUSTER) {
      throw corrupt(`The WebM file is damaged: element 0x${element.id.toString(16)} at byte ${at} has no size.`);
    }
    if (element.id !== CLUSTER) {
      at = within(bytes, element, 'Segment element');
      continue;
    }
    // A Cluster of unknown size ends where the next Segment-level element begins.
    const clusterEnd = element.size === undefined ? segmentEnd : within(bytes, element, 'Cluster');
    at = element.bodyAt;
    while (at < clusterEnd) {
      const child = elementAt(bytes, at);
      if (element.size === undefined && SEGMENT_CHILDREN.has(child.id) && child.id !== VOID && child.id !== CRC32) break;
      at = clusterChild(child, at);
    }
  }
  return blocks;
}

/** End of an element of known size, or CORRUPT_AUDIO when the file ends before it does. */
function within(bytes: Uint8Array, element: Element, what: string): number {
  const end = element.bodyAt + element.size!;
  if (end > bytes.length) throw corrupt(`The WebM file is truncated: a ${what} runs past the end of the file.`, { end, length: bytes.length });
  return end;
}
