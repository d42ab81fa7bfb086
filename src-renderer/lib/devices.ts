/**
 * Camera and microphone availability, in terms a person at the kiosk can act on.
 * getUserMedia fails with DOMException names; they collapse into a few problems, each with
 * its own message ("No camera found", "Camera permission denied — ask an administrator").
 */
export type DeviceKind = 'camera' | 'microphone';
export type DeviceProblem = 'not_found' | 'denied' | 'in_use' | 'unsupported' | 'failed';

export class DeviceError extends Error {
  readonly device: DeviceKind;
  readonly problem: DeviceProblem;

  constructor(device: DeviceKind, problem: DeviceProblem, message: string) {
    super(message);
    this.name = 'DeviceError';
    this.device = device;
    this.problem = problem;
  }
}

/** Maps a getUserMedia rejection to a DeviceError. */
export function classifyMediaError(device: DeviceKind, err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
  const message = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new DeviceError(device, 'not_found', message);
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new DeviceError(device, 'denied', message);
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new DeviceError(device, 'in_use', message);
    default:
      return new DeviceError(device, 'failed', message);
  }
}

/** getUserMedia, or a DeviceError when this window has none (insecure origin, old engine). */
export async function getMedia(device: DeviceKind, constraints: MediaStreamConstraints): Promise<MediaStream> {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!media?.getUserMedia) {
    throw new DeviceError(device, 'unsupported', 'navigator.mediaDevices.getUserMedia is not available');
  }
  try {
    return await media.getUserMedia(constraints);
  } catch (err) {
    throw classifyMediaError(device, err);
  }
}

export interface DeviceOption {
  deviceId: string;
  label: string;
}

/** Cameras or microphones present; labels appear only once a permission was granted. */
export async function listDevices(device: DeviceKind): Promise<DeviceOption[]> {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!media?.enumerateDevices) return [];
  const kind: MediaDeviceKind = device === 'camera' ? 'videoinput' : 'audioinput';
  const all = await media.enumerateDevices();
  return all
    .filter((d) => d.kind === kind && d.deviceId !== '')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${device} ${i + 1}` }));
}

/**
 * The chosen camera and microphone belong to this kiosk's browser profile (device ids are
 * per-origin and per-machine), so they live in localStorage rather than in the shared settings.
 */
const CHOICE_KEY: Record<DeviceKind, string> = { camera: 'kiosk.cameraId', microphone: 'kiosk.microphoneId' };

export function chosenDevice(device: DeviceKind): string | undefined {
  try {
    return localStorage.getItem(CHOICE_KEY[device]) || undefined;
  } catch {
    return undefined;
  }
}

export function chooseDevice(device: DeviceKind, deviceId: string | undefined): void {
  try {
    if (deviceId) localStorage.setItem(CHOICE_KEY[device], deviceId);
    else localStorage.removeItem(CHOICE_KEY[device]);
  } catch {
    // Storage may be disabled; the default device is then used.
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
