/**
 * Short sounds for things that arrive while nobody is looking (a booking, a cancellation), through Web
 * Audio as the waiting-room board's chime. Browsers let a page play sound only after the person has
 * interacted with it, so one AudioContext is created or resumed on the first click or key press.
 */

let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  try {
    context ??= new AudioContext();
    return context;
  } catch {
    return undefined; // no Web Audio here
  }
}

/** Call once when the page starts: the first click or key press unlocks sound for the tab. */
export function unlockAudioOnInteraction(): void {
  const unlock = () => {
    void audio()
      ?.resume()
      .catch(() => {});
  };
  addEventListener('pointerdown', unlock, { capture: true });
  addEventListener('keydown', unlock, { capture: true });
}

/** Plays the notes (Hz) one after another, each `seconds` long; silent where sound is not allowed. */
export function playNotes(notes: readonly number[], seconds = 0.14): void {
  const ctx = audio();
  if (!ctx) return;
  try {
    let at = ctx.currentTime;
    for (const frequency of notes) {
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.18, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
      tone.connect(gain).connect(ctx.destination);
      tone.start(at);
      tone.stop(at + seconds);
      at += seconds;
    }
  } catch {
    // Audio refused (no device, autoplay policy): the toast still says it.
  }
}

/** Rising: something was booked. */
export const bookedSound = () => playNotes([660, 880]);
/** Falling: something was cancelled. */
export const cancelledSound = () => playNotes([660, 440]);
