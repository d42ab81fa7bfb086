/**
 * Presentation attacks synthesised from real photos: the picture is a flat rectangle in front of
 * a pinhole camera, rendered frame by frame as the camera would see it. It stands on a stand
 * (still) or is held by hand (a slow wobble of yaw, pitch and roll, a drift and a move towards
 * the camera), optionally as a phone screen (pixel-grid moiré and a glare patch). Every frame
 * gets fresh sensor noise, so no two frames are identical unless `noise` is 0. Deterministic
 * for a given seed, so a report can be reproduced.
 */
import type { RgbImage } from '../core/face/types.js';
import { applyHomography, type Homography } from '../core/liveness/plane-fit.js';
import { mulberry32 } from './mulberry32.js';

export interface PlanarAttackOptions {
  /** Output frame size (a webcam's 640x480 by default). */
  readonly width?: number;
  readonly height?: number;
  readonly frames: number;
  /** Seconds between frames (the kiosk's burst interval). */
  readonly intervalS: number;
  /** 'still': no motion; 'hand': hand-held wobble. */
  readonly motion: 'still' | 'hand';
  /** Show the picture as a screen: moiré of the display's pixel grid and a glare patch. */
  readonly screen?: boolean;
  /** Standard deviation of the per-frame sensor noise, grey levels. */
  readonly noise: number;
  readonly seed: number;
}

/** The photo's height on the output frame, as a fraction of the frame height, at rest. */
const PICTURE_HEIGHT_FRACTION = 0.8;
/** Focal length in output-frame heights (a webcam's ~60° horizontal field of view at 4:3). */
const FOCAL_HEIGHTS = 1.15;

export function renderPlanarAttack(photo: RgbImage, options: PlanarAttackOptions): RgbImage[] {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const random = mulberry32(options.seed);
  const background = makeBackground(width, height, random);
  const wobble = options.motion === 'hand' ? handWobble(random) : undefined;
  const moire = options.screen ? screenPattern(random) : undefined;
  const frames: RgbImage[] = [];
  for (let k = 0; k < options.frames; k++) {
    const pose = wobble?.(k * options.intervalS) ?? REST_POSE;
    const toPhoto = imageToPhoto(photo, width, height, pose);
    frames.push(renderFrame(photo, background, toPhoto, moire, options.noise, random));
  }
  return frames;
}

interface PlanePose {
  /** Radians. */
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  /** Translation in picture heights; z > 0 moves the picture towards the camera. */
  readonly tx: number;
  readonly ty: number;
  readonly tz: number;
}

const REST_POSE: PlanePose = { yaw: 0, pitch: 0, roll: 0, tx: 0, ty: 0, tz: 0 };

/**
 * A hand holding a picture: each angle a sum of two slow sinusoids (0.3-1.5 Hz) of a few
 * degrees, a sideways drift and a small approach, each with a random phase.
 */
function handWobble(random: () => number): (t: number) => PlanePose {
  const wave = (amplitude: number) => {
    const parts = [0, 1].map(() => ({ a: amplitude * (0.5 + random()), f: 0.3 + 1.2 * random(), phase: 2 * Math.PI * random() }));
    return (t: number) => parts.reduce((sum, p) => sum + p.a * Math.sin(2 * Math.PI * p.f * t + p.phase), 0) / 2;
  };
  const deg = Math.PI / 180;
  const yaw = wave(8 * deg), pitch = wave(6 * deg), roll = wave(5 * deg);
  const tx = wave(0.06), ty = wave(0.04);
  const approach = (random() - 0.3) * 0.15;
  return (t) => ({ yaw: yaw(t), pitch: pitch(t), roll: roll(t), tx: tx(t), ty: ty(t), tz: approach * t });
}

/**
 * The homography from output pixels to photo pixels for a picture at `pose`. The picture's
 * centre rests on the optical axis at distance 1 (in picture heights); its plane is turned by
 * roll·pitch·yaw and moved by the translation, then projected with focal length f.
 */
