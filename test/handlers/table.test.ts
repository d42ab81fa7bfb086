/**
 * Every handler rejects malformed input with a typed error, never a crash: generated cases
 * (non-objects, an extra field, each required field missing, each field of the wrong type,
 * non-base64 and oversized payloads) plus hand-written ones per field, all through the real
 * handler table on a real kiosk. Also: unknown handler names, admin handlers without a valid
 * session, and an unexpected exception turned into a generic INTERNAL reply.
 */
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src-main/core/logger.js';
import { LIMITS, schemas, type HandlerName } from '../../src-shared/contract.js';
import { createDispatcher, createHandlers } from '../../src-main/handlers/table.js';
import { adminToken, failure, hasModels, openTestKiosk, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { validInputs as validInputsOf } from './valid-inputs.js';

const frame = Buffer.from(jpeg.encode({ data: Buffer.alloc(64 * 48 * 4, 90), width: 64, height: 48 }, 80).data).toString('base64');
const pcm = Buffer.from(new Float32Array(1600).buffer).toString('base64');

/** A valid input of every handler; `token` is filled in once signed in. */
const validInputs = (token: string): ReturnType<typeof validInputsOf> => validInputsOf({ token, frame, pcm });

/** Field values that are the right type but break a rule of the contract. */
const BAD_VALUES: Record<string, readonly unknown[]> = {
  locale: ['fr', ''],
  image: ['', 'not base64!', 'A'.repeat(LIMITS.imageBase64Chars + 4), 'QUJD=A==', 'QUJ'],
  frames: [[], Array.from({ length: LIMITS.framesPerBurst + 1 }, () => frame), ['%%%%'], ['QUJ']],
  challengeId: ['', 'abc', '0123456789ABCDEF0123456789ABCDEF', 'g'.repeat(32), 'a'.repeat(65), '0123456789abcdef '],
  phraseId: ['', 'x'.repeat(65)],
  pcmBase64: ['', 'not base64!', 'A'.repeat(LIMITS.audioBase64Chars + 4), 'AAAAAAAA', 'QUJ'],
  sampleRate: [7999, 192001, 16000.5, -16000],
  code: ['', 'has space', 'x'.repeat(33), 'semi;colon'],
  pin: ['123', '1234567890123', '12a4', ''],
  currentPin: ['12'],
  newPin: ['abcd'],
  token: ['short', 'x'.repeat(201)],
  includeInactive: ['true'],
  name: ['', '   ', 'x'.repeat(LIMITS.nameChars + 1)],
  department: ['x'.repeat(LIMITS.nameChars + 1)],
  employeeId: [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2],
  textVersion: ['', 'x'.repeat(33)],
  pose: ['up', 'FRONT'],
  settings: [[], 'x'],
  from: ['2025-1-1', '01/01/2025', ''],
  to: ['2025-01-01T00:00', ''],
  limit: [0, 1001, 2.5],
};

function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'seven';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-an-array';
  return 'not-an-object';
}

