/**
 * The pages' sounds, through Web Audio: a booking or a cancellation on the doctor's page, a ticket called
 * in on the waiting-room board. Browsers let a page play sound only after someone has interacted with
 * it, so the page's one AudioContext is created or resumed on the first click or key press (and resumed
 * again before playing, in case it was created before that).
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

/**
 * Plays the notes (Hz) one after another, each `seconds` long and fading out from `volume`; silent where
 * sound is not allowed.
 */
export function playNotes(notes: readonly number[], { seconds = 0.14, volume = 0.18 } = {}): void {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  try {
    let at = ctx.currentTime;
    for (const frequency of notes) {
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(volume, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
      tone.connect(gain).connect(ctx.destination);
      tone.start(at);
      tone.stop(at + seconds);
      at += seconds;
    }
  } catch {
    // Audio refused (no device, autoplay policy): the page still shows what happened.
  }
}

/** Rising: something was booked. */
export const bookedSound = () => playNotes([660, 880]);
/** Falling: something was cancelled. */
export const cancelledSound = () => playNotes([660, 440]);
/** One long chime: the waiting room's board calls a ticket in. */
export const calledSound = () => playNotes([880], { seconds: 0.8, volume: 0.2 });
