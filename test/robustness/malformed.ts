/**
 * Malformed payloads for every handler of the contract, drawn from a seeded generator:
 *  - 'junk': not an object at all (null, numbers, strings, arrays, deep nesting);
 *  - 'random-object': an object of random keys and values;
 *  - 'missing' / 'extra' / 'mutated': a valid input with one required field removed, one field
 *    added, or one field replaced by a random value of any type;
 *  - 'semantic': input the schema accepts but that must still fail — a random session token, an
 *    unknown employee, random bytes as a photo, samples that are not speech, a date range that
 *    ends before it starts — so the services behind validation are fuzzed too.
 * The non-semantic kinds are redrawn until the contract's schema refuses them, so every payload
 * is malformed by the contract's own definition. 'clone' payloads may hold what Electron's IPC
 * (structured clone) can carry and JSON cannot: undefined, NaN, BigInt, Map, typed arrays, cycles.
 */
import { schemas, type HandlerName } from '../../src-shared/contract.js';
import type { Prng } from './prng.js';
import { validInputs } from '../handlers/valid-inputs.js';

export type Flavour = 'json' | 'clone';

export interface FuzzTargets {
  /** A live admin session. */
  readonly token: string;
  /** The admin PIN, never generated (a random PIN that hit it would change state). */
  readonly adminPin: string;
  /** An active employee with consent: captures for them reach the engines' decoders. */
  readonly consentedEmployeeId: number;
  /** A code that exists already. */
  readonly existingCode: string;
}

export interface Malformed {
  readonly kind: 'junk' | 'random-object' | 'missing' | 'extra' | 'mutated' | 'semantic';
  readonly payload: unknown;
}

const HANDLERS = Object.keys(schemas) as HandlerName[];
export const handlerNames = (): HandlerName[] => [...HANDLERS];

const TEXT_ALPHABET = ['a', 'Z', '0', '9', ' ', '-', '_', '.', '/', '\\', '"', "'", '<', '>', '&', '%', '\u0000', '\u0007', '\n', '\u202e', '\u2066', '한', '글', '😀', '\ud800', 'é', '=', '+', '$', '{', '}'];
const B64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
const NASTY_STRINGS = ['', ' ', '__proto__', 'constructor', 'prototype', 'null', 'undefined', 'NaN', "'; DROP TABLE employees; --", '../../etc/passwd', '%00', 'A'.repeat(70_000), '\ud83d', 'true', '0', '-1', '1e309', '{"a":1}', '<script>alert(1)</script>'];
const NASTY_NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 1e308, -1e308, 5e-324, 123456789012];

/** A valid input of every handler (the fuzz mutates these). */
export function sampleInput(name: HandlerName, t: FuzzTargets): Record<string, unknown> {
  return { ...validInputs({ token: t.token, frame: '/9j/4AAQ', pcm: 'AAAAAAAAAAA=' })[name] };
}

/** A payload as the handler receives it: already through the transport's serialisation. */
export function malformedPayload(name: HandlerName, rng: Prng, t: FuzzTargets, flavour: Flavour): Malformed {
  const semantic = SEMANTIC[name];
  if (semantic !== undefined && rng.chance(0.3)) return { kind: 'semantic', payload: semantic(rng, t) };
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = structural(name, rng, t, flavour);
    // Checked after the trip, which may change it: JSON drops undefined members, and an own
    // "__proto__" key does not survive every copy.
    const payload = onTheWire(candidate.payload, flavour);
    if (!accepts(name, payload)) return { kind: candidate.kind, payload };
  }
  return { kind: 'junk', payload: null };
}

