/** Reads a committed impostor table directly (not through the code under test). */
import { readFileSync } from 'node:fs';

/** The table's score at a tabulated FMR: the threshold of one 1:1 comparison at that target. */
export function tabulatedScoreAt(tablePath: string, fmr: number): number {
  const table = JSON.parse(readFileSync(tablePath, 'utf8')) as { tail: { fmr: number; score: number }[] };
  const point = table.tail.find((p) => Math.abs(Math.log10(p.fmr) - Math.log10(fmr)) < 1e-9);
  if (point === undefined) throw new Error(`no tabulated point at FMR ${fmr} in ${tablePath}`);
  return point.score;
}
