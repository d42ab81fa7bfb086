/**
 * Audio files in the common formats, for evaluation folders and imported enrollment phrases:
 * WAV, FLAC, Ogg Opus, Ogg Vorbis, MP3 and WebM/Opus (what browsers' MediaRecorder writes).
 *
 * The format is recognised by its magic bytes, never by the file name. WAV goes through
 * decodeWav (pcm.ts); the compressed formats through maintained WebAssembly decoders
 * (`@wasm-audio-decoders/flac`, `@wasm-audio-decoders/ogg-vorbis`, `ogg-opus-decoder`,
 * `mpg123-decoder`, `opus-decoder`) and WebM's container through `mediabunny`'s demuxer, each
 * imported only when a file of its format arrives. Headers are read first (audio-containers.ts):
 * a file whose declared length is over the limit is refused before decoding, and decoding
 * stops as soon as the decoded audio passes the limit, whatever the header said.
 *
 * Everything leaves as finite mono Float32 PCM (channels averaged) at the file's own sample
 * rate (48 kHz for Opus), or as a KioskError: UNSUPPORTED_FORMAT for a format not listed
 * above, CORRUPT_AUDIO for a truncated or damaged file, PAYLOAD_TOO_LARGE past `maxSeconds`,
 * EMPTY_INPUT for 0 bytes, BAD_AUDIO for input that is not bytes or an implausible rate.
 */
import type { InputAudioTrack, InputTrack } from 'mediabunny';
import { KioskError } from '../errors.js';
import {
  checkWebmStructure,
  corrupt,
  flacStreamInfo,
  id3v2Length,
  mpegHeader,
  oggCodec,
  opusHead,
  scanOgg,
  startsWith,
  xingFrames,
} from './audio-containers.js';
import { type AudioLimits, DEFAULT_AUDIO_LIMITS, type MonoPcm, checkDuration, decodeWav, validatePcm } from './pcm.js';

export type AudioFileFormat = 'wav' | 'flac' | 'ogg-opus' | 'ogg-vorbis' | 'mp3' | 'webm';

/** File name endings evaluation folders are searched for (lower case, with the dot). */
export const AUDIO_FILE_EXTENSIONS = ['.wav', '.flac', '.ogg', '.opus', '.oga', '.mp3', '.webm'] as const;

export const ACCEPTED_AUDIO_FORMATS = 'WAV, FLAC, Ogg Opus, Ogg Vorbis, MP3 or WebM/Opus';

export interface DecodedAudio extends MonoPcm {
  readonly format: AudioFileFormat;
}

/** Compressed input is handed to the decoders this many bytes at a time, so decoding can stop at the limit. */
const CHUNK_BYTES = 64 * 1024;
/** Opus always decodes at 48 kHz; Ogg Opus granule positions count 48 kHz samples. */
const OPUS_RATE = 48000;
/** Opus packets handed to the decoder at once (WebM). */
const OPUS_PACKET_BATCH = 50;

/** Which format the bytes hold. Throws for anything not decodable here. */
export function sniffAudioFormat(bytes: Uint8Array): AudioFileFormat {
  if (!(bytes instanceof Uint8Array)) {
    throw new KioskError('BAD_AUDIO', `Audio file data must be a Uint8Array, got ${typeName(bytes)}.`);
  }
  if (bytes.length === 0) throw new KioskError('EMPTY_INPUT', 'The audio file is empty (0 bytes).');
  if (startsWith(bytes, 0, 'RIFF')) return 'wav'; // decodeWav says so when the RIFF form is not WAVE
  if (startsWith(bytes, 0, 'fLaC')) return 'flac';
  if (startsWith(bytes, 0, '\x1a\x45\xdf\xa3')) return 'webm';
  if (startsWith(bytes, 0, 'OggS')) {
    const codec = oggCodec(bytes);
    if ('supported' in codec) return codec.supported === 'opus' ? 'ogg-opus' : 'ogg-vorbis';
    throw unsupported(`This Ogg file carries ${codec.other}`);
  }
  const audioAt = startsWith(bytes, 0, 'ID3') ? id3v2Length(bytes) : 0;
  if (audioAt >= bytes.length) throw corrupt('The file holds an ID3 tag and no audio after it.');
  if (audioAt > 0 && startsWith(bytes, audioAt, 'fLaC')) return 'flac';
  if (mpegHeader(bytes, audioAt) !== undefined) return 'mp3';
  throw unsupported(otherFormat(bytes, audioAt));
}

