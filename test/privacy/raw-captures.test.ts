/**
 * No raw photo or audio is stored unless an admin turns `storeRawCaptures` on: with the default
 * an enrollment leaves nothing but the database files, and none of them holds the photo's or the
 * speech's bytes. Turned on, the enrollment capture is kept sealed, given back exactly in the
 * employee's export, and erased with the templates. A source scan checks that the only modules
 * that write files at all are the known, non-capture ones.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_SETTINGS } from '../../src-main/core/context/settings.js';
import { imageMediaType, pcmBytes, pcmMediaType } from '../../src-main/core/store/raw-capture-repository.js';
import { openStore } from '../../src-main/core/store/store.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { adminToken, base64Of, call, hasModels, hasWebcamPhotos, openTestKiosk, webcam, type TestKiosk } from '../attendance/kiosk-fixture.js';
import { repoRoot } from '../helpers/paths.js';
import { codeOf, tempDir } from '../store/helpers.js';
import { filesUnder, gridClip, hasGrid, hasVoiceModels, occurrences, pcmOf, windowsOf } from './helpers.js';

const canEnrollVoice = hasVoiceModels && hasGrid;

describe.skipIf(!hasModels || !hasWebcamPhotos)('raw captures', () => {
  let t: TestKiosk;
  let token: string;
  const photo = (name: string): Buffer => readFileSync(webcam(name));

  async function consentedEmployee(code: string, name: string): Promise<number> {
    const id = (await call(t.dispatch, 'admin.employees.create', { token, code, name })).employee.id;
    await call(t.dispatch, 'admin.employees.consent', { token, employeeId: id, textVersion: 'v1' });
    return id;
  }

  beforeAll(async () => {
    t = await openTestKiosk();
    token = await adminToken(t.dispatch);
  });
  afterAll(() => t?.close());

  it('are off by default: an enrollment leaves only the database files, holding none of the photo or speech bytes', async () => {
    expect((await call(t.dispatch, 'admin.settings.get', { token })).settings.storeRawCaptures).toBe(false);
    const id = await consentedEmployee('OFF', 'Default Off');
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: id, image: base64Of(webcam('obama.jpg')), pose: 'front' });
    const speech = canEnrollVoice ? pcmOf(gridClip('s1', 'bbaf2n')) : null;
    if (speech !== null) {
      await call(t.dispatch, 'admin.enroll.voice', { token, employeeId: id, pcmBase64: speech.pcmBase64, sampleRate: speech.sampleRate });
    }
    expect(t.kiosk.context.store.rawCaptures.count()).toBe(0);

    const files = filesUnder(t.dir);
    expect(files.map((f) => relative(t.dir, f)).sort()).toEqual(['kiosk.db', 'kiosk.db-shm', 'kiosk.db-wal', 'kiosk.db.audit-anchor']);
    // Control: the same scan does find windows of a file that holds the photo.
    const needles = windowsOf(photo('obama.jpg'), 16);
    expect(occurrences([webcam('obama.jpg')], needles)).toBe(16);
    expect(occurrences(files, needles)).toBe(0);
    if (speech !== null) expect(occurrences(files, windowsOf(pcmBytes(speech.pcm), 16))).toBe(0);
  });

  it('turned on, keep the enrollment photo sealed, give it back exactly in the export, and erase it with the templates', async () => {
    await call(t.dispatch, 'admin.settings.set', { token, settings: { storeRawCaptures: true } });
    const setting = t.kiosk.context.store.audit.list({ limit: 1 })[0]!;
    expect(setting).toMatchObject({ action: 'settings.set', details: { changed: { storeRawCaptures: true } } });

    const id = await consentedEmployee('ON', 'Joe Biden');
    await call(t.dispatch, 'admin.enroll.face', { token, employeeId: id, image: base64Of(webcam('biden.jpg')), pose: 'front' });
    const speech = canEnrollVoice ? pcmOf(gridClip('s1', 'bgbn9s')) : null;
    if (speech !== null) {
      await call(t.dispatch, 'admin.enroll.voice', { token, employeeId: id, pcmBase64: speech.pcmBase64, sampleRate: speech.sampleRate });
    }
    const { store } = t.kiosk.context;
    expect(store.rawCaptures.count(id)).toBe(speech === null ? 1 : 2);
    expect(store.audit.list({ limit: 5 }).find((e) => e.action === 'employee.enroll.face')?.details.rawCaptureId).toBeTypeOf('number');

    // Sealed: the database files hold none of the photo's bytes.
    expect(occurrences(filesUnder(t.dir), windowsOf(photo('biden.jpg'), 16))).toBe(0);

    const { data } = await call(t.dispatch, 'admin.employees.export', { token, employeeId: id });
    const face = data.rawCaptures.find((r) => r.kind === 'face-image')!;
    expect(face).toMatchObject({ mediaType: 'image/jpeg', bytes: photo('biden.jpg').length });
    expect(face.contentBase64).toBe(base64Of(webcam('biden.jpg')));
    if (speech !== null) {
      const voice = data.rawCaptures.find((r) => r.kind === 'voice-pcm')!;
      expect(voice.mediaType).toBe(`audio/x-pcm-f32le; rate=${speech.sampleRate}`);
      expect(voice.contentBase64).toBe(speech.pcmBase64);
    }

    const erased = await call(t.dispatch, 'admin.employees.erase', { token, employeeId: id });
    expect(erased.templatesErased).toBe(speech === null ? 1 : 2);
    expect(store.rawCaptures.count(id)).toBe(0);
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'employee.erase', details: { rawCapturesErased: speech === null ? 1 : 2 } });
    await call(t.dispatch, 'admin.settings.set', { token, settings: { storeRawCaptures: false } });
  });
});

describe('RawCaptureRepository', () => {
  const open = () => openStore(join(tempDir(), 'kiosk.db'), { cipher: new Aes256GcmCipher(randomBytes(32)), settings: KIOSK_SETTINGS });

  it('opens what it sealed; a blob moved onto another employee fails with TEMPLATE_TAMPERED', () => {
    const store = open();
    const a = store.employees.create({ code: 'A', name: 'A' }).id;
    const b = store.employees.create({ code: 'B', name: 'B' }).id;
    const photo = Uint8Array.from([0xff, 0xd8, 0xff, 1, 2, 3]);
    const info = store.rawCaptures.add({ employeeId: a, kind: 'face-image', mediaType: imageMediaType(photo), content: photo });
    store.rawCaptures.add({ employeeId: b, kind: 'face-image', mediaType: 'image/jpeg', content: Uint8Array.of(9) });
    expect(store.rawCaptures.listForEmployee(a).map((r) => [r.id, r.mediaType, [...r.content]])).toEqual([[info.id, 'image/jpeg', [...photo]]]);
    const sealed = store.db.connection.prepare('SELECT sealed FROM raw_captures WHERE employee_id = ?').get(a) as { sealed: Buffer };
    store.db.connection.prepare('UPDATE raw_captures SET sealed = ? WHERE employee_id = ?').run(sealed.sealed, b);
    expect(codeOf(() => store.rawCaptures.listForEmployee(b))).toBe('TEMPLATE_TAMPERED');
    store.close();
  });

  it('refuses empty content and a bad kind with INVALID_INPUT, an unknown employee with NOT_FOUND', () => {
    const store = open();
    const a = store.employees.create({ code: 'A', name: 'A' }).id;
    expect(codeOf(() => store.rawCaptures.add({ employeeId: a, kind: 'face-image', mediaType: 'image/jpeg', content: new Uint8Array(0) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => store.rawCaptures.add({ employeeId: a, kind: 'iris' as 'face-image', mediaType: 'x', content: Uint8Array.of(1) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => store.rawCaptures.add({ employeeId: 99, kind: 'voice-pcm', mediaType: 'x', content: Uint8Array.of(1) }))).toBe('NOT_FOUND');
    expect(store.rawCaptures.count()).toBe(0);
    store.close();
  });

  it('names media types from magic bytes and PCM as little-endian float32 with its rate', () => {
    expect(imageMediaType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d))).toBe('image/png');
    expect(imageMediaType(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(imageMediaType(Buffer.from('P6\n2 2\n255\n'))).toBe('image/x-portable-anymap');
    expect(imageMediaType(Uint8Array.of(1, 2, 3))).toBe('application/octet-stream');
    expect(pcmMediaType(16000)).toBe('audio/x-pcm-f32le; rate=16000');
    // 1.0f is 0x3f800000 and -2.0f is 0xc0000000, least significant byte first.
    expect([...pcmBytes(Float32Array.of(1, -2))]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });
});

describe('modules that write files', () => {
  /** Node's file-writing calls (fs and fs/promises, callback, sync and stream forms). */
  const WRITE_CALL = /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|writeSync|copyFileSync|copyFile|cpSync|renameSync)\s*\(/;
  /** Each with why it writes, none of them a capture. */
  const KNOWN_WRITERS: Record<string, string> = {
    'src-main/cli/command.ts': 'evaluation reports (JSON/SVG) the operator asked for',
    'src-main/cli/server.ts': "the central server's gallery key files when the operator rotates the key, and the merged-log CSV the operator asked for (no biometric data)",
    'src-main/core/central/gallery-key.ts': "a central kiosk's 0600 copy of the gallery key, still wrapped by its own kiosk key (offline starts)",
    'src-main/core/store/audit-anchor.ts': "the audit chain's sealed head: an entry count and a hash",
    'src-main/core/store/key-file.ts': 'the 0600 template key of server mode',
    'src-main/transport/ipc/keychain-key.ts': 'the keychain-sealed template key of the desktop app',
    'src-main/transport/ipc/central-keychain.ts': "the keychain-sealed kiosk key of the desktop app on a central server",
  };

  it('are only the key stores and the evaluation reports: no handler or service writes photos or audio to disk', () => {
    // The kiosk's runtime: what the desktop app and `kiosk serve` run (eval/ and bench/ are operator tools).
    const runtime = ['app', 'cli', 'core', 'handlers', 'transport'].flatMap((dir) => filesUnder(join(repoRoot, 'src-main', dir)));
    const writers = runtime
      .filter((file) => /\.(c|m)?ts$/.test(file) && !/\/cli\/eval-/.test(file))
      .filter((file) => WRITE_CALL.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(writers.sort()).toEqual(Object.keys(KNOWN_WRITERS).sort());
  });

  it('the renderer keeps no capture in browser storage either (only device choices and the language)', () => {
    const sources = filesUnder(join(repoRoot, 'src-renderer')).filter((f) => /\.(ts|svelte|js)$/.test(f));
    const storageUse = sources.filter((file) => /indexedDB|caches\.open|showSaveFilePicker|FileSystemHandle/.test(readFileSync(file, 'utf8')));
    expect(storageUse).toEqual([]);
  });
});
