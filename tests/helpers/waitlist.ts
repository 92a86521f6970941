import { expect } from 'vitest';
import type { Hub } from '../../src/hub.js';
import type { WaitlistEntry } from '../../src/web/patient/types.js';
import { client, type TestAccount } from './harness.js';

/** A waitlist entry as the API shows it (the patient page reads the same shape). */
export type Entry = WaitlistEntry;

/** The patient joins the doctor's waitlist for local dates [from, to], which must succeed (201). */
export async function joinWaitlist(
  hub: { url: string },
  patient: TestAccount,
  doctorId: string,
  from: string,
  to = from,
  times?: { start: string; end: string },
): Promise<Entry> {
  const res = await client(hub).post<Entry>('/v1/waitlist', { doctorId, from, to, times }, patient.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The patient's own entries. */
export async function entriesOf(hub: { url: string }, patient: TestAccount): Promise<Entry[]> {
  const res = await client(hub).get<{ items: Entry[] }>('/v1/waitlist', patient.token);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Every open offer, straight from Postgres: (doctor, start, patient). */
export async function openOffers(hub: Hub) {
  return hub.sql<{ id: string; doctorId: string; slotStart: Date; patientId: string; entryId: string }[]>`
    select id, doctor_id, slot_start, patient_id, entry_id from waitlist_offers where status = 'offered'`;
}

/** Pairs of active appointments of one doctor that overlap: must always be empty. */
export async function doubleBookings(hub: Hub) {
  return hub.sql`
    select a.id, b.id as other from appointments a join appointments b
      on a.doctor_id = b.doctor_id and a.id < b.id and a.during && b.during
    where a.status in ('booked', 'checked_in', 'in_consultation')
      and b.status in ('booked', 'checked_in', 'in_consultation')`;
}
