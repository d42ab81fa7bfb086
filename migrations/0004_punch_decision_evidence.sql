-- 0004: every biometric punch keeps the evidence of its decision — the runner-up's score, the
-- threshold in force and how many people the gallery held — so field error rates can be
-- re-estimated later. NULL for PIN punches and for punches recorded before this migration.
ALTER TABLE attendance_events ADD COLUMN second_score REAL;
ALTER TABLE attendance_events ADD COLUMN threshold REAL;
ALTER TABLE attendance_events ADD COLUMN gallery_size INTEGER CHECK (gallery_size IS NULL OR gallery_size >= 0);
