import type { Outputs } from '../lib/api.js';

export type ClockResult = Outputs['clock.face'];
export type Modality = 'face' | 'voice' | 'pin';

/** What the result card shows after an attempt: the service's decision, or why there was none. */
export type Outcome = { kind: 'clock'; result: ClockResult; modality: Modality } | { kind: 'error'; message: string; modality: Modality };
