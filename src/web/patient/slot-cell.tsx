import { clock } from '../shared/clinic-time.js';
import type { Slot } from '../shared/types.js';
import { slotName, statusWord } from './board.js';

/**
 * One time of the week: a button named "Tue 9 Dec 09:30, free". Held and booked ones stay focusable
 * (aria-disabled) so pressing them says why they cannot be taken.
 */
export function SlotCell(props: {
  slot: Slot;
  mineBooked: boolean;
  onChoose: (slot: Slot, mineBooked: boolean) => void;
}) {
  const { slot, mineBooked } = props;
  const word = statusWord(slot, mineBooked);
  const kind = slot.holdId
    ? 'held mine'
    : mineBooked && slot.status === 'booked'
      ? 'booked mine'
      : slot.status;
  return (
    <button
      type="button"
      class={`slot ${kind}`}
      aria-label={slotName(slot, mineBooked)}
      aria-disabled={slot.status !== 'free' && !slot.holdId ? 'true' : undefined}
      onClick={() => props.onChoose(slot, mineBooked)}
    >
      <span class="time">{clock(slot.start)}</span>
      {word !== 'free' && <span class="state"> {word}</span>}
    </button>
  );
}