function onTheWire(value: unknown, flavour: Flavour): unknown {
  if (flavour === 'clone') return structuredClone(value);
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

function accepts(name: HandlerName, payload: unknown): boolean {
  try {
    return schemas[name].safeParse(payload).success;
  } catch {
    return false;
  }
}

function structural(name: HandlerName, rng: Prng, t: FuzzTargets, flavour: Flavour): Malformed {
  const base = sampleInput(name, t);
  const keys = Object.keys(base);
  const roll = rng.int(10);
  if (roll === 0) return { kind: 'junk', payload: junkValue(rng, flavour, 0) };
  if (roll === 1) return { kind: 'random-object', payload: randomObject(rng, flavour, 0) };
  if (roll === 2 && keys.length > 0) {
    const { [rng.pick(keys)]: _dropped, ...rest } = base;
    return { kind: 'missing', payload: rest };
  }
  if (roll === 3) return { kind: 'extra', payload: { ...base, [randomKey(rng)]: junkValue(rng, flavour, 1) } };
  if (keys.length === 0) return { kind: 'random-object', payload: randomObject(rng, flavour, 0) };
  // Most often: one field of an otherwise valid input is wrong.
  const key = rng.pick(keys);
  const value = rng.chance(0.3) ? nearMiss(key, rng) : junkValue(rng, flavour, 1);
  return { kind: 'mutated', payload: { ...base, [key]: value } };
}

/** A value of the right type that breaks the field's rule (length, alphabet, range, format). */
function nearMiss(key: string, rng: Prng): unknown {
  switch (key) {
    case 'pin':
    case 'currentPin':
    case 'newPin':
      return rng.pick(['', '123', '1234567890123', '12a4', '１２３４', ' 1234', '1234\n', '-123']);
    case 'token':
      return rng.pick(['', 'short', 'x'.repeat(201)]);
    case 'employeeId':
      return rng.pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, 1e21]);
    case 'sampleRate':
      return rng.pick([0, 7999, 192001, 16000.5, -16000]);
    case 'from':
    case 'to':
      return rng.pick(['2025-1-1', '01/01/2025', '2025-01-01T00:00', '', '２０２５-01-01']);
    case 'image':
    case 'pcmBase64':
      return rng.pick(['', 'not base64!', '====', 'QUJD\nREVG', '😀😀😀😀']);
    case 'frames':
      return rng.pick([[], Array.from({ length: 9 }, () => 'QUJD'), ['%%%%']]);
    case 'challengeId':
      return rng.pick(['', 'abc', '0123456789ABCDEF0123456789ABCDEF', 'g'.repeat(32), 'a'.repeat(65), ' 0123456789abcdef']);
    case 'code':
      return rng.pick(['', 'has space', 'x'.repeat(33), 'semi;colon', '   ']);
    case 'locale':
      return rng.pick(['fr', 'EN', '']);
    case 'pose':
      return rng.pick(['up', 'FRONT', '']);
    default:
      return rng.text(rng.int(8), TEXT_ALPHABET);
  }
}

function randomKey(rng: Prng): string {
  return rng.chance(0.3) ? rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'token', 'hasOwnProperty', '']) : rng.text(1 + rng.int(12), TEXT_ALPHABET);
}

function randomObject(rng: Prng, flavour: Flavour, depth: number): Record<string, unknown> {
  // JSON.parse makes "__proto__" an own key, as an HTTP body would.
  const object: Record<string, unknown> = rng.chance(0.2) ? JSON.parse('{"__proto__": {"token": "x"}}') : {};
  const count = 1 + rng.int(5);
  for (let i = 0; i < count; i++) object[randomKey(rng)] = junkValue(rng, flavour, depth + 1);
  return object;
}

