import { describe, expect, it } from 'vitest';
import { PresenceTracker, largestFace } from '../../src-renderer/lib/presence.js';

const frame = (...faces: [x: number, y: number, w: number][]) => ({
  width: 480,
  height: 270,
  faces: faces.map(([x, y, w]) => ({ x, y, width: w, height: w, score: 0.9 })),
});

describe('steady face presence', () => {
  it('becomes steady after three polls of one still, large enough face', () => {
    const tracker = new PresenceTracker();
    expect(tracker.update(frame([200, 60, 100]))).toBe('settling');
    expect(tracker.update(frame([203, 61, 100]))).toBe('settling');
    expect(tracker.update(frame([201, 60, 101]))).toBe('steady');
    expect(tracker.update(frame([202, 60, 100]))).toBe('steady');
  });

  it('starts over when the face jumps (someone walking past)', () => {
    const tracker = new PresenceTracker();
    tracker.update(frame([40, 60, 100]));
    tracker.update(frame([42, 60, 100]));
    // centre moves 100 px of a 480 px frame = 0.21 > 0.06
    expect(tracker.update(frame([142, 60, 100]))).toBe('settling');
    expect(tracker.update(frame([143, 60, 100]))).toBe('settling');
    expect(tracker.update(frame([143, 60, 100]))).toBe('steady');
  });

  it('asks a small face to come closer and forgets everything when no face is seen', () => {
    const tracker = new PresenceTracker();
    // 45 / 480 = 0.094 < 0.1, while 50 / 480 = 0.104 is enough
    expect(tracker.update(frame([200, 60, 45]))).toBe('too_small');
    expect(tracker.update(frame([200, 60, 50]))).toBe('settling');
    tracker.update(frame([200, 60, 100]));
    tracker.update(frame([200, 60, 100]));
    expect(tracker.update(frame())).toBe('none');
    expect(tracker.update(frame([200, 60, 100]))).toBe('settling');
  });

  it('follows the largest of several faces', () => {
    expect(largestFace(frame([0, 0, 60], [300, 20, 120], [100, 0, 90]))?.x).toBe(300);
    expect(largestFace(frame())).toBeUndefined();
  });

  it('is crowded while two people are in view, not when a face far behind or a small false detection is', () => {
    const tracker = new PresenceTracker();
    expect(tracker.update(frame([40, 60, 120], [300, 60, 100]))).toBe('crowded');
    // Crowded resets the streak: one person must then hold still again.
    expect(tracker.update(frame([40, 60, 120]))).toBe('settling');
    expect(tracker.update(frame([40, 60, 120], [300, 60, 50]))).toBe('settling');
    expect(tracker.update(frame([40, 60, 120], [300, 60, 30]))).toBe('steady');
  });
});
