/**
 * Decides from successive `face.detect` replies when a face is steadily in front of the camera,
 * so clocking in starts by itself: one face, large enough, not moving much, for several polls
 * in a row. Walking past the kiosk never triggers it.
 */
import type { Outputs } from './api.js';

type Detection = Outputs['face.detect'];
/** crowded: two people in view (the kiosk asks for one at a time and clocks no one). */
export type Presence = 'none' | 'too_small' | 'settling' | 'steady' | 'crowded';

export interface PresenceOptions {
  /** Face width as a fraction of the frame width below which we ask the person to step closer. */
  minWidthFraction: number;
  /** Consecutive polls a face must hold still. */
  steadyPolls: number;
  /** Largest centre movement between polls, as a fraction of the frame width. */
  maxShiftFraction: number;
  /**
   * A second face at least this share of the largest one's area (and itself large enough) makes
   * the frame crowded; a face far behind, or a false detection in the background, does not.
   */
  crowdAreaFraction: number;
}

export const DEFAULT_PRESENCE: PresenceOptions = { minWidthFraction: 0.1, steadyPolls: 3, maxShiftFraction: 0.06, crowdAreaFraction: 0.3 };

export class PresenceTracker {
  private streak = 0;
  private last: { cx: number; cy: number } | null = null;

  constructor(private readonly options: PresenceOptions = DEFAULT_PRESENCE) {}

  update(detection: Detection): Presence {
    const face = largestFace(detection);
    if (!face || detection.width <= 0) {
      this.reset();
      return 'none';
    }
    const minWidth = this.options.minWidthFraction * detection.width;
    const crowd = detection.faces.some((f) => f !== face && f.width >= minWidth && f.width * f.height >= this.options.crowdAreaFraction * face.width * face.height);
    if (crowd) {
      this.reset();
      return 'crowded';
    }
    if (face.width < minWidth) {
      this.reset();
      return 'too_small';
    }
    const centre = { cx: (face.x + face.width / 2) / detection.width, cy: (face.y + face.height / 2) / detection.width };
    const moved = this.last ? Math.hypot(centre.cx - this.last.cx, centre.cy - this.last.cy) : 0;
    this.streak = moved <= this.options.maxShiftFraction ? this.streak + 1 : 1;
    this.last = centre;
    return this.streak >= this.options.steadyPolls ? 'steady' : 'settling';
  }

  reset(): void {
    this.streak = 0;
    this.last = null;
  }
}

export function largestFace(detection: Detection): Detection['faces'][number] | undefined {
  let best: Detection['faces'][number] | undefined;
  for (const face of detection.faces) {
    if (!best || face.width * face.height > best.width * best.height) best = face;
  }
  return best;
}
