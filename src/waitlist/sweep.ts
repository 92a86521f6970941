import { Temporal } from 'temporal-polyfill';
import { formatInstant, localDateOf } from '../schedule/zone-offsets.js';
import { localSlot, wants } from './matching.js';
import type { OfferDeps, OfferEngine } from './offers.js';
import * as offersStore from './offers.store.js';
import * as store from './waitlist.store.js';

const DAY = 86_400_000;

/**
 * Offers the doctor's free slots (local dates [from, to], default: what anyone waits for) that a waiting
 * entry wants, in time order, until no one is left to offer to. Returns how many offers it made.
 */
export async function offerOpenSlots(
  deps: OfferDeps,
  engine: OfferEngine,
  doctorId: string,
  range?: { from: string; to: string },
): Promise<number> {
  let waiting = await store.candidates(deps.sql, doctorId);
  if (waiting.length === 0) return 0;
  const doctor = await deps.schedule.scheduleOf(doctorId);
  const now = Date.now();
  const tz = doctor.timezone;
  const earliest = [localDateOf(now, tz), range?.from ?? min(waiting.map((w) => w.fromDate))];
  const latest = [
    localDateOf(now + doctor.horizonDays * DAY, tz),
    range?.to ?? max(waiting.map((w) => w.toDate)),
  ];
  const last = min(latest);
  let offered = 0;
  for (let day = Temporal.PlainDate.from(max(earliest)); day.toString() <= last; day = day.add({ days: 1 })) {
    const { slots } = await deps.schedule.daySlots(doctorId, day.toString());
    for (const s of slots) {
      if (s.status !== 'free' || s.start < now + doctor.minNoticeMinutes * 60_000) continue;
      const local = localSlot(formatInstant(s.start, tz), formatInstant(s.end, tz));
      if (!waiting.some((w) => wants(w, local))) continue;
      const offer = await engine.offerSlot(doctorId, s.start);
      if (!offer) continue;
      offered++;
      waiting = waiting.filter((w) => w.patientId !== offer.patientId);
      if (waiting.length === 0) return offered;
    }
  }
  return offered;
}

/**
 * A patient's offer ended (declined, lapsed, booked, withdrawn): with no offer in hand they may take
 * another, so every list they still wait on is matched against its free slots again.
 */
export async function offerToPatientAgain(
  deps: OfferDeps,
  engine: OfferEngine,
  patientId: string,
): Promise<void> {
  for (const doctorId of await store.doctorsAwaitedBy(deps.sql, patientId)) {
    await offerOpenSlots(deps, engine, doctorId);
  }
}

/**
 * The repair pass (a repeatable job, like the reminder reconciler): entries past their dates expire;
 * offers whose hold is gone are settled (booked, or lapsed and passed on) though no event said so; and
 * every doctor's free slots that someone waits for are offered — a slot freed while Redis or the worker
 * was away included.
 */
export async function sweepWaitlist(deps: OfferDeps, engine: OfferEngine) {
  const { sql } = deps;
  const expired = (await store.expirePast(sql)).length;
  await store.closeSatisfied(sql);
  let settled = 0;
  for (const offer of await offersStore.openOffers(sql)) {
    if (await deps.holdStore.isLive(offer.holdId)) continue;
    settled++;
    if (await offersStore.bookedBy(sql, offer.doctorId, offer.patientId, offer.slotStart)) {
      await engine.closeOffer(offer, 'accepted');
    } else {
      await engine.slotReleased(offer.doctorId, offer.slotStart.getTime());
    }
    await offerToPatientAgain(deps, engine, offer.patientId);
  }
  let offered = 0;
  for (const { doctorId } of await store.waitingDoctors(sql)) {
    offered += await offerOpenSlots(deps, engine, doctorId);
  }
  return { expired, settled, offered };
}

const min = (xs: string[]) => xs.reduce((a, b) => (b < a ? b : a));
const max = (xs: string[]) => xs.reduce((a, b) => (b > a ? b : a));