function junkValue(rng: Prng, flavour: Flavour, depth: number): unknown {
  const kinds = flavour === 'clone' ? 13 : 9;
  switch (rng.int(depth > 2 ? 5 : kinds)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.pick(NASTY_NUMBERS) : (rng.float() - 0.5) * 10 ** rng.int(20);
    case 3:
      return rng.chance(0.5) ? rng.pick(NASTY_STRINGS) : rng.text(rng.int(40), TEXT_ALPHABET);
    case 4:
      return rng.text(rng.int(64), B64);
    case 5:
      return Array.from({ length: rng.int(6) }, () => junkValue(rng, flavour, depth + 1));
    case 6:
      return randomObject(rng, flavour, depth);
    case 7:
      return deepArray(rng.pick([10, 100, 1000]));
    case 8:
      return Array.from({ length: rng.pick([100, 1000, 10_000]) }, (_, i) => i);
    // Structured clone only (Electron IPC):
    case 9:
      return rng.pick([undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 10n ** 30n, -1n]);
    case 10:
      return rng.pick([new Date(), new Date(Number.NaN), /re.*gex/giu, new Error('x'), new String('token'), new Boolean(false)]);
    case 11:
      return rng.pick([new Map([['token', 'x']]), new Set([1, 2]), new Uint8Array(rng.bytes(16)), new Float32Array([Number.NaN, 1]), new ArrayBuffer(8), [1, , 3]]);
    default: {
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      cyclic.token = cyclic;
      return cyclic;
    }
  }
}

function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

// ---- semantic: passes the schema, must still fail -------------------------------------------

const randomToken = (rng: Prng): string => rng.text(43, [...B64.slice(0, 62), '-', '_']);
const randomPin = (rng: Prng, t: FuzzTargets): string => {
  const pin = rng.text(4 + rng.int(9), [...'0123456789']);
  return pin === t.adminPin ? `${pin}0`.slice(-12) : pin;
};
const unknownEmployee = (rng: Prng): number => 1_000_000 + rng.int(1_000_000);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const MAGIC: readonly number[][] = [[0xff, 0xd8, 0xff, 0xe0], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], [0x50, 0x36, 0x0a], []];

/** Base64 that decodes to something that is not a usable photo. */
function junkImage(rng: Prng): string {
  switch (rng.int(4)) {
    case 0:
      return base64(Uint8Array.from([...rng.pick(MAGIC), ...rng.bytes(rng.int(2048))]));
    case 1: {
      // A PNG header claiming an enormous image, with nothing behind it.
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const size = Buffer.alloc(8);
      size.writeUInt32BE(1 + rng.int(0x7fffffff), 0);
      size.writeUInt32BE(1 + rng.int(0x7fffffff), 4);
      return base64(Buffer.concat([png, size, Buffer.from([8, 2, 0, 0, 0]), rng.bytes(8)]));
    }
    case 2:
      // Passes the alphabet check, but is not whole base64 quanta.
      return rng.text(1 + 4 * rng.int(64), B64) + rng.pick(['A', 'AB', 'ABC']);
    default:
      return base64(rng.bytes(1 + rng.int(64)));
  }
}

/** Little-endian float32 PCM that is not speech: non-finite, silent, a few samples, or not whole samples. */
function junkPcm(rng: Prng): string {
  switch (rng.int(4)) {
    case 0: {
      const samples = new Float32Array(1 + rng.int(16_000)).map(() => (rng.float() - 0.5) * 0.1);
      samples[rng.int(samples.length)] = rng.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      return base64(new Uint8Array(samples.buffer));
    }
    case 1:
      return base64(new Uint8Array(new Float32Array(rng.pick([1, 10, 16_000, 48_000])).buffer));
    case 2:
      return base64(rng.bytes(1 + 4 * rng.int(8) + rng.pick([1, 2, 3])));
    default:
      return base64(new Uint8Array(Float32Array.from({ length: 1 + rng.int(8) }, () => rng.float() - 0.5).buffer));
  }
}

const impossibleRange = (rng: Prng): { from: string; to: string } =>
  rng.pick([
    { from: '2025-03-02', to: '2025-03-01' },
    { from: '2025-02-30', to: '2025-03-01' },
    { from: '2025-01-01', to: '2026-01-03' },
    { from: '0000-01-01', to: '0000-01-02' },
    { from: '2025-13-01', to: '2025-13-02' },
  ]);

