import type { Interval, Slot } from '../schedule/slot-generation.js';

const MINUTE = 60_000;

/**
 * Where a walk-in goes today (pure): the doctor's next free slot that is not over yet (one that began
 * a little while ago still serves, as the patient is here now), else right after the last appointment of
 * the day (or now, if that is later), for one slot length.
 */
export function walkInGap(
  day: { slots: readonly Slot[]; booked: readonly Interval[] },
  now: number,
  slotMinutes: number,
): Interval {
  const free = day.slots.find(
    (s) => s.status === 'free' && s.end - now >= Math.min(10, slotMinutes / 2) * MINUTE,
  );
  if (free) return { start: free.start, end: free.end };
  const lastEnd = day.booked.reduce((latest, b) => Math.max(latest, b.end), 0);
  const start = Math.max(now, lastEnd);
  return { start, end: start + slotMinutes * MINUTE };
}
