/**
 * Log-mel front end of the voice encoder. It must reproduce the Python training front end
 * (models/training/frontend.py) to 1e-4, so every constant comes from the one shared file
 * models/voice-frontend.json and the definition is spelled out here exactly:
 *
 *   y[0] = x[0], y[n] = x[n] - preEmphasis·x[n-1]       (pre-emphasis over the whole signal)
 *   frame t = y[t·hop … t·hop + winLength) · hann-periodic, zero-padded on the right to nFft
 *   frames  = 1 + floor((n - winLength) / hop)            (center = false; 0 when n < winLength)
 *   logmel  = ln(max(melFilterbank · |rfft(frame)|^power, logFloor))
 *
 * The mel filterbank is HTK-scale triangles without area normalisation. Arithmetic is float64
 * (the output is float32): this runs on every utterance, so the FFT is a radix-2 real FFT with
 * twiddles, bit-reversal and the sparse filterbank precomputed once per configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../errors.js';
import { installRoot } from '../runtime/install-root.js';

export const DEFAULT_FRONTEND_CONFIG_PATH = join(installRoot(), 'models', 'voice-frontend.json');

const positiveInt = z.number().int().positive();

const frontendSchema = z
  .object({
    sampleRate: positiveInt,
    nFft: positiveInt.refine((n) => n >= 4 && (n & (n - 1)) === 0, 'nFft must be a power of two >= 4'),
    winLength: positiveInt,
    hopLength: positiveInt,
    window: z.literal('hann-periodic'),
    nMels: positiveInt,
    fMin: z.number().nonnegative(),
    fMax: z.number().positive(),
    melScale: z.literal('htk'),
    preEmphasis: z.number().min(0).max(1),
    power: z.number().positive(),
    logFloor: z.number().positive(),
    center: z.literal(false),
  })
  .refine((c) => c.winLength <= c.nFft, 'winLength must not exceed nFft')
  .refine((c) => c.fMin < c.fMax && c.fMax <= c.sampleRate / 2, 'need fMin < fMax <= sampleRate / 2');

export type FrontendConfig = z.infer<typeof frontendSchema>;

export interface LogMelFeatures {
  readonly frames: number;
  readonly mels: number;
  /** Row-major [frames][mels]. */
  readonly data: Float32Array;
}

let defaultConfig: FrontendConfig | undefined;

/** Reads and validates the shared front-end constants (cached for the default file). */
export function loadFrontendConfig(path: string = DEFAULT_FRONTEND_CONFIG_PATH): FrontendConfig {
  if (path === DEFAULT_FRONTEND_CONFIG_PATH && defaultConfig) return defaultConfig;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new KioskError('MODEL_MISSING', `Voice front-end config ${path} cannot be read.`, { path, cause: String(cause) });
  }
  const config = parseFrontendConfig(text, path);
  if (path === DEFAULT_FRONTEND_CONFIG_PATH) defaultConfig = config;
  return config;
}

function parseFrontendConfig(text: string, path: string): FrontendConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new KioskError('MODEL_CORRUPT', `Voice front-end config ${path} is not JSON.`, { path, cause: String(cause) });
  }
  return validateFrontendConfig(json, 'MODEL_CORRUPT', path);
}

/** A bad file is a corrupt model asset; a bad object passed by a caller is invalid input. */
function validateFrontendConfig(
  json: unknown,
  code: 'MODEL_CORRUPT' | 'INVALID_INPUT',
  source: string,
): FrontendConfig {
  const parsed = frontendSchema.safeParse(json);
  if (!parsed.success) {
    throw new KioskError(code, `Voice front-end config ${source} is invalid: ${parsed.error.message}`, { source });
  }
  return parsed.data;
}

/** Everything that depends only on the configuration, built once. */
interface Plan {
  readonly window: Float64Array;
  /** Complex FFT of half length: twiddle cos/sin for exp(-2πij/half), j < half/2. */
  readonly half: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly bitReverse: Uint32Array;
  /** exp(-2πik/nFft) for the real-FFT split step, k ≤ half. */
  readonly splitCos: Float64Array;
  readonly splitSin: Float64Array;
  /** Sparse filterbank: filter m covers bins [start[m], start[m] + weights[m].length). */
  readonly start: Uint32Array;
  readonly weights: Float64Array[];
}

const plans = new Map<string, Plan>();

function planFor(config: FrontendConfig): Plan {
  const key = JSON.stringify(config);
  let plan = plans.get(key);
  if (!plan) {
    plan = buildPlan(validateFrontendConfig(config, 'INVALID_INPUT', 'argument'));
    plans.set(key, plan);
  }
  return plan;
}

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/** HTK triangular filters over the nFft/2+1 bin frequencies (area not normalised). */
export function melFilterbank(config: FrontendConfig): Float64Array[] {
  const bins = config.nFft / 2 + 1;
  const lo = hzToMel(config.fMin);
  const step = (hzToMel(config.fMax) - lo) / (config.nMels + 1);
  const edges = Array.from({ length: config.nMels + 2 }, (_, i) =>
    melToHz(i === config.nMels + 1 ? hzToMel(config.fMax) : lo + i * step),
  );
  const filters: Float64Array[] = [];
  for (let m = 0; m < config.nMels; m++) {
    const [left, centre, right] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const filter = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const hz = (k * config.sampleRate) / config.nFft;
      filter[k] = Math.max(0, Math.min((hz - left) / (centre - left), (right - hz) / (right - centre)));
    }
    filters.push(filter);
  }
  return filters;
}

