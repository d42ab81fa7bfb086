/** What the evaluation plots (ROC, DET) share: series colours, escaping, and the document around a plot. */
export const SERIES_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export const px = (v: number): string => v.toFixed(1);

export function svgDocument(width: number, height: number, title: string | undefined, body: readonly string[]): string {
  const heading = title === undefined ? '' : `<text x="${width / 2}" y="24" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    heading,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
