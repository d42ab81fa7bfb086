/**
 * Audio files in every accepted format, on real speech: LibriSpeech's FLAC and speechocean762's
 * Ogg Opus as shipped in the shared data, and a GRID sentence encoded by ffmpeg at test time to
 * Ogg Vorbis, MP3, WebM/Opus (with a duration, and as a live stream without one, the way
 * MediaRecorder writes it). Each decode is checked against an independent one (ffmpeg's, or the
 * WAV it was made from): rate, length, and the signal itself. Then damaged, cut, unknown and
 * over-long files, each of which must give its typed error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKioskError } from '../../src-main/core/errors.js';
import { OnnxHost } from '../../src-main/core/runtime/onnx-host.js';
import { type AudioFileFormat, decodeAudioFile, sniffAudioFormat } from '../../src-main/core/voice/audio-file.js';
import { VOICE_ENCODER_ID, VoiceEngine } from '../../src-main/core/voice/engine.js';
import { decodeWav } from '../../src-main/core/voice/pcm.js';
import { resampleTo16k } from '../../src-main/core/voice/resample.js';
import { data, repoRoot } from '../helpers/paths.js';
import { readBytes } from './audio-helpers.js';

const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
const gridWav = data('av/grid/s1/bbaf2n.wav');
const libriFlac = data('voice/librispeech-train-clean-100/103-1240-0000.flac');
const speechoceanDir = data('voice/speechocean762/SPEAKER0001');
const hasShared = existsSync(gridWav) && existsSync(libriFlac) && existsSync(speechoceanDir);
const manifestPath = join(repoRoot, 'models/manifest.json');
const hasModels = existsSync(manifestPath) && VOICE_ENCODER_ID in (JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: object }).models;
const skipReason = [!hasFfmpeg && 'ffmpeg (apt-get install ffmpeg)', !hasShared && 'the shared speech data (GRID, LibriSpeech, speechocean762)']
  .filter(Boolean)
  .join(' and ');
if (skipReason) console.warn(`[tests] audio-file real-speech tests skipped: missing ${skipReason}.`);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return isKioskError(e) ? e.code : `not a KioskError: ${String(e)}`;
  }
  return 'no error';
}

function ffmpeg(...args: string[]): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

function ffprobeSeconds(path: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/** Largest normalised cross-correlation of a and b over lags within ±maxLag samples, and that lag. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0, aa = 0, bb = 0;
    const from = Math.max(0, -lag), to = Math.min(a.length, b.length - lag);
    for (let i = from; i < to; i++) {
      const x = a[i]!, y = b[i + lag]!;
      ab += x * y; aa += x * x; bb += y * y;
    }
    const r = ab / Math.sqrt(aa * bb);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

/** bestCorrelation over a long lag range: found on 8x block averages first, then refined at full rate. */
function alignedCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  const coarse = (x: Float32Array): Float32Array => Float32Array.from({ length: Math.floor(x.length / 8) }, (_, i) => x.subarray(i * 8, i * 8 + 8).reduce((s, v) => s + v, 0) / 8);
  const rough = bestCorrelation(coarse(a), coarse(b), Math.ceil(maxLag / 8));
  const shift = rough.lag * 8;
  const fine = bestCorrelation(shift >= 0 ? a : a.subarray(-shift), shift >= 0 ? b.subarray(shift) : b, 16);
  return { r: fine.r, lag: shift + fine.lag };
}

/** A copy with every `step`-th byte from the middle on flipped: damage a container or codec check must notice. */
function damaged(bytes: Uint8Array, step = 97): Uint8Array {
  const copy = bytes.slice();
  for (let i = Math.floor(copy.length / 2); i < copy.length; i += step) copy[i]! ^= 0x55;
  return copy;
}

