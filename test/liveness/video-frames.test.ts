/** Bursts cut from real clips with ffmpeg: count, spacing, format, and a clear error for a bad file. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src-main/core/face/decode.js';
import { extractBurst, hasFfmpeg, videoDuration } from '../../src-main/eval/video-frames.js';
import { data, hasData } from '../helpers/paths.js';

const ready = hasData && hasFfmpeg();
if (!ready) console.warn('[tests] video burst tests skipped: need ../shared/data and ffmpeg.');

describe.skipIf(!ready)('extractBurst and videoDuration on a real GRID clip', () => {
  const clip = data('av/grid/p03/brbk7n.mp4');

  it('reads the 3 s duration GRID documents', async () => {
    expect(await videoDuration(clip)).toBeCloseTo(3, 1);
  });

  it('cuts the requested number of 360x288 JPEG frames', async () => {
    const frames = await extractBurst(clip, { startS: 1, count: 4, intervalS: 0.15 });
    expect(frames).toHaveLength(4);
    for (const f of frames) expect(decodeImage(f)).toMatchObject({ width: 360, height: 288 });
    // Consecutive frames of a talking head differ.
    expect(Buffer.compare(Buffer.from(frames[0]!), Buffer.from(frames[3]!))).not.toBe(0);
  });

  it('returns fewer frames when the clip ends first', async () => {
    // 0.3 s left at 0.15 s spacing: at most 2-3 frames, not the 8 asked for.
    expect((await extractBurst(clip, { startS: 2.7, count: 8, intervalS: 0.15 })).length).toBeLessThanOrEqual(3);
  });

  it('fails with RUNTIME_ERROR naming ffmpeg for a file that is not a video', async () => {
    await expect(extractBurst(join(tmpdir(), 'no-such-clip.mp4'), { startS: 0, count: 2, intervalS: 0.15 })).rejects.toMatchObject({
      code: 'RUNTIME_ERROR',
      message: expect.stringContaining('ffmpeg'),
    });
  });
});
