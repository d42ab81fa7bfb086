/** Small parts of the services: PIN hashing, phrases for voice clock-in, CSV escaping. */
import { codeOf } from '../helpers/errors.js';
import { describe, expect, it } from 'vitest';
import { toCsv, csvField, UTF8_BOM } from '../../src-main/core/attendance/csv.js';
import { hashPin, verifyPin } from '../../src-main/core/auth/pin-hash.js';
import { PhraseIssuer } from '../../src-main/core/attendance/phrases.js';
import { FAST_SCRYPT, ManualClock } from './kiosk-fixture.js';


describe('PIN hashes', () => {
  it('verify the right PIN only, with a fresh salt each time', async () => {
    const a = await hashPin('123456', FAST_SCRYPT);
    const b = await hashPin('123456', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPin('123456', a)).toBe(true);
    expect(await verifyPin('123457', a)).toBe(false);
    expect(await verifyPin('123456', 'scrypt$10$8$1$bad')).toBe(false);
    expect(await verifyPin('123456', '')).toBe(false);
  });

  it('refuse a PIN that is not 4-12 digits', async () => {
    await expect(hashPin('12a4', FAST_SCRYPT)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(hashPin('123', FAST_SCRYPT)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('PhraseIssuer', () => {
  it('issues random phrases usable once, within their time limit', () => {
    const clock = new ManualClock(0);
    const issuer = new PhraseIssuer({ now: clock.now, ttlMs: 60_000 });
    const phrases = Array.from({ length: 20 }, () => issuer.issue('en'));
    expect(new Set(phrases.map((p) => p.text)).size).toBeGreaterThan(15);
    expect(phrases[0]!.text.split(' ').length).toBeGreaterThanOrEqual(5);
    issuer.consume(phrases[0]!.phraseId);
    expect(codeOf(() => issuer.consume(phrases[0]!.phraseId))).toBe('PHRASE_EXPIRED');
    expect(codeOf(() => issuer.consume('never-issued'))).toBe('PHRASE_EXPIRED');
    clock.advance(60_000);
    expect(codeOf(() => issuer.consume(phrases[1]!.phraseId))).toBe('PHRASE_EXPIRED');
  });

  it('writes Korean phrases in Hangul', () => {
    expect(new PhraseIssuer().issue('ko').text).toMatch(/^[\uAC00-\uD7A3 .]+$/);
  });

  it('keeps at most maxOutstanding phrases, dropping the oldest', () => {
    const issuer = new PhraseIssuer({ maxOutstanding: 3 });
    const [first, ...rest] = Array.from({ length: 4 }, () => issuer.issue('en'));
    expect(codeOf(() => issuer.consume(first!.phraseId))).toBe('PHRASE_EXPIRED');
    for (const phrase of rest) issuer.consume(phrase.phraseId);
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(7.5)).toBe('7.5');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2')).toBe("'-2");
  });

  it('starts with a UTF-8 byte-order mark and ends every row with CRLF', () => {
    const csv = toCsv(['이름', 'n'], [['김민준', 1]]);
    expect(csv).toBe(`${UTF8_BOM}이름,n\r\n김민준,1\r\n`);
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
