-- 0005: voids ("Not you?") of other kiosks' recent punches, so a kiosk that pulled a punch
-- (kiosk_recent_punches) also learns it was cancelled and stops counting it in its in/out and
-- debounce. Security definer, as 0004.
CREATE FUNCTION kiosk_recent_voids(p_kiosk text, p_after_id bigint, p_since timestamptz)
  RETURNS TABLE (id bigint, kiosk_id text, employee_id bigint, captured_at timestamptz, reason text, voided_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT v.id, a.kiosk_id, a.employee_id, a.captured_at, v.reason, v.voided_at
  FROM attendance_voids v JOIN attendance a ON a.event_uuid = v.voided_uuid
  WHERE kiosk_may_act(p_kiosk) AND a.kiosk_id <> p_kiosk AND v.id > p_after_id AND a.captured_at >= p_since
  ORDER BY v.id
  LIMIT 1000
$$;
REVOKE ALL ON FUNCTION kiosk_recent_voids(text, bigint, timestamptz) FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION kiosk_recent_voids(text, bigint, timestamptz) TO %I', current_database() || '_kiosks');
END $$;
