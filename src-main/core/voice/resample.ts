/**
 * Band-limited sample-rate conversion (Kaiser-windowed sinc, polyphase). The low-pass sits
 * at `ROLLOFF` x the lower Nyquist, so downsampling 44.1/48 kHz to 16 kHz removes what
 * would alias, and upsampling 8 kHz adds no images above 4 kHz.
 */

export const VOICE_SAMPLE_RATE = 16000;

/** Cut-off as a fraction of the lower of the two Nyquist frequencies. */
const ROLLOFF = 0.95;
/** Zero crossings of the sinc kept on each side: sets the transition width (~0.04 x lower rate). */
const ZERO_CROSSINGS = 64;
/** Kaiser beta: ~80 dB stop-band attenuation. */
const KAISER_BETA = 8;
/**
 * Filter phases tabulated. Exact when the reduced ratio needs no more (every common rate);
 * above that, neighbouring phases are interpolated linearly.
 */
const MAX_PHASES = 1024;

/** Converts mono samples from `fromRate` to `toRate` (positive integers). Returns the input itself when the rates match. */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`Sample rates must be positive integers, got ${fromRate} -> ${toRate}.`);
  }
  if (fromRate === toRate) return samples;
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // output sample n sits at input position n * down / up
  const down = fromRate / g;
  const phases = Math.min(up, MAX_PHASES);

  // Cut-off in cycles per input sample; the sinc's zero crossings are 1 / (2 * cutoff) apart.
  const cutoff = (ROLLOFF * Math.min(fromRate, toRate)) / (2 * fromRate);
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  const halfTaps = Math.ceil(halfWidth);
  const taps = 2 * halfTaps;
  const table = filterTable(phases, taps, halfTaps, halfWidth, cutoff);

  const outLength = Math.ceil((samples.length * up) / down);
  const out = new Float32Array(outLength);
  const last = samples.length - 1;
  for (let n = 0; n < outLength; n++) {
    const position = n * down; // in units of 1/up input samples; exact in integers
    const base = Math.floor(position / up);
    const scaled = ((position - base * up) * phases) / up;
    const phase = Math.floor(scaled);
    const weight = scaled - phase;
    const first = base - halfTaps + 1;
    const rowA = phase * taps;
    const rowB = rowA + taps;
    let acc = 0;
    const jStart = Math.max(0, -first);
    const jEnd = Math.min(taps, last - first + 1);
    if (weight === 0) {
      for (let j = jStart; j < jEnd; j++) acc += samples[first + j]! * table[rowA + j]!;
    } else {
      for (let j = jStart; j < jEnd; j++) {
        const h = table[rowA + j]! + weight * (table[rowB + j]! - table[rowA + j]!);
        acc += samples[first + j]! * h;
      }
    }
    out[n] = acc;
  }
  return out;
}

/** `resample` to the voice models' 16 kHz. */
export function resampleTo16k(samples: Float32Array, fromRate: number): Float32Array {
  return resample(samples, fromRate, VOICE_SAMPLE_RATE);
}

/**
 * Row p (0..phases) holds the filter for an output that falls p/phases of the way between
 * two input samples: tap j weights input sample (base - halfTaps + 1 + j).
 */
function filterTable(phases: number, taps: number, halfTaps: number, halfWidth: number, cutoff: number): Float64Array {
  const table = new Float64Array((phases + 1) * taps);
  const i0Beta = besselI0(KAISER_BETA);
  for (let p = 0; p <= phases; p++) {
    const fraction = p / phases;
    for (let j = 0; j < taps; j++) {
      const t = fraction + halfTaps - 1 - j; // distance from the output instant, in input samples
      const r = t / halfWidth;
      if (Math.abs(r) >= 1) continue;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      table[p * taps + j] = 2 * cutoff * sinc * window;
    }
  }
  return table;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta <= 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