function imageToPhoto(photo: RgbImage, width: number, height: number, pose: PlanePose): Homography {
  const f = FOCAL_HEIGHTS * height;
  const distance = (FOCAL_HEIGHTS / PICTURE_HEIGHT_FRACTION) - pose.tz;
  const [cy, sy] = [Math.cos(pose.yaw), Math.sin(pose.yaw)];
  const [cp, sp] = [Math.cos(pose.pitch), Math.sin(pose.pitch)];
  const [cr, sr] = [Math.cos(pose.roll), Math.sin(pose.roll)];
  // R = Rz(roll) · Rx(pitch) · Ry(yaw); only its first two columns act on a plane z = 0.
  const r = [
    cr * cy - sr * sp * sy, -sr * cp,
    sr * cy + cr * sp * sy, cr * cp,
    -cp * sy, sp,
  ];
  // Plane point (u, v) in picture heights (centred) → camera (x, y, z) → pixel.
  const planeToImage = [
    f * r[0]! + (width / 2) * r[4]!, f * r[1]! + (width / 2) * r[5]!, f * pose.tx + (width / 2) * distance,
    f * r[2]! + (height / 2) * r[4]!, f * r[3]! + (height / 2) * r[5]!, f * pose.ty + (height / 2) * distance,
    r[4]!, r[5]!, distance,
  ];
  const toPlane = invert3(planeToImage);
  // Plane (u, v) → photo pixel: one picture height is photo.height pixels, centred.
  const s = photo.height;
  const planeToPhoto = [s, 0, photo.width / 2, 0, s, photo.height / 2, 0, 0, 1];
  const m = multiply3(planeToPhoto, toPlane);
  return m.map((v) => v / m[8]!) as unknown as Homography;
}

interface ScreenPattern {
  /** Multiplicative moiré at output pixel (x, y). */
  moire(x: number, y: number): number;
  /** Additive glare at output pixel (x, y), grey levels. */
  glare(x: number, y: number): number;
}

/**
 * A display's pixel grid seen by a camera beats with the sensor's grid into a fine periodic
 * pattern (moiré); its glass reflects a light as a soft bright patch.
 */
function screenPattern(random: () => number): ScreenPattern {
  const angle = Math.PI * random();
  const period = 3 + 4 * random();
  const [kx, ky] = [(Math.cos(angle) * 2 * Math.PI) / period, (Math.sin(angle) * 2 * Math.PI) / period];
  const depth = 0.12 + 0.1 * random();
  const gx = 640 * (0.2 + 0.6 * random()), gy = 480 * (0.2 + 0.6 * random());
  const radius = 60 + 80 * random();
  const strength = 60 + 60 * random();
  return {
    moire: (x, y) => 1 + depth * Math.cos(kx * x + ky * y),
    glare: (x, y) => strength * Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * radius * radius)),
  };
}

function renderFrame(
  photo: RgbImage,
  background: RgbImage,
  toPhoto: Homography,
  screen: ScreenPattern | undefined,
  noise: number,
  random: () => number,
): RgbImage {
  const { width, height } = background;
  const out = new Uint8Array(width * height * 3);
  const gauss = gaussian(random);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = applyHomography(toPhoto, { x: x + 0.5, y: y + 0.5 });
      const o = (y * width + x) * 3;
      // Photo pixel i covers [i, i + 1) and has its value at i + 0.5.
      const inside = p.x >= 0 && p.y >= 0 && p.x < photo.width && p.y < photo.height;
      const grain = noise > 0 ? noise * gauss() : 0;
      for (let c = 0; c < 3; c++) {
        let v = inside ? bilinear(photo, p.x - 0.5, p.y - 0.5, c) : background.data[o + c]!;
        if (inside && screen) v = v * screen.moire(x, y) + screen.glare(x, y);
        out[o + c] = clampByte(v + grain);
      }
    }
  }
  return { width, height, data: out };
}

/** A smooth two-tone wall with a little texture: something other than the picture fills the frame. */
function makeBackground(width: number, height: number, random: () => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const base = [90 + 80 * random(), 90 + 80 * random(), 90 + 80 * random()];
  const slope = 40 * (random() - 0.5);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shade = slope * (x / width - 0.5) + 6 * Math.sin(x / 23) * Math.sin(y / 17);
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = clampByte(base[c]! + shade);
    }
  }
  return { width, height, data };
}

/** Bilinear sample at pixel-centre coordinates (x, y), clamped to the edge pixels. */
function bilinear(image: RgbImage, xIn: number, yIn: number, c: number): number {
  const x = Math.min(Math.max(xIn, 0), image.width - 1), y = Math.min(Math.max(yIn, 0), image.height - 1);
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, image.width - 1), y1 = Math.min(y0 + 1, image.height - 1);
  const fx = x - x0, fy = y - y0;
  const at = (xx: number, yy: number): number => image.data[(yy * image.width + xx) * 3 + c]!;
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

function multiply3(m: readonly number[], n: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += m[r * 3 + k]! * n[k * 3 + c]!;
  return out;
}

function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
    (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
    (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
  ];
}


/** Standard normal numbers by Box-Muller. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
