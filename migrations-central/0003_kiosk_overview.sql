-- 0003: what an admin screen on any kiosk may see of every kiosk: last seen, clock offset, outbox
-- depth, punches (and how many were flagged for the clock) and lost sequence numbers. A security
-- definer function, so kiosk roles see these figures without reading the tables behind them.
CREATE FUNCTION kiosk_overview()
  RETURNS TABLE (kiosk_id text, revoked boolean, last_seen timestamptz, clock_offset_ms bigint, outbox_depth integer,
                 last_seq bigint, punches bigint, flagged bigint, lost text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT k.kiosk_id, k.revoked_at IS NOT NULL, k.last_seen, k.clock_offset_ms, k.outbox_depth, k.last_seq,
         (SELECT count(*) FROM attendance a WHERE a.kiosk_id = k.kiosk_id),
         (SELECT count(*) FROM attendance a WHERE a.kiosk_id = k.kiosk_id AND a.offset_flagged),
         (SELECT string_agg(l.first_missing || '-' || l.last_missing, ',' ORDER BY l.first_missing) FROM lost_sequences l WHERE l.kiosk_id = k.kiosk_id)
  FROM kiosks k ORDER BY k.kiosk_id
$$;
REVOKE ALL ON FUNCTION kiosk_overview() FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION kiosk_overview() TO %I', current_database() || '_kiosks');
END $$;
