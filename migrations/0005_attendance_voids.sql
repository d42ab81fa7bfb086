-- 0005: a punch the person at the kiosk said was not theirs ("Not you?"). The event itself stays
-- (attendance is append-only); this row marks it void, so timesheets and the in/out toggle skip
-- it, while the data export and the audit log keep the whole story.
CREATE TABLE attendance_voids (
  event_id  INTEGER PRIMARY KEY REFERENCES attendance_events (id),
  reason    TEXT    NOT NULL CHECK (reason IN ('not_me')),
  voided_at TEXT    NOT NULL
);
