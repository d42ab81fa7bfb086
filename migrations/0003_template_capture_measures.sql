-- 0003: the template's `quality` column meant the detector's score for a face and the seconds of
-- speech for a voice. Each measure gets its own column, named for what it is, and the rows keep
-- their values; template-repository.ts requires the one that fits the row's modality.
ALTER TABLE biometric_templates ADD COLUMN detection_score REAL CHECK (detection_score IS NULL OR detection_score BETWEEN 0 AND 1);
ALTER TABLE biometric_templates ADD COLUMN speech_seconds REAL CHECK (speech_seconds IS NULL OR speech_seconds >= 0);
UPDATE biometric_templates SET detection_score = min(max(quality, 0), 1) WHERE modality = 'face';
UPDATE biometric_templates SET speech_seconds = max(quality, 0) WHERE modality = 'voice';
ALTER TABLE biometric_templates DROP COLUMN quality;
