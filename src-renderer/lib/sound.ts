/** Short confirmation tones synthesised with WebAudio, so the kiosk ships no sound files. */
let context: AudioContext | undefined;

function tone(frequencies: readonly number[], noteSeconds: number, volume: number): void {
  try {
    context ??= new AudioContext();
    const ctx = context;
    void ctx.resume();
    let start = ctx.currentTime + 0.01;
    for (const frequency of frequencies) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      // Soft attack and release: no click, calm rather than alarming.
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(volume, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + noteSeconds);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + noteSeconds + 0.02);
      start += noteSeconds * 0.8;
    }
  } catch {
    // No audio output: the result card still says everything.
  }
}

/** A rising two-note chime for a recorded punch. */
export function playSuccess(): void {
  tone([880, 1318.5], 0.18, 0.25);
}

/** A single low note for "not recognised". */
export function playFailure(): void {
  tone([330], 0.3, 0.2);
}
