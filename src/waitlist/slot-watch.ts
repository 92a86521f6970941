import type { EventData, LiveEvent } from '../events/event-types.js';
import type { OfferDeps, OfferEngine } from './offers.js';
import * as offersStore from './offers.store.js';
import { offerOpenSlots, offerToPatientAgain } from './sweep.js';
import * as store from './waitlist.store.js';

/**
 * The waitlist hears of freed slots from the same live events clients get, in whichever process
 * publishes them: cancellations and reschedules (slot.freed, from the outbox relay, which hands each
 * event to one process), holds released or lapsed (slot.released, where the release or the expiry job
 * ran) and schedule changes (availability.changed). Bookings settle offers and entries. A reaction lost
 * with a crash is repaired by the sweep.
 */
export function watchSlots(deps: OfferDeps, engine: OfferEngine) {
  const running = new Set<Promise<unknown>>();
  const stop = deps.publisher.onEvent((event) => {
    const work = react(deps, engine, event);
    if (!work) return;
    const tracked: Promise<unknown> = work
      .catch((err: unknown) =>
        deps.logger.error({ err, type: event.type }, 'waitlist reaction failed; the sweep repairs it'),
      )
      .finally(() => running.delete(tracked));
    running.add(tracked);
  });
  return {
    stop,
    /** Resolves when no reaction is running (one may start another: waits for those too). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
export type SlotWatch = ReturnType<typeof watchSlots>;

function react(deps: OfferDeps, engine: OfferEngine, event: LiveEvent): Promise<unknown> | undefined {
  switch (event.type) {
    case 'slot.freed':
      return engine.offerSlot(event.data.doctorId, Date.parse(event.data.start));
    case 'slot.released':
      return engine.slotReleased(event.data.doctorId, Date.parse(event.data.start)).then((settled) => {
        if (settled) return offerToPatientAgain(deps, engine, settled.patientId);
      });
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
  if (!(await offersStore.bookingMatters(sql, a.patientId, a.doctorId, Date.parse(a.start)))) return;
  const offer = await offersStore.openOfferOnSlot(sql, a.doctorId, Date.parse(a.start));
  if (offer?.patientId === a.patientId) await engine.closeOffer(offer, 'accepted');
  else if (offer) await engine.withdraw(offer, 'withdrawn');
  // The instant is rendered in the clinic's zone: its first ten characters are the local date.
  const covering = await store.openEntriesCovering(sql, a.patientId, a.doctorId, a.start.slice(0, 10));
  if (covering.length === 0) return;
  for (const entry of covering) await store.setEntryStatus(sql, entry.id, ['waiting', 'offered'], 'booked');
  for (const other of await offersStore.openOffersOfEntries(
    sql,
    covering.map((e) => e.id),
  )) {
    await engine.withdraw(other, 'withdrawn');
  }
}
