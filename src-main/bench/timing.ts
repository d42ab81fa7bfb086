/**
 * Timing loops. Every measurement runs `warmup` untimed calls first (JIT, onnxruntime's arena
 * and thread pool), then `runs` timed calls. Several candidates compared with each other are
 * measured in interleaved rounds, so a burst of load from other processes hits all of them
 * alike and their ratio stays fair.
 */
import { loadavg } from 'node:os';
import { summarize, type Summary } from './stats.js';

export interface Repetitions {
  readonly warmup: number;
  readonly runs: number;
}

export async function timeIt(fn: () => unknown, reps: Repetitions): Promise<number[]> {
  for (let i = 0; i < reps.warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps.runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export async function measure(fn: () => unknown, reps: Repetitions): Promise<Summary> {
  return summarize(await timeIt(fn, reps));
}

/** Times each named candidate once per round, rounds interleaved; returns the raw samples per name. */
export async function interleaved(candidates: Readonly<Record<string, () => unknown>>, reps: Repetitions): Promise<Record<string, number[]>> {
  const names = Object.keys(candidates);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < reps.warmup + reps.runs; round++) {
    for (const name of names) {
      const start = performance.now();
      await candidates[name]!();
      if (round >= reps.warmup) samples[name]!.push(performance.now() - start);
    }
  }
  return samples;
}

/** 1-, 5- and 15-minute load averages, rounded: how busy the machine was while measuring. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = loadavg();
  return [round2(a!), round2(b!), round2(c!)];
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
