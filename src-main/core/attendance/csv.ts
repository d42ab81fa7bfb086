/**
 * CSV for spreadsheets (RFC 4180): CRLF rows, fields quoted when they hold a comma, quote or
 * line break, quotes doubled. A UTF-8 byte-order mark makes Excel read Korean names as UTF-8.
 * Text starting with = + - @ (or a tab / carriage return) is prefixed with ' so a spreadsheet
 * never evaluates an employee's name as a formula (CSV injection).
 */
export const UTF8_BOM = '\uFEFF';

export type CsvValue = string | number | null;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
