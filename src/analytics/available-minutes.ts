import { generateSlots, type Interval, type WeeklyRule } from '../schedule/slot-generation.js';

/**
 * The minutes a doctor offered over local dates [from, to]: the schedule's own slot expansion of the
 * weekly rules (so DST days are as long as the slot board says) with time off taken out, buffers not
 * counted. Bookings do not matter here: a booked slot was available.
 */
export function availableMinutes(input: {
  rules: readonly WeeklyRule[];
  timeZone: string;
  from: string;
  to: string;
  bufferMinutes: number;
  timeOff: readonly Interval[];
}): number {
  const slots = generateSlots({
    rules: input.rules,
    timeZone: input.timeZone,
    from: input.from,
    to: input.to,
    bufferMinutes: input.bufferMinutes,
    timeOff: input.timeOff,
  });
  return slots.reduce((n, s) => n + (s.end - s.start) / 60_000, 0);
}
