-- 0007: several kiosks, one central server (src-main/core/central/). Inert until the kiosk is
-- started with a central server: then `central_sync.enabled` is 1 and every punch, void and audit
-- entry this kiosk writes gets an outbox row in the same transaction (the triggers below): a
-- kiosk-generated UUID and the kiosk's next sequence number (AUTOINCREMENT: never reused, even
-- after the newest rows are gone). The sender uploads unsent rows oldest first and sets sent_at
-- only after the server acknowledged the commit. A single kiosk without a server never fills it.
CREATE TABLE central_sync (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  -- This kiosk's id on the server; only its own punches go to the outbox.
  kiosk_id        TEXT,
  -- What the sender last saw: punches captured while offline are marked so.
  online          INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
  offline_since   TEXT,
  -- Gallery watermark: every server row with rev <= this is applied here.
  gallery_rev     INTEGER NOT NULL DEFAULT 0 CHECK (gallery_rev >= 0),
  -- Measured at the last sync: server clock minus kiosk clock.
  clock_offset_ms INTEGER,
  last_sync_at    TEXT
);
INSERT INTO central_sync (id) VALUES (1);

CREATE TABLE outbox (
  kiosk_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid      TEXT    NOT NULL UNIQUE CHECK (length(uuid) = 36),
  kind      TEXT    NOT NULL CHECK (kind IN ('punch', 'void', 'audit')),
  -- attendance_events.id, attendance_voids.event_id or audit_log.id.
  ref_id    INTEGER NOT NULL,
  offline   INTEGER NOT NULL CHECK (offline IN (0, 1)),
  sent_at   TEXT
);
CREATE INDEX outbox_unsent ON outbox (kiosk_seq) WHERE sent_at IS NULL;

-- A random (version 4) UUID, written out in each trigger: SQLite has no function for it.
CREATE TRIGGER outbox_punch AFTER INSERT ON attendance_events
  WHEN (SELECT enabled FROM central_sync WHERE id = 1) = 1 AND NEW.kiosk_id = (SELECT kiosk_id FROM central_sync WHERE id = 1)
BEGIN
  INSERT INTO outbox (uuid, kind, ref_id, offline) VALUES (
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    'punch', NEW.id, 1 - (SELECT online FROM central_sync WHERE id = 1));
END;
CREATE TRIGGER outbox_void AFTER INSERT ON attendance_voids
  WHEN (SELECT enabled FROM central_sync WHERE id = 1) = 1
   AND EXISTS (SELECT 1 FROM outbox WHERE kind = 'punch' AND ref_id = NEW.event_id)
BEGIN
  INSERT INTO outbox (uuid, kind, ref_id, offline) VALUES (
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    'void', NEW.event_id, 1 - (SELECT online FROM central_sync WHERE id = 1));
END;
CREATE TRIGGER outbox_audit AFTER INSERT ON audit_log
  WHEN (SELECT enabled FROM central_sync WHERE id = 1) = 1
BEGIN
  INSERT INTO outbox (uuid, kind, ref_id, offline) VALUES (
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    'audit', NEW.id, 1 - (SELECT online FROM central_sync WHERE id = 1));
END;
