import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rocCurve } from '../../src-main/eval/metrics.js';
import { renderRocSvg, writeRocSvg } from '../../src-main/eval/roc-svg.js';
import { xmlProblem } from './xml-wellformed.js';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-roc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seed = 3;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const encoder = rocCurve(Array.from({ length: 2000 }, () => rand() + 0.6), Array.from({ length: 20000 }, () => rand()));
const baseline = rocCurve(Array.from({ length: 2000 }, () => rand() + 0.2), Array.from({ length: 20000 }, () => rand()));

const numbers = (d: string): number[][] => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** The plot frame: x, y, width, height. */
function plotBox(svg: string): [number, number, number, number] {
  const box = svg.match(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/);
  expect(box).not.toBeNull();
  return (box as RegExpMatchArray).slice(1).map(Number) as [number, number, number, number];
}

describe('the xml checker itself', () => {
  it.each([
    ['<svg><path d="x"></svg>', 'wrong element'],
    ['<svg><g>', 'unclosed'],
    ['<svg><text>a < b</text></svg>', 'malformed'],
    ['<svg><text>R&D</text></svg>', 'bad text'],
    ['<svg a="1" a="2"/>', 'duplicate'],
    ['<svg/><svg/>', 'more than one root'],
  ])('rejects %s', (xml, problem) => {
    expect(xmlProblem(xml)).toContain(problem);
  });
});

describe('renderRocSvg', () => {
  const svg = renderRocSvg(
    [
      { label: 'encoder <v1> & "tuned"', roc: encoder, eer: 0.1 },
      { label: 'baseline', roc: baseline, eer: 0.3 },
    ],
    { title: 'Voice & friends' },
  );

  it('is well-formed XML with an svg root', () => {
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('draws one curve, one EER marker and one legend entry per system, labels escaped', () => {
    expect(svg.match(/<path class="roc-curve"/g)).toHaveLength(2);
    expect(svg.match(/<circle class="eer-point"/g)).toHaveLength(2);
    expect(svg.match(/<g class="legend-entry">/g)).toHaveLength(2);
    expect(svg).toContain('encoder &lt;v1&gt; &amp; &quot;tuned&quot; (EER 10.00%)');
    expect(svg).toContain('baseline (EER 30.00%)');
  });

  it('labels the FAR axis by decades from 1e-4 to 1 and puts every curve point inside the plot box', () => {
    for (const tick of ['1e-4', '1e-3', '1e-2', '1e-1', '>1<']) expect(svg).toContain(tick.startsWith('>') ? tick : `>${tick}<`);
    const [x0, y0, w, h] = plotBox(svg);
    const curves = [...svg.matchAll(/class="roc-curve"[^>]* d="([^"]*)"/g)].map((m) => numbers(m[1] as string));
    expect(curves).toHaveLength(2);
    for (const points of curves) {
      expect(points.length).toBeGreaterThan(10);
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(x0 - 0.05);
        expect(x).toBeLessThanOrEqual(x0 + w + 0.05);
        expect(y).toBeGreaterThanOrEqual(y0 - 0.05);
        expect(y).toBeLessThanOrEqual(y0 + h + 0.05);
      }
      // FAR and TAR never decrease along a ROC: x never goes left, y never goes down (SVG y grows downwards).
      for (let k = 1; k < points.length; k++) {
        expect((points[k] as number[])[0]).toBeGreaterThanOrEqual((points[k - 1] as number[])[0] as number);
        expect((points[k] as number[])[1]).toBeLessThanOrEqual((points[k - 1] as number[])[1] as number);
      }
      // Ends at FAR 1, TAR 1: the top-right corner.
      expect(points.at(-1)).toEqual([x0 + w, y0]);
    }
    // Thinning to half-pixel steps keeps the file small even for 22k-point curves.
    expect(svg.length).toBeLessThan(200_000);
  });

  it('places the EER marker at FAR = EER, TAR = 1 - EER', () => {
    const [x0, y0, w, h] = plotBox(svg);
    const circle = svg.match(/class="eer-point"[^>]* cx="([\d.]+)" cy="([\d.]+)"/) as RegExpMatchArray;
    expect(Number(circle[1])).toBeCloseTo(x0 + (3 / 4) * w, 0); // log10(0.1) = -1 is 3/4 of the way from -4 to 0
    expect(Number(circle[2])).toBeCloseTo(y0 + 0.1 * h, 0);
  });
});

describe('writeRocSvg', () => {
  it('writes the same document to a file', async () => {
    const path = join(dir, 'roc.svg');
    await writeRocSvg(path, [{ label: 'only', roc: encoder, eer: 0.12 }]);
    const written = readFileSync(path, 'utf8');
    expect(xmlProblem(written)).toBeUndefined();
    expect(written).toBe(renderRocSvg([{ label: 'only', roc: encoder, eer: 0.12 }]));
  });
});
