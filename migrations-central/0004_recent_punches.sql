-- 0004: other kiosks' recent punches, for each kiosk's own in/out decision. A kiosk that knows a
-- person clocked in at door A a moment ago shows 'out' at door B (one shift) and debounces a
-- repeat there, as one kiosk would; the merged log stays the authority. Security definer, so
-- kiosk roles see these rows (no biometric data) without reading the attendance table.
CREATE FUNCTION kiosk_recent_punches(p_kiosk text, p_after_id bigint, p_since timestamptz)
  RETURNS TABLE (id bigint, kiosk_id text, employee_id bigint, kiosk_direction text, modality text, score real, model_id text, captured_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT a.id, a.kiosk_id, a.employee_id, a.kiosk_direction, a.modality, a.score, a.model_id, a.captured_at
  FROM attendance a
  WHERE kiosk_may_act(p_kiosk) AND a.kiosk_id <> p_kiosk AND a.id > p_after_id AND a.captured_at >= p_since
    AND NOT EXISTS (SELECT 1 FROM attendance_voids v WHERE v.voided_uuid = a.event_uuid)
  ORDER BY a.id
  LIMIT 1000
$$;
REVOKE ALL ON FUNCTION kiosk_recent_punches(text, bigint, timestamptz) FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION kiosk_recent_punches(text, bigint, timestamptz) TO %I', current_database() || '_kiosks');
END $$;
