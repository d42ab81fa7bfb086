-- 0008: every face or voice decision the kiosk made, for the admin's numbers (Admin → Attempts):
-- when, which modality, search or verification, the outcome, the best and runner-up scores, the
-- threshold in force and how many people were enrolled. No biometric data: no image, no audio, no
-- embedding. employee_id is set for an accepted decision only: a refusal names nobody (a search's
-- best candidate below the threshold is not who stood there, and a refused verification must not
-- say whether the code it was given exists). Bounded: the writer keeps the newest rows only
-- (RecognitionAttemptRepository, pruned in the insert's transaction).
CREATE TABLE recognition_attempts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  occurred_at  TEXT    NOT NULL,
  modality     TEXT    NOT NULL CHECK (modality IN ('face', 'voice')),
  mode         TEXT    NOT NULL CHECK (mode IN ('identify', 'verify')),
  outcome      TEXT    NOT NULL CHECK (outcome IN ('accepted', 'below_threshold', 'ambiguous', 'not_verified', 'no_enrolled_employees')),
  employee_id  INTEGER REFERENCES employees (id) ON DELETE SET NULL,
  best_score   REAL,
  second_score REAL,
  threshold    REAL,
  gallery_size INTEGER NOT NULL CHECK (gallery_size >= 0),
  kiosk_id     TEXT    NOT NULL,
  CHECK (outcome = 'accepted' OR employee_id IS NULL)
);
