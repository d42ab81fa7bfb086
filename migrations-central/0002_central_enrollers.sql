-- 0002: enrollment stations. A kiosk added with `server add-kiosk --enroll` is also a member of
-- this group role: it may create and change staff, add sealed templates and tombstone them (the
-- gallery tables, through the gallery_stamp trigger and its advisory lock), besides what every
-- kiosk may do. Other kiosks stay read-the-gallery, insert-their-punches only.
DO $$
DECLARE
  grp text := current_database() || '_enrollers';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grp) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', grp);
  END IF;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON employees, templates, settings TO %I', grp);
  EXECUTE format('GRANT USAGE ON SEQUENCE gallery_rev TO %I', grp);
END $$;