describe('decodeAudioFile: input that is not a supported audio file', () => {
  it('0 bytes -> EMPTY_INPUT; a value that is not bytes -> BAD_AUDIO', async () => {
    expect(await codeOf(decodeAudioFile(new Uint8Array(0)))).toBe('EMPTY_INPUT');
    expect(await codeOf(decodeAudioFile('OggS' as unknown as Uint8Array))).toBe('BAD_AUDIO');
  });
  it('text, an MP4 box and an AIFF header -> UNSUPPORTED_FORMAT naming the accepted formats', async () => {
    const cases = [
      new TextEncoder().encode('<html>not audio</html>'),
      Uint8Array.from([0, 0, 0, 0x20, ...new TextEncoder().encode('ftypM4A '), ...new Uint8Array(32)]),
      new TextEncoder().encode('FORM\0\0\0\x20AIFFCOMM'),
    ];
    for (const bytes of cases) {
      const error = await decodeAudioFile(bytes).catch((e: unknown) => e);
      expect(isKioskError(error, 'UNSUPPORTED_FORMAT')).toBe(true);
      expect((error as Error).message).toContain('WAV, FLAC, Ogg Opus, Ogg Vorbis, MP3 or WebM/Opus');
    }
    expect(((await decodeAudioFile(cases[1]!).catch((e: unknown) => e)) as Error).message).toMatch(/^MP4\/M4A/);
  });
  it('an ID3 tag with nothing after it, or a lone Ogg/FLAC/EBML signature -> CORRUPT_AUDIO', async () => {
    const id3Only = Uint8Array.from([...new TextEncoder().encode('ID3'), 4, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
    for (const bytes of [id3Only, new TextEncoder().encode('OggS\0'), new TextEncoder().encode('fLaC\0\0\0\x22'), Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x80])]) {
      expect(await codeOf(decodeAudioFile(bytes))).toBe('CORRUPT_AUDIO');
    }
  });
});

