/**
 * DET plot of open-set identification as a standalone SVG: FNIR against FPIR, both on log axes
 * (FPIR 1e-4…1, FNIR 1e-3…1), one curve per gallery size, as NIST's FRVT 1:N reports draw them.
 */
import { writeFile } from 'node:fs/promises';
import type { DetPoint } from './identification-protocol.js';
import { escapeXml, px, SERIES_COLOURS, svgDocument } from './svg.js';

export interface DetCurveInput {
  readonly label: string;
  readonly det: readonly DetPoint[];
}

const WIDTH = 640;
const HEIGHT = 480;
const MARGIN = { left: 64, right: 24, top: 40, bottom: 56 };
const MIN_LOG_FPIR = -4;
const MIN_LOG_FNIR = -3;
const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Rates below an axis' lower end (including 0) are drawn on that edge. */
const logPosition = (rate: number, minLog: number): number => (Math.max(Math.log10(Math.max(rate, 1e-12)), minLog) - minLog) / -minLog;
const xOf = (fpir: number): number => MARGIN.left + logPosition(fpir, MIN_LOG_FPIR) * plotWidth;
const yOf = (fnir: number): number => MARGIN.top + (1 - logPosition(fnir, MIN_LOG_FNIR)) * plotHeight;

function axes(): string[] {
  const out: string[] = [];
  for (let e = MIN_LOG_FPIR; e <= 0; e++) {
    const x = px(xOf(10 ** e));
    out.push(`<line class="grid" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${e === 0 ? '1' : `1e${e}`}</text>`);
  }
  for (let e = MIN_LOG_FNIR; e <= 0; e++) {
    const y = px(yOf(10 ** e));
    out.push(`<line class="grid" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotWidth}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${e === 0 ? '1' : `1e${e}`}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">False positive identification rate, FPIR (log scale)</text>`);
  out.push(
    `<text x="16" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})">False negative identification rate, FNIR (log scale)</text>`,
  );
  return out;
}

export function renderDetSvg(curves: readonly DetCurveInput[], title?: string): string {
  const body = axes();
  curves.forEach((curve, k) => {
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length] as string;
    const label = escapeXml(curve.label);
    const d = curve.det.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(xOf(p.fpir))},${px(yOf(p.fnir))}`).join(' ');
    body.push(`<path class="det-curve" data-label="${label}" d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const ly = MARGIN.top + 16 + k * 20;
    const lx = MARGIN.left + plotWidth - 160;
    body.push(`<g class="legend-entry"><line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    body.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${label}</text></g>`);
  });
  return svgDocument(WIDTH, HEIGHT, title, body);
}

export async function writeDetSvg(path: string, curves: readonly DetCurveInput[], title?: string): Promise<void> {
  await writeFile(path, renderDetSvg(curves, title), 'utf8');
}
