/**
 * Canonical JSON (the RFC 8785 shape): object keys sorted by UTF-16 code units, no whitespace,
 * ECMAScript number formatting. Equal values always give equal text, which the audit hash
 * chain needs; anything JSON cannot carry faithfully is refused instead of being dropped.
 */
import { invalid } from './validate.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

const MAX_DEPTH = 32;

export function canonicalJson(value: unknown, field = 'value'): string {
  return write(value, field, 0);
}

function write(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw invalid(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, 'must be a finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => write(item, `${path}[${index}]`, depth + 1)).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  throw invalid(path, `holds a ${typeof value === 'object' ? 'non-plain object' : typeof value}, which JSON cannot carry`);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
