import { describe, expect, it } from 'vitest';
import { renderDetSvg } from '../../src-main/eval/det-svg.js';
import { xmlProblem } from './xml-wellformed.js';

const points = (d: string): number[][] => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('DET plot', () => {
  const svg = renderDetSvg(
    [
      { label: 'N = 100', det: [{ fpir: 0, fnir: 1 }, { fpir: 1e-3, fnir: 0.1 }, { fpir: 1e-2, fnir: 0.01 }, { fpir: 1, fnir: 0 }] },
      { label: 'N = 500 <all> & "more"', det: [{ fpir: 0, fnir: 1 }, { fpir: 1e-2, fnir: 0.1 }] },
    ],
    'Face 1:N',
  );

  it('is well-formed XML with one curve per gallery size and escaped labels', () => {
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg.match(/class="det-curve"/g)).toHaveLength(2);
    expect(svg).toContain('N = 500 &lt;all&gt; &amp; &quot;more&quot;');
  });

  it('puts both rates on log axes: each decade of FPIR is the same width, each decade of FNIR the same height', () => {
    const [first] = [...svg.matchAll(/class="det-curve" data-label="N = 100" d="([^"]+)"/g)].map((m) => points(m[1]!));
    const [start, a, b, end] = first!;
    // FPIR 1e-3 → 1e-2 is one of four decades across; FNIR 0.1 → 0.01 one of three decades down.
    expect(b![0]! - a![0]!).toBeCloseTo((end![0]! - start![0]!) / 4, 0);
    expect(b![1]! - a![1]!).toBeCloseTo((end![1]! - a![1]!) / 2, 0);
    // FPIR 0 and FNIR 0 sit on the axes' lower edges.
    expect(start![0]).toBeLessThan(a![0]!);
    expect(end![1]).toBeGreaterThan(b![1]!);
  });
});