const SEMANTIC: Partial<Record<HandlerName, (rng: Prng, t: FuzzTargets) => unknown>> = {
  'face.detect': (rng) => ({ image: junkImage(rng) }),
  'clock.face': (rng) => ({
    frames: Array.from({ length: 1 + rng.int(8) }, () => junkImage(rng)),
    ...(rng.chance(0.5) ? { challengeId: rng.text(16 + rng.int(49), [...'0123456789abcdef']) } : {}),
  }),
  'clock.voice': (rng) => ({
    phraseId: rng.text(1 + rng.int(64), B64),
    pcmBase64: junkPcm(rng),
    sampleRate: rng.pick([8000, 16000, 44100, 48000]),
    // Voice verifies a code by default: without one the reply is CODE_REQUIRED.
    ...(rng.chance(0.7) ? { employeeCode: rng.text(1 + rng.int(32), [...B64.slice(0, 62), '.', '_', '-']) } : {}),
  }),
  'clock.pin': (rng, t) => ({ code: rng.text(1 + rng.int(32), [...B64.slice(0, 62), '.', '_', '-']), pin: randomPin(rng, t) }),
  'admin.login': (rng, t) => ({ pin: randomPin(rng, t) }),
  'admin.logout': (rng) => ({ token: randomToken(rng) }),
  'admin.pin.change': (rng, t) => ({ token: rng.chance(0.5) ? t.token : randomToken(rng), currentPin: randomPin(rng, t), newPin: randomPin(rng, t) }),
  'admin.employees.list': (rng) => ({ token: randomToken(rng), includeInactive: rng.chance(0.5) }),
  'admin.employees.create': (rng, t) =>
    rng.chance(0.5)
      ? { token: t.token, code: rng.chance(0.5) ? t.existingCode.toLowerCase() : t.existingCode, name: rng.text(1 + rng.int(20), ['a', '한', ' ']) + 'x' }
      : { token: randomToken(rng), code: 'NEW', name: 'New' },
  'admin.employees.consent': (rng, t) => ({ token: t.token, employeeId: unknownEmployee(rng), textVersion: 'v1' }),
  'admin.enroll.face': (rng, t) =>
    rng.chance(0.7)
      ? { token: t.token, employeeId: t.consentedEmployeeId, image: junkImage(rng), pose: rng.pick(['front', 'left', 'right']) }
      : { token: t.token, employeeId: unknownEmployee(rng), image: junkImage(rng), pose: 'front' },
  'admin.enroll.voice': (rng, t) => ({ token: t.token, employeeId: rng.chance(0.7) ? t.consentedEmployeeId : unknownEmployee(rng), pcmBase64: junkPcm(rng), sampleRate: rng.pick([8000, 16000, 48000]) }),
  'admin.employees.reenroll': (rng, t) => ({ token: t.token, employeeId: unknownEmployee(rng) }),
  'admin.employees.deactivate': (rng, t) => ({ token: t.token, employeeId: unknownEmployee(rng) }),
  'admin.employees.erase': (rng, t) => ({ token: t.token, employeeId: unknownEmployee(rng) }),
  'admin.employees.delete': (rng, t) => ({ token: t.token, employeeId: unknownEmployee(rng) }),
  'admin.employees.export': (rng, t) => ({ token: rng.chance(0.5) ? t.token : randomToken(rng), employeeId: unknownEmployee(rng) }),
  'admin.settings.get': (rng) => ({ token: randomToken(rng) }),
  'admin.central.kiosks': (rng) => ({ token: randomToken(rng) }),
  'admin.settings.set': (rng, t) => ({
    token: t.token,
    settings: rng.pick<Record<string, unknown>>([
      { 'security.adminPinHash': 'x' },
      { faceThreshold: 7 },
      { retentionDays: -1 },
      { retentionDays: 1.5 },
      { storeRawCaptures: 'yes' },
      { debounceMinutes: 1, unknownKey: 1 },
      { [rng.text(1 + rng.int(10), TEXT_ALPHABET)]: 1 },
    ]),
  }),
  'reports.timesheet': (rng, t) => (rng.chance(0.8) ? { token: t.token, ...impossibleRange(rng) } : { token: t.token, from: '2025-01-01', to: '2025-01-02', employeeId: unknownEmployee(rng) }),
  'reports.csv': (rng, t) => ({ token: t.token, ...impossibleRange(rng) }),
};