function buildPlan(config: FrontendConfig): Plan {
  const { nFft, winLength } = config;
  const half = nFft / 2;
  const window = new Float64Array(winLength);
  for (let n = 0; n < winLength; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / winLength);

  const cos = new Float64Array(half / 2);
  const sin = new Float64Array(half / 2);
  for (let j = 0; j < half / 2; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / half);
    sin[j] = -Math.sin((2 * Math.PI * j) / half);
  }
  const bits = Math.log2(half);
  const bitReverse = new Uint32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReverse[i] = r;
  }
  const splitCos = new Float64Array(half + 1);
  const splitSin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / nFft);
    splitSin[k] = -Math.sin((2 * Math.PI * k) / nFft);
  }

  const start = new Uint32Array(config.nMels);
  const weights: Float64Array[] = [];
  melFilterbank(config).forEach((filter, m) => {
    let first = filter.findIndex((w) => w > 0);
    if (first < 0) first = 0;
    let last = filter.length - 1;
    while (last > first && !(filter[last]! > 0)) last--;
    start[m] = first;
    weights.push(filter.slice(first, last + 1));
  });
  return { window, half, cos, sin, bitReverse, splitCos, splitSin, start, weights };
}

/** In-place iterative radix-2 complex FFT of length plan.half (input in bit-reversed order). */
function complexFft(re: Float64Array, im: Float64Array, plan: Plan): void {
  const n = plan.half;
  for (let size = 2; size <= n; size <<= 1) {
    const halfSize = size >> 1;
    const stride = n / size;
    for (let base = 0; base < n; base += size) {
      for (let j = 0; j < halfSize; j++) {
        const wr = plan.cos[j * stride]!;
        const wi = plan.sin[j * stride]!;
        const a = base + j;
        const b = a + halfSize;
        const br = re[b]! * wr - im[b]! * wi;
        const bi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - br;
        im[b] = im[a]! - bi;
        re[a] = re[a]! + br;
        im[a] = im[a]! + bi;
      }
    }
  }
}

/**
 * Power spectrum |rfft(frame)|² of a real frame (zero-padded to nFft) into `power` (nFft/2+1 bins):
 * the frame's even/odd samples form one complex signal of half length, whose FFT is split into the
 * spectrum of the real signal.
 */
function powerSpectrum(frame: Float64Array, plan: Plan, re: Float64Array, im: Float64Array, power: Float64Array): void {
  const m = plan.half;
  for (let i = 0; i < m; i++) {
    const j = plan.bitReverse[i]!;
    re[j] = frame[2 * i]!;
    im[j] = frame[2 * i + 1]!;
  }
  complexFft(re, im, plan);
  for (let k = 0; k <= m; k++) {
    const zr = re[k % m]!;
    const zi = im[k % m]!;
    const cr = re[(m - k) % m]!;
    const ci = -im[(m - k) % m]!; // conj(Z[m-k])
    const er = 0.5 * (zr + cr);
    const ei = 0.5 * (zi + ci);
    const or = 0.5 * (zi - ci); // odd part = -i/2 · (Z[k] - conj(Z[m-k]))
    const oi = -0.5 * (zr - cr);
    const wr = plan.splitCos[k]!;
    const wi = plan.splitSin[k]!;
    const xr = er + (or * wr - oi * wi);
    const xi = ei + (or * wi + oi * wr);
    power[k] = xr * xr + xi * xi;
  }
}

/** Log-mel features of 16 kHz mono PCM in [-1, 1], row-major [frames][mels]. */
export function logMel(pcm16k: Float32Array, config: FrontendConfig = loadFrontendConfig()): LogMelFeatures {
  if (!(pcm16k instanceof Float32Array)) {
    throw new KioskError('BAD_AUDIO', 'Voice features need 16 kHz mono PCM as a Float32Array.');
  }
  for (let i = 0; i < pcm16k.length; i++) {
    if (!Number.isFinite(pcm16k[i]!)) {
      throw new KioskError('BAD_AUDIO', `PCM sample ${i} is not a finite number.`, { index: i });
    }
  }
  const plan = planFor(config);
  const { nFft, winLength, hopLength, nMels, preEmphasis, logFloor } = config;
  const frames = pcm16k.length < winLength ? 0 : 1 + Math.floor((pcm16k.length - winLength) / hopLength);
  const data = new Float32Array(frames * nMels);
  const frame = new Float64Array(nFft);
  const re = new Float64Array(plan.half);
  const im = new Float64Array(plan.half);
  const power = new Float64Array(plan.half + 1);
  const exponent = config.power / 2;

  for (let t = 0; t < frames; t++) {
    const offset = t * hopLength;
    for (let j = 0; j < winLength; j++) {
      const i = offset + j;
      const emphasised = i === 0 ? pcm16k[0]! : pcm16k[i]! - preEmphasis * pcm16k[i - 1]!;
      frame[j] = emphasised * plan.window[j]!;
    }
    powerSpectrum(frame, plan, re, im, power);
    if (exponent !== 1) for (let k = 0; k < power.length; k++) power[k] = power[k]! ** exponent;
    for (let m = 0; m < nMels; m++) {
      const w = plan.weights[m]!;
      const s = plan.start[m]!;
      let energy = 0;
      for (let k = 0; k < w.length; k++) energy += w[k]! * power[s + k]!;
      data[t * nMels + m] = Math.log(Math.max(energy, logFloor));
    }
  }
  return { frames, mels: nMels, data };
}
