import { describe, expect, it } from 'vitest';
import { isKioskError, type KioskErrorCode } from '../../src-main/core/errors.js';
import {
  DEFAULT_VOICE_QUALITY,
  type VoiceQuality,
  assertVoiceQuality,
  measureVoiceQuality,
  rmsDbfs,
} from '../../src-main/core/voice/quality.js';

function codeOf(q: VoiceQuality): KioskErrorCode | string {
  try {
    assertVoiceQuality(q);
  } catch (e) {
    return isKioskError(e) ? e.code : String(e);
  }
  return 'passed';
}

const good: VoiceQuality = { speechSeconds: 2.5, speechDbfs: -20, clippedFraction: 0 };

describe('measureVoiceQuality', () => {
  it('levels in dBFS: a full-scale square wave is 0 dB, half scale -6.02 dB, a full-scale sine -3.01 dB', () => {
    expect(rmsDbfs(Float32Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1)))).toBeCloseTo(0, 6);
    expect(rmsDbfs(Float32Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.5 : -0.5)))).toBeCloseTo(20 * Math.log10(0.5), 6);
    expect(rmsDbfs(Float32Array.from({ length: 1600 }, (_, i) => Math.sin((2 * Math.PI * i) / 16)))).toBeCloseTo(-10 * Math.log10(2), 4);
    expect(rmsDbfs(new Float32Array(0))).toBe(-Infinity);
  });

  it('counts clipped input samples per input-rate sample of speech', () => {
    // 8 kHz input with 10 samples at full scale; 1000 samples (62.5 ms) of 16 kHz speech = 500 samples at 8 kHz.
    const input = new Float32Array(4000);
    for (let i = 0; i < 10; i++) input[100 + i] = i % 2 ? 1 : -0.9995;
    input[200] = 0.998; // just below the 0.999 clip level
    const speech = new Float32Array(1000).fill(0.1);
    const q = measureVoiceQuality(input, 8000, speech, 16000);
    expect(q.clippedFraction).toBeCloseTo(10 / 500, 12);
    expect(q.speechSeconds).toBe(1000 / 16000);
    expect(q.speechDbfs).toBeCloseTo(-20, 5);
  });

  it('reports no clipping and no level for no speech', () => {
    const q = measureVoiceQuality(new Float32Array(100).fill(1), 16000, new Float32Array(0), 16000);
    expect(q).toEqual({ speechSeconds: 0, speechDbfs: -Infinity, clippedFraction: 0, inputClippedFraction: 1 });
  });

  it('counts clipped samples over the whole input too', () => {
    const input = new Float32Array(1000);
    for (let i = 0; i < 50; i++) input[i * 20] = 1;
    expect(measureVoiceQuality(input, 16000, new Float32Array(0), 16000).inputClippedFraction).toBeCloseTo(0.05, 12);
  });
});

describe('assertVoiceQuality', () => {
  it('passes a good recording', () => {
    expect(codeOf(good)).toBe('passed');
  });
  it('no speech -> NO_SPEECH', () => {
    expect(codeOf({ speechSeconds: 0, speechDbfs: -Infinity, clippedFraction: 0 })).toBe('NO_SPEECH');
  });
  it('a saturated microphone with too little speech found -> CLIPPING (too loud), not NO_SPEECH or SPEECH_TOO_SHORT', () => {
    const saturated = { speechSeconds: 0, speechDbfs: -Infinity, clippedFraction: 0, inputClippedFraction: 0.3 };
    expect(codeOf(saturated)).toBe('CLIPPING');
    expect(codeOf({ ...saturated, speechSeconds: 0.4, speechDbfs: -3 })).toBe('CLIPPING');
    // A few clipped clicks in a silent recording are not an overload: still "no speech heard".
    expect(codeOf({ ...saturated, inputClippedFraction: DEFAULT_VOICE_QUALITY.maxInputClippedFraction })).toBe('NO_SPEECH');
  });
  it('less than 1.0 s of speech -> SPEECH_TOO_SHORT', () => {
    expect(codeOf({ ...good, speechSeconds: 0.99 })).toBe('SPEECH_TOO_SHORT');
    expect(codeOf({ ...good, speechSeconds: 1.0 })).toBe('passed');
  });
  it('clipped beyond the allowed fraction -> CLIPPING', () => {
    expect(codeOf({ ...good, clippedFraction: DEFAULT_VOICE_QUALITY.maxClippedFraction * 1.01 })).toBe('CLIPPING');
    expect(codeOf({ ...good, clippedFraction: DEFAULT_VOICE_QUALITY.maxClippedFraction })).toBe('passed');
  });
  it('speech below the level threshold -> TOO_QUIET', () => {
    expect(codeOf({ ...good, speechDbfs: DEFAULT_VOICE_QUALITY.minSpeechDbfs - 0.1 })).toBe('TOO_QUIET');
    expect(codeOf({ ...good, speechDbfs: DEFAULT_VOICE_QUALITY.minSpeechDbfs })).toBe('passed');
  });
  it('honours custom thresholds', () => {
    expect(() => assertVoiceQuality({ ...good, speechSeconds: 0.5 }, { ...DEFAULT_VOICE_QUALITY, minSpeechSeconds: 0.4 })).not.toThrow();
  });
  it('says what to do in its message and carries the measurements', () => {
    try {
      assertVoiceQuality({ ...good, speechDbfs: -70 });
      expect.unreachable();
    } catch (e) {
      expect(isKioskError(e, 'TOO_QUIET')).toBe(true);
      const error = e as Error & { details?: Record<string, unknown> };
      expect(error.message).toMatch(/louder|closer/);
      expect(error.details).toMatchObject({ speechDbfs: -70, minSpeechDbfs: DEFAULT_VOICE_QUALITY.minSpeechDbfs });
    }
  });
});