/** Decodes an audio file of any supported format to mono PCM (see the module comment). */
export async function decodeAudioFile(bytes: Uint8Array, limits: AudioLimits = DEFAULT_AUDIO_LIMITS): Promise<DecodedAudio> {
  const format = sniffAudioFormat(bytes);
  if (format === 'wav') return { ...decodeWav(bytes, limits), format };
  let pcm: MonoPcm;
  try {
    pcm = await DECODERS[format](bytes, limits);
  } catch (error) {
    if (error instanceof KioskError) throw error;
    // A decoder or the demuxer tripped over the data (out-of-bounds reads and the like).
    throw corrupt(`The ${FORMAT_NAMES[format]} file cannot be decoded: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return { ...validatePcm(pcm.samples, pcm.sampleRate, limits), format };
}

const FORMAT_NAMES: Record<AudioFileFormat, string> = {
  wav: 'WAV',
  flac: 'FLAC',
  'ogg-opus': 'Ogg Opus',
  'ogg-vorbis': 'Ogg Vorbis',
  mp3: 'MP3',
  webm: 'WebM',
};

const DECODERS: Record<Exclude<AudioFileFormat, 'wav'>, (bytes: Uint8Array, limits: AudioLimits) => Promise<MonoPcm>> = {
  flac: decodeFlac,
  'ogg-opus': decodeOggOpus,
  'ogg-vorbis': decodeOggVorbis,
  mp3: decodeMp3,
  webm: decodeWebm,
};

// ---------------------------------------------------------------------------------------
// Gathering the decoders' output

/** What every decoder of the family returns per call. */
interface DecodedChunk {
  readonly channelData: Float32Array[];
  readonly samplesDecoded: number;
  readonly sampleRate: number;
  readonly errors: readonly { readonly message: string }[];
}

/** Collects decoded chunks as mono, refusing decoder errors, a changing rate and audio past the limit. */
class MonoCollector {
  private readonly parts: Float32Array[] = [];
  private frames = 0;
  private rate = 0;

  constructor(
    private readonly what: string,
    private readonly limits: AudioLimits,
  ) {}

  add(chunk: DecodedChunk): void {
    if (chunk.errors.length > 0) {
      const more = chunk.errors.length > 1 ? ` (and ${chunk.errors.length - 1} more)` : '';
      throw corrupt(`The ${this.what} file is damaged: ${chunk.errors[0]!.message}${more}.`, { errors: chunk.errors.length });
    }
    if (chunk.samplesDecoded === 0) return;
    if (this.rate !== 0 && chunk.sampleRate !== this.rate) {
      throw corrupt(`The ${this.what} stream changes sample rate from ${this.rate} to ${chunk.sampleRate} Hz: the file is damaged.`);
    }
    this.rate = chunk.sampleRate;
    this.parts.push(downmix(chunk.channelData, chunk.samplesDecoded));
    this.frames += chunk.samplesDecoded;
    checkDuration(this.frames, this.rate, this.limits); // decoding stops as soon as the limit is passed
  }

  result(): MonoPcm {
    if (this.frames === 0) throw corrupt(`The ${this.what} file contains no decodable audio (truncated or damaged).`);
    const samples = new Float32Array(this.frames);
    let at = 0;
    for (const part of this.parts) {
      samples.set(part, at);
      at += part.length;
    }
    return { samples, sampleRate: this.rate };
  }
}

function downmix(channels: readonly Float32Array[], frames: number): Float32Array {
  if (channels.length === 1) return channels[0]!.slice(0, frames);
  const out = new Float32Array(frames);
  for (const channel of channels) for (let i = 0; i < frames; i++) out[i]! += channel[i]!;
  for (let i = 0; i < frames; i++) out[i]! /= channels.length;
  return out;
}

interface StreamingDecoder {
  readonly ready: Promise<void>;
  decode(data: Uint8Array): DecodedChunk | Promise<DecodedChunk>;
  flush?: () => Promise<DecodedChunk>;
  free(): void;
}

/** Feeds the file to a streaming decoder chunk by chunk, so an over-long file stops decoding at the limit. */
async function decodeStream(decoder: StreamingDecoder, bytes: Uint8Array, collector: MonoCollector): Promise<MonoPcm> {
  try {
    await decoder.ready;
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) collector.add(await decoder.decode(bytes.subarray(at, at + CHUNK_BYTES)));
    if (decoder.flush) collector.add(await decoder.flush());
    return collector.result();
  } finally {
    decoder.free();
  }
}

// ---------------------------------------------------------------------------------------
// The formats

async function decodeFlac(bytes: Uint8Array, limits: AudioLimits): Promise<MonoPcm> {
  const start = startsWith(bytes, 0, 'ID3') ? id3v2Length(bytes) : 0;
  const info = flacStreamInfo(bytes, start);
  if (info.totalSamples > 0) checkDuration(info.totalSamples, info.sampleRate, limits);
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const pcm = await decodeStream(new FLACDecoder(), bytes.subarray(start), new MonoCollector('FLAC', limits));
  // Frames that fail their checksum are dropped without a word: the count tells a damaged or cut file.
  if (info.totalSamples > 0 && pcm.samples.length !== info.totalSamples) {
    throw corrupt(
      `The FLAC file holds ${pcm.samples.length} of the ${info.totalSamples} samples its header declares: it is truncated or damaged.`,
      { decoded: pcm.samples.length, declared: info.totalSamples },
    );
  }
  return pcm;
}

async function decodeOggOpus(bytes: Uint8Array, limits: AudioLimits): Promise<MonoPcm> {
  const stream = scanOgg(bytes);
  checkDuration(Math.max(0, stream.lastGranule - opusHead(stream.head).preSkip), OPUS_RATE, limits);
  const { OggOpusDecoder } = await import('ogg-opus-decoder');
  return decodeStream(new OggOpusDecoder(), bytes, new MonoCollector('Ogg Opus', limits));
}

async function decodeOggVorbis(bytes: Uint8Array, limits: AudioLimits): Promise<MonoPcm> {
  const stream = scanOgg(bytes);
  if (stream.head.length < 16) throw corrupt('The Ogg Vorbis identification header is truncated.');
  const sampleRate = new DataView(stream.head.buffer, stream.head.byteOffset, stream.head.byteLength).getUint32(12, true);
  if (sampleRate === 0) throw corrupt('The Ogg Vorbis header declares a sample rate of 0 Hz.');
  checkDuration(stream.lastGranule, sampleRate, limits);
  const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
  return decodeStream(new OggVorbisDecoder(), bytes, new MonoCollector('Ogg Vorbis', limits));
}

async function decodeMp3(bytes: Uint8Array, limits: AudioLimits): Promise<MonoPcm> {
  const at = startsWith(bytes, 0, 'ID3') ? id3v2Length(bytes) : 0;
  const header = mpegHeader(bytes, at)!; // sniffAudioFormat found it
  const frames = xingFrames(bytes, at, header);
  if (frames !== undefined) checkDuration(frames * header.samplesPerFrame, header.sampleRate, limits);
  const { MPEGDecoder } = await import('mpg123-decoder');
  const pcm = await decodeStream(new MPEGDecoder(), bytes.subarray(at), new MonoCollector('MP3', limits));
  if (pcm.sampleRate !== header.sampleRate) {
    throw corrupt(`The MP3 file's first frame says ${header.sampleRate} Hz but its audio decodes at ${pcm.sampleRate} Hz: it is damaged.`);
  }
  // Gapless decoding trims the encoder's delay and padding (under two frames); more missing means a cut file.
  if (frames !== undefined && pcm.samples.length < (frames - 3) * header.samplesPerFrame) {
    throw corrupt(`The MP3 file decodes to ${pcm.samples.length} samples where its header announces ${frames} frames: it is truncated.`, {
      decoded: pcm.samples.length,
      frames,
    });
  }
  return pcm;
}

async function decodeWebm(bytes: Uint8Array, limits: AudioLimits): Promise<MonoPcm> {
  const blocks = checkWebmStructure(bytes);
  const { Input, BufferSource, WEBM, MATROSKA, EncodedPacketSink } = await import('mediabunny');
  const input = new Input({ source: new BufferSource(bytes), formats: [WEBM, MATROSKA] });
  try {
    const tracks: InputTrack[] = await input.getTracks().catch(() => []);
    const track = tracks.find((t): t is InputAudioTrack => t.isAudioTrack());
    if (track === undefined) {
      if (tracks.length > 0) throw unsupported('This WebM file has no audio track');
      throw corrupt('The WebM file is truncated or damaged: no track can be read from it.');
    }
    if (track.codec !== 'opus') throw unsupported(`This WebM file carries ${track.codec ?? 'an unknown codec'} audio (WebM is accepted with Opus)`);
    // MediaRecorder leaves the duration out; ffmpeg and editors write it.
    const declared = await input.getDurationFromMetadata([track]).catch(() => null);
    if (declared !== null && declared > 0) checkDuration(declared * OPUS_RATE, OPUS_RATE, limits);
    const description = (await track.getDecoderConfig())?.description;
    const { OpusDecoder } = await import('opus-decoder');
    const decoder = new OpusDecoder(opusHead(bufferBytes(description) ?? new Uint8Array(0)));
    const collector = new MonoCollector('WebM', limits);
    let packets = 0;
    try {
      await decoder.ready;
      let batch: Uint8Array[] = [];
      for await (const packet of new EncodedPacketSink(track).packets()) {
        batch.push(packet.data);
        if (batch.length === OPUS_PACKET_BATCH) {
          collector.add(decoder.decodeFrames(batch));
          packets += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) collector.add(decoder.decodeFrames(batch));
      packets += batch.length;
    } finally {
      decoder.free();
    }
    // The demuxer skips blocks it cannot read (a damaged track number, say) without a word.
    if (tracks.length === 1 && packets < blocks) {
      throw corrupt(`The WebM file is damaged: ${blocks - packets} of its ${blocks} blocks cannot be read.`, { blocks, packets });
    }
    const pcm = collector.result();
    // The end may be trimmed by a frame's padding; half a second or more missing is a cut file.
    const seconds = pcm.samples.length / pcm.sampleRate;
    if (declared !== null && seconds < declared - 0.5) {
      throw corrupt(`The WebM file decodes to ${seconds.toFixed(2)} s of its declared ${declared.toFixed(2)} s: it is truncated.`);
    }
    return pcm;
  } finally {
    input.dispose();
  }
}

function bufferBytes(source: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return source instanceof ArrayBuffer ? new Uint8Array(source) : undefined;
}

// ---------------------------------------------------------------------------------------
// Refusals

/** Formats people often try, named in the refusal. */
const KNOWN_OTHERS: readonly { readonly name: string; readonly at: number; readonly magic: string }[] = [
  { name: 'MP4/M4A', at: 4, magic: 'ftyp' },
  { name: 'AIFF', at: 0, magic: 'FORM' },
  { name: 'AMR', at: 0, magic: '#!AMR' },
  { name: 'Core Audio (CAF)', at: 0, magic: 'caff' },
  { name: 'WMA/ASF', at: 0, magic: '\x30\x26\xb2\x75' },
];

function otherFormat(bytes: Uint8Array, at: number): string {
  const known = KNOWN_OTHERS.find((k) => startsWith(bytes, at + k.at, k.magic));
  if (known !== undefined) return `${known.name} audio is not supported`;
  if (bytes[at] === 0xff && (bytes[at + 1]! & 0xf6) === 0xf0) return 'ADTS AAC audio is not supported'; // MPEG sync, layer 0
  const head = Array.from(bytes.subarray(at, at + 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `Unrecognised audio format (first bytes ${head})`;
}

function unsupported(what: string): KioskError {
  return new KioskError('UNSUPPORTED_FORMAT', `${what}; accepted are ${ACCEPTED_AUDIO_FORMATS}.`, { accepted: ACCEPTED_AUDIO_FORMATS });
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
