/**
 * Revoking a lost kiosk and rotating the gallery key: every live template is re-sealed under a new
 * key version, the new key is wrapped for the kiosks that remain, they take it up at their next
 * pull and keep recognising everyone, and nothing the server holds opens with the old key or the
 * revoked kiosk's key any more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralGalleryWriter } from '../../src-main/core/central/gallery-writer.js';
import { fetchWrappedGalleryKey, newGalleryKey, unwrapGalleryKey } from '../../src-main/core/central/gallery-key.js';
import { rotateGalleryKey } from '../../src-main/core/central/key-rotation.js';
import { revokeKiosk } from '../../src-main/core/central/server-admin.js';
import { Aes256GcmCipher } from '../../src-main/core/store/template-cipher.js';
import { templateAad } from '../../src-main/core/store/template-repository.js';
import { hasPostgres, postgresSkipReason } from '../helpers/pg-cluster.js';
import { FACE_MODEL } from '../services/fake-engines.js';
import { openCentralKiosk, startServer, type CentralKiosk, type TestServer } from './central-fixture.js';

const d = hasPostgres ? describe : describe.skip;
if (!hasPostgres) console.warn(`[central] ${postgresSkipReason}`);

const JUN = [0.4, 0.4, 0.8, 0.1];
const face = (vector: readonly number[]) => ({ modality: 'face' as const, model: FACE_MODEL, vector: Float32Array.from(vector), capture: { detectionScore: 0.99 } });

d('gallery key rotation after revoking a kiosk', () => {
  let server: TestServer;
  let kept: CentralKiosk;
  let lost: CentralKiosk;
  beforeAll(async () => {
    server = await startServer();
    kept = await openCentralKiosk(server, 'kept', { enroll: true });
    lost = await openCentralKiosk(server, 'lost');
  }, 120_000);
  afterAll(async () => {
    await kept?.close();
    await lost?.close();
    await server?.close();
  });

  it('re-seals every template under version 2, wraps it for the remaining kiosks only, and they keep recognising', async () => {
    const writer = new CentralGalleryWriter(server.admin, new Aes256GcmCipher(server.galleryKey), 1);
    const jun = await writer.createEmployee({ code: 'J1', name: 'Jun' });
    await writer.addTemplates(jun, [face(JUN)]);
    await Promise.all([kept.sync.syncNow(), lost.sync.syncNow()]);
    expect(await kept.clocking.clockFace([kept.face.face(JUN)])).toMatchObject({ outcome: 'recorded' });

    const newKey = newGalleryKey();
    const admin = await server.admin.connect();
    try {
      await revokeKiosk(admin, 'lost');
      // Only the kiosk that remains has its key here; the revoked one gets no copy either way.
      const report = await rotateGalleryKey(admin, { oldKey: server.galleryKey, newKey, kioskKeys: new Map([['kept', kept.kioskKey], ['lost', lost.kioskKey]]) });
      expect(report).toEqual({ version: 2, templates: 1, wrappedFor: ['kept'], missingKeys: [] });
      // A second rotation from the old key is refused: it is no longer the newest.
      await expect(rotateGalleryKey(admin, { oldKey: server.galleryKey, newKey: newGalleryKey(), kioskKeys: new Map() })).rejects.toMatchObject({ code: 'KEY_INVALID' });
      const row = (await admin.query<{ sealed: Buffer; key_version: number }>('SELECT sealed, key_version FROM templates WHERE employee_id = $1', [jun])).rows[0]!;
      expect(row.key_version).toBe(2);
      const aad = templateAad(jun, 'face', FACE_MODEL.id, FACE_MODEL.sha256);
      expect(() => new Aes256GcmCipher(server.galleryKey).open(row.sealed, aad)).toThrow(expect.objectContaining({ code: 'TEMPLATE_TAMPERED' }));
      expect(Buffer.from(new Aes256GcmCipher(newKey).open(row.sealed, aad))).toEqual(Buffer.from(Float32Array.from(JUN).buffer));
      // The kept kiosk's new copy opens with its key; nothing is wrapped for the lost one.
      expect(unwrapGalleryKey(kept.kioskKey, await fetchWrappedGalleryKey(admin, 'kept')).equals(newKey)).toBe(true);
      expect(await server.count("SELECT count(*) AS n FROM gallery_keys WHERE kiosk_id = 'lost'")).toBe(0);
    } finally {
      admin.release();
    }

    await kept.sync.syncNow();
    expect(kept.cipher.version).toBe(2);
    expect(await kept.clocking.clockFace([kept.face.face(JUN)])).toMatchObject({ outcome: 'debounced' });
    // New enrollments on the kept station are sealed under version 2.
    const { id } = await kept.enrollment.create('admin', { code: 'K2', name: 'Kim' });
    kept.enrollment.recordConsent('admin', id, 'v1');
    await kept.enrollment.enrollFace('admin', id, kept.face.face([0.9, 0.2, 0.2, 0.9]), 'front');
    expect(await server.count('SELECT min(key_version) AS n FROM templates WHERE employee_id = $1', [id])).toBe(2);
    // The revoked kiosk cannot connect any more.
    await expect(lost.sync.syncNow()).rejects.toMatchObject({ code: 'CENTRAL_REFUSED' });
    expect(lost.sync.status().state).toBe('refused');
  });
});
