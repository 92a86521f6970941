import { message } from '../events/event-types.js';
import type { Publisher } from '../events/publisher.js';
import { rooms } from '../events/rooms.js';
import type { Hold } from './holds.store.js';

/** Hold events are not in Postgres: they go straight to the publisher (docs/architecture.md, "A hold"). */
const iso = (ms: number) => new Date(ms).toISOString();

export function publishSlotHeld(publisher: Publisher, hold: Hold): void {
  const m = message(rooms.slots(hold.doctorId), 'slot.held', {
    doctorId: hold.doctorId,
    start: iso(hold.start),
    end: iso(hold.end),
    expiresAt: iso(hold.expiresAt),
  });
  publisher.publish({
    id: null,
    type: m.type,
    room: m.room,
    occurredAt: new Date().toISOString(),
    data: m.data,
  });
}

export function publishSlotReleased(
  publisher: Publisher,
  hold: Pick<Hold, 'doctorId' | 'start' | 'end'>,
): void {
  const m = message(rooms.slots(hold.doctorId), 'slot.released', {
    doctorId: hold.doctorId,
    start: iso(hold.start),
    end: iso(hold.end),
  });
  publisher.publish({
    id: null,
    type: m.type,
    room: m.room,
    occurredAt: new Date().toISOString(),
    data: m.data,
  });
}
