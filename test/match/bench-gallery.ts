/**
 * Gallery speed at scale (not a test: nothing is asserted). Random unit-free vectors, four
 * templates per employee, top-2 search. Usage:
 *   node --import tsx test/match/bench-gallery.ts [templates=1000000] [dim=128]
 */
import { createSimilarity } from '../../src-main/core/match/energy.js';
import { Gallery } from '../../src-main/core/match/gallery.js';

const templates = Number(process.argv[2] ?? 1_000_000);
const dim = Number(process.argv[3] ?? 128);
const runs = 5;

for (const energy of ['cosine', 'euclidean'] as const) {
  const gallery = new Gallery(dim, createSimilarity({ energy }), templates);
  const vector = new Float32Array(dim);
  for (let row = 0; row < templates; row++) {
    for (let i = 0; i < dim; i++) vector[i] = Math.random() - 0.5;
    gallery.add({ id: row + 1, employeeId: Math.floor(row / 4) + 1, vector });
  }
  const probe = Float32Array.from({ length: dim }, () => Math.random() - 0.5);
  gallery.search(probe); // warm-up: let the JIT optimise the loop
  const start = performance.now();
  for (let run = 0; run < runs; run++) gallery.search(probe);
  const ms = (performance.now() - start) / runs;
  console.log(`${energy}: ${templates} templates x ${dim}: ${ms.toFixed(1)} ms per search`);
}
