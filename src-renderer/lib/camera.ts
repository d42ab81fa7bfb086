/**
 * The camera: open a stream (chosen device, falling back to the default one when it was
 * unplugged) and grab frames as JPEG base64, one for detection or a burst for clocking in.
 */
import { DeviceError, chosenDevice, getMedia } from './devices.js';

export const JPEG_QUALITY = 0.8;
/** Frames of a clock-in burst and their spacing: enough natural motion for passive liveness. */
export const BURST_FRAMES = 5;
export const BURST_INTERVAL_MS = 150;

export async function openCamera(deviceId: string | undefined = chosenDevice('camera')): Promise<MediaStream> {
  const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
  if (deviceId) {
    try {
      return await getMedia('camera', { audio: false, video: { ...size, deviceId: { exact: deviceId } } });
    } catch (err) {
      // The chosen camera is gone: any camera beats a blank kiosk.
      if (!(err instanceof DeviceError) || err.problem !== 'not_found') throw err;
    }
  }
  return getMedia('camera', { audio: false, video: { ...size, facingMode: 'user' } });
}

/** Draws the current video frame to a canvas and encodes it; reuses one canvas. */
export class FrameGrabber {
  private readonly canvas: HTMLCanvasElement;

  constructor(private readonly video: HTMLVideoElement) {
    this.canvas = document.createElement('canvas');
  }

  get ready(): boolean {
    return this.video.readyState >= 2 && this.video.videoWidth > 0;
  }

  /** One frame as base64 JPEG (no data: prefix), downscaled to at most `maxWidth` pixels wide. */
  grab(maxWidth = 1280, quality = JPEG_QUALITY): string {
    const { videoWidth, videoHeight } = this.video;
    if (!this.ready) throw new DeviceError('camera', 'failed', 'The camera has not delivered a frame yet');
    const scale = Math.min(1, maxWidth / videoWidth);
    this.canvas.width = Math.round(videoWidth * scale);
    this.canvas.height = Math.round(videoHeight * scale);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new DeviceError('camera', 'failed', 'Canvas 2D is not available');
    ctx.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    return stripDataUrl(this.canvas.toDataURL('image/jpeg', quality));
  }

  /** `count` frames about `intervalMs` apart. */
  async burst(count = BURST_FRAMES, intervalMs = BURST_INTERVAL_MS, maxWidth = 1280): Promise<string[]> {
    const frames: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      frames.push(this.grab(maxWidth));
    }
    return frames;
  }
}

export function stripDataUrl(dataUrl: string): string {
  const comma = dataUrl.indexOf(',');
  return comma < 0 ? dataUrl : dataUrl.slice(comma + 1);
}
