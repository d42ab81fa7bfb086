import { describe, expect, it } from 'vitest';
import { UsageError, parseOptions, stringOption, type OptionSpecs } from '../../src-main/cli/args.js';

const specs: OptionSpecs = {
  json: { type: 'string', value: '<out.json>', description: 'output' },
  flip: { type: 'boolean', description: 'mirror' },
  'enroll-count': { type: 'number', value: '<K>', description: 'K' },
};

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseOptions', () => {
  it('reads "--name value", "--name=value", flags and numbers', () => {
    expect(parseOptions(['--json', 'a.json', '--flip', '--enroll-count=3'], specs)).toEqual({ json: 'a.json', flip: true, 'enroll-count': 3 });
  });

  it('keeps a value that starts with a single dash', () => {
    expect(parseOptions(['--json', '-'], specs)).toEqual({ json: '-' });
  });

  it.each([
    [['--nope', 'x'], 'unknown option --nope'],
    [['stray'], 'unexpected argument "stray"'],
    [['--json'], 'option --json needs a value'],
    [['--json', '--flip'], 'option --json needs a value'],
    [['--json='], 'non-empty'],
    [['--flip=yes'], 'takes no value'],
    [['--enroll-count', 'three'], 'needs a number'],
    [['--json', 'a', '--json', 'b'], 'given twice'],
  ])('%j → UsageError "%s"', (argv, message) => {
    expect(usageMessage(() => parseOptions(argv, specs))).toContain(message);
  });

  it('stringOption reports a missing required option by name', () => {
    expect(usageMessage(() => stringOption({}, 'json', true))).toBe('missing required option --json');
    expect(stringOption({}, 'json')).toBeUndefined();
  });
});
