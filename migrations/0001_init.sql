-- 0001: the kiosk's initial schema.
-- Applied inside one transaction by src-main/core/store/migrations.ts, with foreign keys ON.
-- Times are ISO-8601 UTC text with milliseconds ('2024-05-01T08:00:00.000Z'): the fixed
-- format makes text order equal time order, which the range indexes rely on.

CREATE TABLE employees (
  id             INTEGER PRIMARY KEY,
  code           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 64),
  name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  department     TEXT    NOT NULL DEFAULT '' CHECK (length(department) <= 200),
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- PIN fallback for clock-in; an scrypt hash string produced by the security module, never the PIN.
  pin_hash       TEXT,
  created_at     TEXT    NOT NULL,
  deactivated_at TEXT,
  CHECK ((active = 1) = (deactivated_at IS NULL))
);
-- Retention sweeps look for employees deactivated before a cutoff.
CREATE INDEX employees_deactivated ON employees (deactivated_at) WHERE deactivated_at IS NOT NULL;

-- Consent must exist before any biometric capture; withdrawal keeps the record (proof of history).
CREATE TABLE consents (
  id           INTEGER PRIMARY KEY,
  employee_id  INTEGER NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  text_version TEXT    NOT NULL CHECK (length(text_version) BETWEEN 1 AND 64),
  consented_at TEXT    NOT NULL,
  withdrawn_at TEXT
);
CREATE INDEX consents_by_employee ON consents (employee_id, consented_at);

-- Only src-main/core/store/template-repository.ts reads or writes this table.
-- `vector` is the sealed (AES-256-GCM) little-endian float32 embedding; `dim` its length.
CREATE TABLE biometric_templates (
  id           INTEGER PRIMARY KEY,
  employee_id  INTEGER NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  modality     TEXT    NOT NULL CHECK (modality IN ('face', 'voice')),
  model_id     TEXT    NOT NULL CHECK (length(model_id) BETWEEN 1 AND 128),
  model_sha256 TEXT    NOT NULL CHECK (length(model_sha256) = 64),
  vector       BLOB    NOT NULL,
  dim          INTEGER NOT NULL CHECK (dim > 0),
  quality      REAL    NOT NULL,
  created_at   TEXT    NOT NULL
);
-- Gallery load: every template of one modality and model version.
CREATE INDEX biometric_templates_by_model ON biometric_templates (modality, model_id, model_sha256);
-- Erase / re-enroll of one employee.
CREATE INDEX biometric_templates_by_employee ON biometric_templates (employee_id);

-- History outlives biometric erasure, so employees referenced here cannot be deleted (no CASCADE).
CREATE TABLE attendance_events (
  id          INTEGER PRIMARY KEY,
  employee_id INTEGER NOT NULL REFERENCES employees (id),
  direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  modality    TEXT    NOT NULL CHECK (modality IN ('face', 'voice', 'pin')),
  score       REAL,
  model_id    TEXT,
  kiosk_id    TEXT    NOT NULL CHECK (length(kiosk_id) BETWEEN 1 AND 64),
  occurred_at TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  -- A biometric punch always says which model and how sure; a PIN punch has neither.
  CHECK ((modality = 'pin') = (score IS NULL AND model_id IS NULL))
);
-- Timesheet of one employee, and "last event" for the in/out toggle.
CREATE INDEX attendance_by_employee_time ON attendance_events (employee_id, occurred_at);
-- Reports over everybody for a day or week.
CREATE INDEX attendance_by_time ON attendance_events (occurred_at);

-- Append-only, hash-chained: hash = sha256(prev_hash || canonical JSON of the row).
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
  action    TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 128),
  subject   TEXT,
  details   TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE INDEX audit_log_by_at ON audit_log (at);
-- Guards against accidental edits by the application; deliberate edits of the file are what the
-- hash chain detects.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
