import { addDays, dayTime } from '../shared/clinic-time.js';
import type { Slot, SlotStatus } from '../shared/types.js';

/** Pure helpers of the slot board: the days of a week, slot events applied to cells, names of cells. */

/** The seven dates from `from`. */
export const weekOf = (from: string) => Array.from({ length: 7 }, (_, i) => addDays(from, i));

/** Slots by clinic-local date: an instant with the clinic's offset starts with that date. */
export function byDay(slots: readonly Slot[]): Map<string, Slot[]> {
  const days = new Map<string, Slot[]>();
  for (const s of slots) {
    const date = s.start.slice(0, 10);
    const list = days.get(date);
    if (list) list.push(s);
    else days.set(date, [s]);
  }
  return days;
}

/** Two instants, whatever offset each is written in (events say Z, the board the clinic's offset). */
export const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

export type SlotEventType = 'slot.held' | 'slot.released' | 'slot.booked' | 'slot.freed';

const AFTER: Record<SlotEventType, SlotStatus> = {
  'slot.held': 'held',
  'slot.released': 'free',
  'slot.booked': 'booked',
  'slot.freed': 'free',
};

/**
 * The board after one slot event: the cell it names takes the new status. A hold of one's own keeps its
 * holdId while it stays held (the event does not say whose hold it is).
 */
export function applySlotEvent(slots: readonly Slot[], type: SlotEventType, start: string): Slot[] {
  const at = Date.parse(start);
  const status = AFTER[type];
  return slots.map((s) => {
    if (Date.parse(s.start) !== at) return s;
    if (status === 'held') return { ...s, status };
    const { holdId: _gone, ...rest } = s;
    return { ...rest, status };
  });
}

/** What a cell is, in words: "your hold", "your booking", or its status (shown, and in its name). */
export function statusWord(slot: Slot, mineBooked: boolean): string {
  if (slot.holdId) return 'your hold';
  if (slot.status === 'booked' && mineBooked) return 'your booking';
  return slot.status;
}

/** The accessible name of a cell: "Tue 9 Dec 09:30, free". */
export const slotName = (slot: Slot, mineBooked = false) =>
  `${dayTime(slot.start)}, ${statusWord(slot, mineBooked)}`;