describe.skipIf(!hasModels)('handler table: malformed input', () => {
  let t: TestKiosk;
  let valid: ReturnType<typeof validInputs>;
  const names = Object.keys(schemas) as HandlerName[];

  beforeAll(async () => {
    t = await openTestKiosk();
    valid = validInputs(await adminToken(t.dispatch));
  });
  afterAll(() => t?.close());

  it('has a valid sample input for every handler of the contract, and each passes its schema', () => {
    expect(Object.keys(valid).sort()).toEqual([...names].sort());
    for (const name of names) expect(schemas[name].safeParse(valid[name]).success, name).toBe(true);
  });

  it.each(names)('%s: non-object input, extra field, missing and wrongly typed fields → INVALID_INPUT', async (name) => {
    const base = valid[name];
    const cases: unknown[] = [null, undefined, [], 'text', 42, true, [base], { ...base, extra: 1 }, { ...base, __proto__: { token: 'x' }, ['constructor']: 1 }];
    const shape = (schemas[name] as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
    for (const key of Object.keys(base)) {
      if (!shape[key]!.safeParse(undefined).success) {
        const { [key]: _removed, ...missing } = base;
        cases.push(missing);
      }
      cases.push({ ...base, [key]: wrongType(base[key]) });
      cases.push({ ...base, [key]: null });
    }
    for (const input of cases) {
      const error = await failure(t.dispatch, name, input);
      expect(error.code, `${name} ${JSON.stringify(input)?.slice(0, 120)}`).toBe('INVALID_INPUT');
      expect((error.details?.issues as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it.each(names.filter((name) => Object.keys(validInputs('t')[name]).some((key) => key in BAD_VALUES)))(
    '%s: values that break the contract (bad base64, oversized payloads, out-of-range numbers, bad formats) → INVALID_INPUT',
    async (name) => {
      const base = valid[name];
      let tried = 0;
      for (const key of Object.keys(base)) {
        for (const bad of BAD_VALUES[key] ?? []) {
          const error = await failure(t.dispatch, name, { ...base, [key]: bad });
          expect(error.code, `${name}.${key} = ${JSON.stringify(bad)?.slice(0, 60)}`).toBe('INVALID_INPUT');
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(0);
    },
  );

  it('answers UNKNOWN_HANDLER for names outside the contract, including prototype names', async () => {
    for (const name of ['nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'kiosk.status ', 'KIOSK.STATUS', 'admin', 'x'.repeat(10_000)]) {
      expect((await failure(t.dispatch, name, {})).code, name).toBe('UNKNOWN_HANDLER');
    }
    expect((await failure(t.dispatch, null as unknown as string, {})).code).toBe('UNKNOWN_HANDLER');
    expect((await failure(t.dispatch, 42 as unknown as string, {})).code).toBe('UNKNOWN_HANDLER');
  });

  it.each(names.filter((name) => 'token' in validInputs('t')[name]))('%s: refuses a well-formed but unknown admin token → UNAUTHORIZED', async (name) => {
    const error = await failure(t.dispatch, name, { ...valid[name], token: 'A'.repeat(43) });
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('turns an unexpected exception into INTERNAL with a generic message, and logs the real one', async () => {
    const logged: unknown[] = [];
    const log: Logger = { info: () => undefined, warn: () => undefined, error: (_m, e) => logged.push(e) };
    const table = createHandlers(t.kiosk);
    const dispatch = createDispatcher(
      {
        ...table,
        handlers: {
          ...table.handlers,
          'kiosk.status': () => {
            throw new Error('secret detail /home/kiosk/db');
          },
        },
      },
      log,
    );
    const error = await failure(dispatch, 'kiosk.status', {});
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain('secret');
    expect(logged.map(String)).toEqual(['Error: secret detail /home/kiosk/db']);
  });

  it('refuses a settings key outside the public settings (the admin PIN hash cannot be overwritten)', async () => {
    const { token } = valid['admin.settings.get'] as { token: string };
    for (const key of ['security.adminPinHash', 'unknownSetting']) {
      const error = await failure(t.dispatch, 'admin.settings.set', { token, settings: { [key]: 'x' } });
      expect(error.code, key).toBe('INVALID_INPUT');
    }
    expect((await failure(t.dispatch, 'admin.settings.set', { token, settings: { faceThreshold: 7 } })).code).toBe('INVALID_INPUT');
    // All or nothing: the valid value next to the refused one is not kept either.
    const before = t.kiosk.settings.get('debounceMinutes');
    expect((await failure(t.dispatch, 'admin.settings.set', { token, settings: { debounceMinutes: before + 3, faceMargin: -1 } })).code).toBe('INVALID_INPUT');
    expect(t.kiosk.settings.get('debounceMinutes')).toBe(before);
    // A JSON "__proto__" key is dropped by validation: nothing is set and no prototype is touched.
    const reply = await t.dispatch('admin.settings.set', { token, settings: JSON.parse('{"__proto__": {"polluted": true}}') });
    expect(reply.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
