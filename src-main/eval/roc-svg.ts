/**
 * ROC plot as a standalone SVG (no plotting dependency): FAR on a log axis from 1e-4 to 1, TAR on
 * a linear axis, one curve per system (e.g. encoder vs. baseline) with its EER point and a legend.
 */
import { writeFile } from 'node:fs/promises';
import type { RocPoint } from './metrics.js';
import { escapeXml, px, SERIES_COLOURS, svgDocument } from './svg.js';

export interface RocCurveInput {
  readonly label: string;
  readonly roc: readonly RocPoint[];
  readonly eer: number;
}

export interface RocSvgOptions {
  readonly title?: string;
}

const WIDTH = 640;
const HEIGHT = 480;
const MARGIN = { left: 64, right: 24, top: 40, bottom: 56 };
const MIN_LOG_FAR = -4;

const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

/** FAR below the axis' 1e-4 is drawn on its left edge. */
const xOf = (far: number): number =>
  MARGIN.left + ((Math.max(Math.log10(Math.max(far, 1e-12)), MIN_LOG_FAR) - MIN_LOG_FAR) / -MIN_LOG_FAR) * plotWidth;
const yOf = (tar: number): number => MARGIN.top + (1 - tar) * plotHeight;

/** Path through the curve's points, skipping those closer than half a pixel to the last one drawn. */
function curvePath(roc: readonly RocPoint[]): string {
  const parts: string[] = [];
  let last: [number, number] | undefined;
  roc.forEach((p, k) => {
    const x = xOf(p.far);
    const y = yOf(p.tar);
    const isLast = k === roc.length - 1;
    if (last && !isLast && Math.abs(x - last[0]) < 0.5 && Math.abs(y - last[1]) < 0.5) return;
    parts.push(`${last ? 'L' : 'M'}${px(x)},${px(y)}`);
    last = [x, y];
  });
  return parts.join(' ');
}

function axes(): string[] {
  const out: string[] = [];
  for (let e = MIN_LOG_FAR; e <= 0; e++) {
    const x = px(xOf(10 ** e));
    out.push(`<line class="grid" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${e === 0 ? '1' : `1e${e}`}</text>`);
  }
  for (let k = 0; k <= 5; k++) {
    const tar = k / 5;
    const y = px(yOf(tar));
    out.push(`<line class="grid" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotWidth}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tar.toFixed(1)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">False accept rate (log scale)</text>`);
  out.push(
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">True accept rate</text>`,
  );
  // Chance level (TAR = FAR), a curve on the log axis.
  const chance = Array.from({ length: 41 }, (_, k) => 10 ** (MIN_LOG_FAR + k / 10));
  out.push(
    `<path class="chance" d="${chance.map((f, k) => `${k ? 'L' : 'M'}${px(xOf(f))},${px(yOf(f))}`).join(' ')}" fill="none" stroke="#999" stroke-dasharray="4 4"/>`,
  );
  return out;
}

export function renderRocSvg(curves: readonly RocCurveInput[], options: RocSvgOptions = {}): string {
  const body: string[] = axes();
  curves.forEach((c, k) => {
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length] as string;
    const label = escapeXml(c.label);
    body.push(`<path class="roc-curve" data-label="${label}" d="${curvePath(c.roc)}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    body.push(
      `<circle class="eer-point" data-label="${label}" cx="${px(xOf(c.eer))}" cy="${px(yOf(1 - c.eer))}" r="4" fill="${colour}"><title>${label}: EER ${(c.eer * 100).toFixed(2)}%</title></circle>`,
    );
    const ly = MARGIN.top + plotHeight - 16 - (curves.length - 1 - k) * 20;
    const lx = MARGIN.left + plotWidth - 220;
    body.push(`<g class="legend-entry"><line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    body.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${label} (EER ${(c.eer * 100).toFixed(2)}%)</text></g>`);
  });
  return svgDocument(WIDTH, HEIGHT, options.title, body);
}

export async function writeRocSvg(path: string, curves: readonly RocCurveInput[], options: RocSvgOptions = {}): Promise<void> {
  await writeFile(path, renderRocSvg(curves, options), 'utf8');
}
