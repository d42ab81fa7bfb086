/**
 * A small option parser for the kiosk command line: `--name value`, `--name=value` and boolean
 * `--flag`. Anything it does not expect is a UsageError, which the CLI turns into usage + exit 2.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'number' | 'boolean';
  /** Shown in the usage text, e.g. "<pairs.txt>". */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type ParsedOptions = Record<string, string | number | boolean>;

export function parseOptions(argv: readonly string[], specs: OptionSpecs): ParsedOptions {
  const parsed: ParsedOptions = {};
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) throw new UsageError(`unknown option --${name}`);
    if (name in parsed) throw new UsageError(`option --${name} is given twice`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
      parsed[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[k + 1];
      if (raw === undefined || raw.startsWith('--')) throw new UsageError(`option --${name} needs a value ${spec.value ?? ''}`.trim());
      k++;
    }
    if (raw === '') throw new UsageError(`option --${name} needs a non-empty value`);
    if (spec.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`option --${name} needs a number, got "${raw}"`);
      parsed[name] = n;
    } else {
      parsed[name] = raw;
    }
  }
  return parsed;
}

/** Reads an option the caller declared as a string; throws UsageError when it is required and absent. */
export function stringOption(options: ParsedOptions, name: string, required: true): string;
export function stringOption(options: ParsedOptions, name: string, required?: false): string | undefined;
export function stringOption(options: ParsedOptions, name: string, required = false): string | undefined {
  const value = options[name];
  if (value === undefined) {
    if (required) throw new UsageError(`missing required option --${name}`);
    return undefined;
  }
  return String(value);
}

export function numberOption(options: ParsedOptions, name: string, fallback?: number): number | undefined {
  const value = options[name];
  return typeof value === 'number' ? value : fallback;
}

/** An optional number that must be above zero (a duration, a length); UsageError otherwise. */
export function positiveOption(options: ParsedOptions, name: string): number | undefined {
  const value = numberOption(options, name);
  if (value !== undefined && !(value > 0)) throw new UsageError(`--${name} must be positive, got ${value}`);
  return value;
}

/** The required --modality: face or voice. */
export function modalityOption(options: ParsedOptions): 'face' | 'voice' {
  const modality = stringOption(options, 'modality', true);
  if (modality !== 'face' && modality !== 'voice') throw new UsageError(`--modality must be face or voice, got ${JSON.stringify(modality)}`);
  return modality;
}

export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `    ${left.padEnd(width)}  ${right}`).join('\n');
}
