/** Messages between the benchmark and the @vladmandic/face-api child process (face-api-runner.ts). */

export interface PeerStageTimes {
  readonly decode: number;
  readonly detect: number;
  readonly landmarks: number;
  readonly align: number;
  readonly embed: number;
  readonly total: number;
}

export type PeerRequest =
  /** Decode the photo and run face-api's pipeline stage by stage on its largest face. */
  | { readonly kind: 'stages'; readonly path: string }
  /** Keep this RGBA camera frame and gallery (row-major descriptors, one label per row) for 'frame'. */
  | { readonly kind: 'setFrame'; readonly width: number; readonly height: number; readonly rgbaBase64: string; readonly galleryBase64: string; readonly dim: number }
  /** Frame → detectSingleFace → landmarks → descriptor → FaceMatcher.findBestMatch, timed. */
  | { readonly kind: 'frame' }
  /**
   * Descriptors for the embedding-agreement check: face-api's own pipeline on the photo, the
   * given 150x150 RGB chips (dlib chips cut by the kiosk), and face-api's own aligned face
   * resized to 150x150 (returned so the kiosk's encoder can embed the very same pixels).
   */
  | { readonly kind: 'agreement'; readonly path: string; readonly chipsBase64: readonly string[] }
  | { readonly kind: 'exit' };

export type PeerResponse =
  | { readonly kind: 'ready'; readonly backend: string; readonly tfjs: string; readonly faceApi: string; readonly loadMs: number; readonly backendNote: string }
  | { readonly kind: 'stages'; readonly times: PeerStageTimes | null }
  | { readonly kind: 'setFrame' }
  | { readonly kind: 'frame'; readonly ms: number; readonly label: string | null; readonly distance: number | null }
  | {
      readonly kind: 'agreement';
      readonly own: number[] | null;
      readonly chips: number[][];
      /** face-api's aligned face as its net saw it (150x150 RGB, rounded to bytes), and its descriptor of those bytes. */
      readonly ownChipBase64: string | null;
      readonly ownChipDescriptor: number[] | null;
    }
  | { readonly kind: 'error'; readonly message: string };
