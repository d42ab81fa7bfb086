-- 0006: whether a biometric punch came from a search of everyone ('identify', 1:N) or from the
-- employee's code and one comparison ('verify', 1:1): the two have different false-accept
-- arithmetic, so field error rates are re-estimated per mode. Punches before this migration
-- were all searches; NULL for PIN punches.
ALTER TABLE attendance_events ADD COLUMN decision_mode TEXT CHECK (decision_mode IS NULL OR decision_mode IN ('identify', 'verify'));
UPDATE attendance_events SET decision_mode = 'identify' WHERE threshold IS NOT NULL;
