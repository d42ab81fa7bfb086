-- 0002: raw enrollment captures, kept only while an admin has turned the storeRawCaptures
-- setting on (off by default). Only src-main/core/privacy/raw-capture-repository.ts reads or
-- writes this table. `sealed` is the AES-256-GCM sealed photo or PCM, under the template key;
-- the seal's AAD names the employee, kind and media type, so a blob moved to another row fails.
CREATE TABLE raw_captures (
  id          INTEGER PRIMARY KEY,
  employee_id INTEGER NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('face-image', 'voice-pcm')),
  media_type  TEXT    NOT NULL CHECK (length(media_type) BETWEEN 1 AND 100),
  bytes       INTEGER NOT NULL CHECK (bytes > 0),
  sealed      BLOB    NOT NULL,
  created_at  TEXT    NOT NULL
);
-- Erasure and export of one employee.
CREATE INDEX raw_captures_by_employee ON raw_captures (employee_id);
