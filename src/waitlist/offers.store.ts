import type { Db } from '../infra/postgres.js';
import type { EntryStatus, OfferStatus } from './waitlist.schemas.js';
import { ENTRY, type EntryRow } from './waitlist.store.js';

/** The waitlist's offers in SQL (migrations/0040): choosing the next in line, and the offers' lives. */

export interface OfferRow {
  id: string;
  entryId: string;
  patientId: string;
  doctorId: string;
  slotStart: Date;
  slotEnd: Date;
  holdId: string;
  status: OfferStatus;
  offeredAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
}

/**
 * Serializes offers of one doctor's slots across every hub process (held until the transaction ends).
 * Async, so calling it queues the statement at once: a statement called after it runs after it.
 */
export async function lockDoctorLine(db: Db, doctorId: string): Promise<void> {
  await db`select pg_advisory_xact_lock(hashtext('waitlist-doctor'), hashtext(${doctorId}))`;
}

/**
 * The offer's COMMIT does not wait for its WAL flush (one fsync, 10–30 ms on a busy disk, the larger
 * part of an offer's latency). Atomicity holds; a database crash may forget an offer of its last few
 * hundred ms, which leaves the patient's hold in Redis (bookable with its holdId) and the entry
 * waiting, and the sweep offers the slot again once the hold ends. Nothing else commits this way.
 */
export async function commitWithoutFlush(db: Db): Promise<void> {
  await db`set local synchronous_commit = off`;
}

/**
 * The longest-waiting entry a slot may go to: waiting, for this doctor, the slot inside its dates and
 * time window (local to the clinic), never offered this very slot before, its patient holding no other
 * offer and free at that time. None while the slot is booked or already on offer. With the clinic's
 * zone, for the notice. One statement, so it can ride in the same write as the lock before it.
 */
export async function nextInLine(
  db: Db,
  s: { doctorId: string; start: number; end: number },
): Promise<EntryRow | undefined> {
  const [start, end] = [new Date(s.start), new Date(s.end)];
  const [row] = await db<EntryRow[]>`
    with s as (
      select (${start}::timestamptz at time zone c.timezone) as ls,
             (${end}::timestamptz at time zone c.timezone) as le
      from doctors d join clinics c on c.id = d.clinic_id where d.id = ${s.doctorId})
    select ${ENTRY(db)} from waitlist_entries e, s
    where e.doctor_id = ${s.doctorId} and e.status = 'waiting'
      and not exists (select 1 from waitlist_offers o
        where o.doctor_id = ${s.doctorId} and o.slot_start = ${start} and o.status = 'offered')
      and not exists (select 1 from appointments a where a.doctor_id = ${s.doctorId}
        and a.status in ('booked', 'checked_in', 'in_consultation') and a.during && tstzrange(${start}, ${end}))
      and e.from_date <= s.ls::date and e.to_date >= s.ls::date
      and (e.time_start is null
           or (e.time_start <= s.ls::time and (e.time_end >= s.le::time or s.le::date > s.ls::date)))
      and not exists (select 1 from waitlist_offers o where o.entry_id = e.id and o.slot_start = ${start})
      and not exists (select 1 from waitlist_offers o where o.patient_id = e.patient_id and o.status = 'offered')
      and not exists (select 1 from appointments a where a.patient_id = e.patient_id
        and a.status in ('booked', 'checked_in', 'in_consultation') and a.during && tstzrange(${start}, ${end}))
    order by e.seq limit 1`;
  return row;
}

/** True when the patient has an active appointment with the doctor starting at `start`. */
export async function bookedBy(db: Db, doctorId: string, patientId: string, start: Date): Promise<boolean> {
  const [row] = await db<{ yes: boolean }[]>`
    select exists (select 1 from appointments where doctor_id = ${doctorId} and patient_id = ${patientId}
      and status in ('booked', 'checked_in', 'in_consultation') and lower(during) = ${start}) as yes`;
  return row!.yes;
}

export function insertOffer(
  db: Db,
  o: {
    id: string;
    entryId: string;
    patientId: string;
    doctorId: string;
    start: number;
    end: number;
    holdId: string;
    expiresAt: number;
  },
) {
  return db`
    insert into waitlist_offers (id, entry_id, patient_id, doctor_id, slot_start, slot_end, hold_id, expires_at)
    values (${o.id}, ${o.entryId}, ${o.patientId}, ${o.doctorId}, ${new Date(o.start)}, ${new Date(o.end)},
            ${o.holdId}, ${new Date(o.expiresAt)})`;
}

export async function openOfferOnSlot(
  db: Db,
  doctorId: string,
  start: number,
): Promise<OfferRow | undefined> {
  const [row] = await db<OfferRow[]>`
    select * from waitlist_offers where doctor_id = ${doctorId} and slot_start = ${new Date(start)} and status = 'offered'`;
  return row;
}

export async function openOffersOfEntries(db: Db, entryIds: readonly string[]): Promise<OfferRow[]> {
  if (entryIds.length === 0) return [];
  return db<OfferRow[]>`
    select * from waitlist_offers where entry_id = any(${entryIds as string[]}) and status = 'offered'`;
}

export async function openOffers(db: Db): Promise<OfferRow[]> {
  return db<
    OfferRow[]
  >`select * from waitlist_offers where status = 'offered' order by offered_at limit 1000`;
}

/** Ends an open offer; undefined when it had ended already (only one closer wins). */
export async function closeOffer(
  db: Db,
  id: string,
  status: Exclude<OfferStatus, 'offered'>,
): Promise<OfferRow | undefined> {
  const [row] = await db<OfferRow[]>`
    update waitlist_offers set status = ${status}, closed_at = now()
    where id = ${id} and status = 'offered' returning *`;
  return row;
}

export async function offerHistory(
  db: Db,
  f: { doctorId?: string | undefined; limit: number },
): Promise<(OfferRow & { joinedAt: Date })[]> {
  return db<(OfferRow & { joinedAt: Date })[]>`
    select o.*, e.created_at as joined_at from waitlist_offers o join waitlist_entries e on e.id = o.entry_id
    ${f.doctorId ? db`where o.doctor_id = ${f.doctorId}` : db``}
    order by o.offered_at desc limit ${f.limit}`;
}

/** True when a booking can matter to the waitlist: its patient has open entries, or its slot was on offer. */
export async function bookingMatters(
  db: Db,
  patientId: string,
  doctorId: string,
  start: number,
): Promise<boolean> {
  const [row] = await db<{ yes: boolean }[]>`
    select exists (select 1 from waitlist_entries where patient_id = ${patientId} and status in ('waiting', 'offered'))
        or exists (select 1 from waitlist_offers
                   where doctor_id = ${doctorId} and slot_start = ${new Date(start)} and status = 'offered') as yes`;
  return row!.yes;
}
