import type { EventData, LiveEvent } from '../events/event-types.js';
import type { ClosedStatus, OfferDeps, OfferEngine } from './offers.js';
import { offerOpenSlots } from './sweep.js';
import * as store from './waitlist.store.js';

/**
 * The waitlist hears of freed slots from the same live events clients get, in whichever process
 * publishes them: cancellations and reschedules (slot.freed, from the outbox relay, which hands each
 * event to one process), holds released or lapsed (slot.released, where the release or the expiry job
 * ran) and schedule changes (availability.changed). Bookings settle offers and entries. A reaction lost
 * with a crash is repaired by the sweep.
 */
export function watchSlots(deps: OfferDeps, engine: OfferEngine): () => void {
  return deps.publisher.onEvent((event) => {
    react(deps, engine, event)?.catch((err: unknown) =>
      deps.logger.error({ err, type: event.type }, 'waitlist reaction failed; the sweep repairs it'),
    );
  });
}

function react(deps: OfferDeps, engine: OfferEngine, event: LiveEvent): Promise<unknown> | undefined {
  switch (event.type) {
    case 'slot.freed':
      return engine.offerSlot(event.data.doctorId, Date.parse(event.data.start));
    case 'slot.released':
      return engine.slotReleased(event.data.doctorId, Date.parse(event.data.start));
    case 'availability.changed':
      return offerOpenSlots(deps, engine, event.data.doctorId);
    case 'appointment.booked':
    case 'appointment.rescheduled':
      // Sent to the doctor's and the patient's rooms: act once.
      return event.room.startsWith('doctor:')
        ? appointmentMade(deps, engine, event.data.appointment)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A patient has an appointment with a doctor: an offer on that very slot was accepted; any other entry
 * of theirs with that doctor covering that day is done (booked), and an offer it held goes back to the line.
 */
async function appointmentMade(
  deps: OfferDeps,
  engine: OfferEngine,
  a: EventData<'appointment.booked'>['appointment'],
): Promise<void> {
  const { sql } = deps;
  const offer = await store.openOfferOnSlot(sql, a.doctorId, Date.parse(a.start));
  if (offer) {
    const status: ClosedStatus = offer.patientId === a.patientId ? 'accepted' : 'withdrawn';
    if (status === 'accepted') await engine.closeOffer(offer, status);
    else await engine.withdraw(offer, status);
  }
  // The instant is rendered in the clinic's zone: its first ten characters are the local date.
  const covering = await store.openEntriesCovering(sql, a.patientId, a.doctorId, a.start.slice(0, 10));
  if (covering.length === 0) return;
  for (const entry of covering) await store.setEntryStatus(sql, entry.id, ['waiting', 'offered'], 'booked');
  for (const other of await store.openOffersOfEntries(
    sql,
    covering.map((e) => e.id),
  )) {
    await engine.withdraw(other, 'withdrawn');
  }
}