describe.skipIf(skipReason !== '')('decodeAudioFile on real speech', () => {
  let dir: string;
  const grid = (): Float32Array => decodeWav(readBytes(gridWav)).samples; // 16 kHz, 2.978 s
  const made = new Map<string, string>();
  const file = (name: string): Uint8Array => readBytes(made.get(name)!);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-audio-file-'));
    const out = (name: string, ...args: string[]): void => {
      made.set(name, join(dir, name));
      ffmpeg(...args, join(dir, name));
    };
    out('vorbis.ogg', '-i', gridWav, '-c:a', 'libvorbis');
    // 64 kbit/s: ffmpeg's default for 16 kHz input, 24 kbit/s, audibly dulls the voice (the encoder's
    // cosine to the WAV drops to about 0.81, with ffmpeg's own decode of the file as with ours).
    out('lame.mp3', '-i', gridWav, '-c:a', 'libmp3lame', '-b:a', '64k');
    out('opus.webm', '-i', gridWav, '-c:a', 'libopus');
    // A live WebM as MediaRecorder writes it: no duration in the header.
    out('live.webm', '-i', gridWav, '-c:a', 'libopus', '-f', 'webm', '-live', '1');
    out('stereo.webm', '-i', gridWav, '-ac', '2', '-c:a', 'libopus');
    // Independent decodes of the shared files, by ffmpeg, for comparison.
    out('libri.wav', '-i', libriFlac, '-c:a', 'pcm_s16le');
    // Unsupported codecs inside supported containers.
    out('ogg-flac.oga', '-i', gridWav, '-c:a', 'flac', '-f', 'ogg');
    out('vorbis.webm', '-i', gridWav, '-c:a', 'libvorbis', '-f', 'webm');
    out('aac.m4a', '-i', gridWav, '-c:a', 'aac');
    // Over the 30 s limit: the sentence eleven times (about 33 s), in every format.
    for (const [name, codec] of [['long.flac', 'flac'], ['long.opus', 'libopus'], ['long.ogg', 'libvorbis'], ['long.mp3', 'libmp3lame'], ['long.webm', 'libopus']] as const) {
      out(name, '-stream_loop', '10', '-i', gridWav, '-c:a', codec);
    }
    out('long-live.webm', '-stream_loop', '10', '-i', gridWav, '-c:a', 'libopus', '-f', 'webm', '-live', '1');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('LibriSpeech FLAC: 16 kHz, ffprobe\'s length, and the same samples as ffmpeg\'s decode', async () => {
    const decoded = await decodeAudioFile(readBytes(libriFlac));
    expect(decoded.format).toBe('flac');
    expect(decoded.sampleRate).toBe(16000);
    expect(decoded.samples.length / 16000).toBeCloseTo(ffprobeSeconds(libriFlac), 2);
    const reference = decodeWav(file('libri.wav'));
    expect(decoded.samples.length).toBe(reference.samples.length);
    // Lossless: the same integers, scaled by 1/32767 there and 1/32768 here.
    let worst = 0;
    for (let i = 0; i < reference.samples.length; i++) worst = Math.max(worst, Math.abs(decoded.samples[i]! - reference.samples[i]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('speechocean762 Ogg Opus: 48 kHz, ffprobe\'s length, the same signal as ffmpeg\'s decode', async () => {
    const files = readdirSync(speechoceanDir).filter((f) => f.endsWith('.ogg')).sort().slice(0, 3);
    for (const name of files) {
      const path = join(speechoceanDir, name);
      const decoded = await decodeAudioFile(readBytes(path));
      expect(decoded.format).toBe('ogg-opus');
      expect(decoded.sampleRate).toBe(48000);
      expect(Math.abs(decoded.samples.length / 48000 - ffprobeSeconds(path))).toBeLessThan(0.03);
      const wav = join(dir, `${name}.wav`);
      ffmpeg('-i', path, '-ar', '48000', '-c:a', 'pcm_f32le', wav);
      const { r, lag } = bestCorrelation(decoded.samples, decodeWav(readBytes(wav)).samples, 480);
      expect(r).toBeGreaterThan(0.99);
      expect(Math.abs(lag)).toBeLessThanOrEqual(48); // within 1 ms
    }
  });

  const encoded: { name: string; format: AudioFileFormat; rate: number; minR: number }[] = [
    { name: 'vorbis.ogg', format: 'ogg-vorbis', rate: 16000, minR: 0.95 },
    { name: 'lame.mp3', format: 'mp3', rate: 16000, minR: 0.95 },
    { name: 'opus.webm', format: 'webm', rate: 48000, minR: 0.95 },
    { name: 'live.webm', format: 'webm', rate: 48000, minR: 0.95 },
    { name: 'stereo.webm', format: 'webm', rate: 48000, minR: 0.95 },
  ];
  it.each(encoded)('$name (GRID sentence encoded by ffmpeg): $format at $rate Hz, 2.98 s, the WAV\'s signal', async ({ name, format, rate, minR }) => {
    const decoded = await decodeAudioFile(file(name));
    expect(decoded.format).toBe(format);
    expect(decoded.sampleRate).toBe(rate);
    expect(Math.abs(decoded.samples.length / rate - 2.978)).toBeLessThan(0.03);
    const at16k = resampleTo16k(decoded.samples, rate);
    const { r, lag } = bestCorrelation(at16k, grid(), 320);
    expect(r).toBeGreaterThan(minR);
    expect(Math.abs(lag)).toBeLessThanOrEqual(16); // within 1 ms
  });

  it('the format comes from the bytes, not the file name', () => {
    expect(sniffAudioFormat(file('lame.mp3'))).toBe('mp3');
    expect(sniffAudioFormat(file('live.webm'))).toBe('webm');
    expect(sniffAudioFormat(readBytes(libriFlac))).toBe('flac');
  });

  it('a cut file -> CORRUPT_AUDIO in every format', async () => {
    for (const bytes of [readBytes(libriFlac), readBytes(join(speechoceanDir, readdirSync(speechoceanDir).sort()[0]!)), ...encoded.map((e) => file(e.name))]) {
      for (const keep of [0.3, 0.8]) expect(await codeOf(decodeAudioFile(bytes.subarray(0, Math.floor(bytes.length * keep))))).toBe('CORRUPT_AUDIO');
    }
  });

  it('damaged bytes -> CORRUPT_AUDIO where the format can tell (FLAC, Ogg, WebM)', async () => {
    // MP3 frames carry no checksum: damage inside them decodes as noise, and is not tested here.
    for (const bytes of [readBytes(libriFlac), file('vorbis.ogg'), readBytes(join(speechoceanDir, readdirSync(speechoceanDir).sort()[0]!)), file('opus.webm'), file('live.webm')]) {
      expect(await codeOf(decodeAudioFile(damaged(bytes)))).toBe('CORRUPT_AUDIO');
    }
  });

  it('Ogg FLAC, WebM with Vorbis and AAC in MP4 -> UNSUPPORTED_FORMAT', async () => {
    for (const name of ['ogg-flac.oga', 'vorbis.webm', 'aac.m4a']) expect(await codeOf(decodeAudioFile(file(name)))).toBe('UNSUPPORTED_FORMAT');
  });

  it('33 s files -> PAYLOAD_TOO_LARGE in every format; a higher limit decodes them', async () => {
    for (const name of ['long.flac', 'long.opus', 'long.ogg', 'long.mp3', 'long.webm', 'long-live.webm']) {
      expect(await codeOf(decodeAudioFile(file(name))), name).toBe('PAYLOAD_TOO_LARGE');
    }
    const whole = await decodeAudioFile(file('long-live.webm'), { maxSeconds: 60 });
    expect(whole.samples.length / whole.sampleRate).toBeCloseTo(11 * 2.978, 0);
  });

  it('a live WebM (no duration in its header) stops decoding at the limit', async () => {
    const error = await decodeAudioFile(file('long-live.webm'), { maxSeconds: 5 }).catch((e: unknown) => e);
    expect(isKioskError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    // Refused by what was decoded so far, in whole batches of Opus packets: not far past 5 s.
    expect((error as { details: { seconds: number } }).details.seconds).toBeLessThan(7);
  });

  describe.skipIf(!hasModels)('speaker embeddings', () => {
    const host = new OnnxHost();
    afterAll(() => host.release());

    it('of the lossy encodes stay close to the WAV\'s (cosine > 0.9)', async () => {
      const engine = await VoiceEngine.create({ host, modelsDir: join(repoRoot, 'models') });
      const reference = (await engine.embedAudio(readBytes(gridWav))).embedding;
      for (const name of ['vorbis.ogg', 'lame.mp3', 'live.webm']) {
        const embedding = (await engine.embedAudio(file(name))).embedding;
        const cosine = embedding.reduce((s, x, i) => s + x * reference[i]!, 0);
        expect(cosine, name).toBeGreaterThan(0.9);
      }
    });
  });
});

const CHROMIUM = process.env.KIOSK_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) console.warn(`[tests] no Chromium at ${CHROMIUM}: the MediaRecorder WebM test is skipped (apt-get install chromium).`);

describe.skipIf(skipReason !== '' || !existsSync(CHROMIUM))("WebM/Opus as Chromium's MediaRecorder writes it", () => {
  it('a GRID sentence played into MediaRecorder decodes to the same signal (no duration, clusters of unknown size)', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
    });
    let recorded: Uint8Array;
    try {
      const page = await browser.newPage();
      // The WAV is played through Web Audio into a MediaStream and recorded in real time (3 s).
      const base64 = await page.evaluate(async (wavBase64: string) => {
        const wav = Uint8Array.from(atob(wavBase64), (c) => c.charCodeAt(0));
        const context = new AudioContext({ sampleRate: 48000 });
        const source = context.createBufferSource();
        source.buffer = await context.decodeAudioData(wav.buffer);
        const sink = context.createMediaStreamDestination();
        source.connect(sink);
        const recorder = new MediaRecorder(sink.stream, { mimeType: 'audio/webm;codecs=opus' });
        const chunks: Blob[] = [];
        recorder.ondataavailable = (e) => chunks.push(e.data);
        const stopped = new Promise((resolve) => (recorder.onstop = resolve));
        recorder.start(500);
        source.start();
        await new Promise((resolve) => (source.onended = resolve));
        recorder.stop();
        await stopped;
        const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        return btoa(text);
      }, Buffer.from(readBytes(gridWav)).toString('base64'));
      recorded = new Uint8Array(Buffer.from(base64, 'base64'));
    } finally {
      await browser.close();
    }
    const decoded = await decodeAudioFile(recorded);
    expect(decoded.format).toBe('webm');
    expect(decoded.sampleRate).toBe(48000);
    // Recording starts and stops a little around the sentence.
    expect(decoded.samples.length / 48000).toBeGreaterThan(2.5);
    expect(decoded.samples.length / 48000).toBeLessThan(4);
    const { r } = alignedCorrelation(resampleTo16k(decoded.samples, 48000), decodeWav(readBytes(gridWav)).samples, 8000);
    expect(r).toBeGreaterThan(0.9);
    expect(await codeOf(decodeAudioFile(recorded.subarray(0, Math.floor(recorded.length * 0.7))))).toBe('CORRUPT_AUDIO');
  }, 60_000);
});
