import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events/event-types.js';
import { type Appointment, bookSlot, dateIn } from '../helpers/booking.js';
import { client, createClinic, startTestHub, type TestAccount, type TestHub } from '../helpers/harness.js';
import { doctorWithHours, patients } from '../helpers/scene.js';
import { doubleBookings, joinWaitlist, openOffers } from '../helpers/waitlist.js';

/**
 * Fairness and exclusivity under load: 100 patients wait on a fully booked day, and all 20 of its slots
 * are freed at once through two hub processes on one database. Each slot must go to exactly one patient,
 * the first 20 in join order, no one holding two offers; slots passed on go to the next in line.
 */
describe('the waitlist under load, across two hub processes', () => {
  let a: TestHub;
  let b: TestHub;

  beforeAll(async () => {
    const shared = { JWT_SECRET: randomBytes(32).toString('base64url') };
    a = await startTestHub(shared, { keepDatabase: true });
    b = await startTestHub(shared, { database: a.database });
  });
  afterAll(async () => {
    // `b` drops the shared database when it closes, so it goes last.
    await a.close();
    await b.close();
  });

  /** Offers seen by either hub's publisher (each outbox event is relayed by one of them). */
  function offersSeen() {
    const offered: LiveEvent<'waitlist.offered'>[] = [];
    let wake = () => {};
    const listen = (e: LiveEvent) => {
      if (e.type !== 'waitlist.offered') return;
      offered.push(e);
      wake();
    };
    const stops = [a.services.publisher.onEvent(listen), b.services.publisher.onEvent(listen)];
    return {
      offered,
      /** Resolves once `n` offers have arrived in all, or fails after 20 s. */
      until: (n: number) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`only ${offered.length} of ${n} offers arrived`)),
            20_000,
          );
          wake = () => {
            if (offered.length < n) return;
            clearTimeout(timer);
            resolve();
          };
          wake();
        }),
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  }

  it('offers 20 concurrently freed slots to the first 20 in line, one each, and passes them on fairly', async () => {
    const clinic = await createClinic(a);
    const doctor = await doctorWithHours(a, clinic.id); // 08:00–18:00, 30 minutes: 20 slots a day
    const date = dateIn(4);
    const bookers = await patients(a, 20);
    const waiting = await patients(a, 100);
    const slots = (
      await client(a).get<{ slots: { start: string }[] }>(
        `/v1/doctors/${doctor.id}/slots?from=${date}&to=${date}`,
      )
    ).body.slots;
    expect(slots).toHaveLength(20);
    const booked: Appointment[] = await Promise.all(
      slots.map((s, i) => bookSlot(i % 2 ? a : b, bookers[i]!, doctor.id, s.start)),
    );
    // Join one after another: join order is the order of this list.
    const entries = [];
    for (const [i, p] of waiting.entries())
      entries.push(await joinWaitlist(i % 2 ? a : b, p, doctor.id, date));
    expect(entries.every((e) => e.status === 'waiting')).toBe(true);

    const seen = offersSeen();
    try {
      const cancels = await Promise.all(
        booked.map((ap, i) =>
          client(i % 2 ? a : b).post(`/v1/appointments/${ap.id}/cancel`, {}, bookers[i]!.token),
        ),
      );
      expect(cancels.map((r) => r.status)).toEqual(booked.map(() => 200));
      await seen.until(20);

      const offers = await openOffers(a);
      expect(offers).toHaveLength(20);
      expect(new Set(offers.map((o) => o.slotStart.getTime())).size).toBe(20);
      expect(new Set(offers.map((o) => o.patientId)).size).toBe(20);
      const first20 = waiting
        .slice(0, 20)
        .map((p) => p.id)
        .sort();
      expect(offers.map((o) => o.patientId).sort()).toEqual(first20);
      // Offers were decided in join order, one after another.
      const decided = await a.sql<{ seq: string }[]>`
        select e.seq from waitlist_offers o join waitlist_entries e on e.id = o.entry_id order by o.offered_at`;
      const seqs = decided.map((r) => Number(r.seq));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      // Exactly one offer per slot was ever made (none made and undone).
      expect((await a.sql`select 1 from waitlist_offers`).length).toBe(20);

      // Half the offered patients leave the list (declining), through both hubs at once; the others book.
      const holders = new Map(waiting.map((p) => [p.id, p] as const));
      const byPatient = new Map(seen.offered.map((e) => [e.room.slice('user:'.length), e.data] as const));
      const [releasing, booking] = [offers.slice(0, 10), offers.slice(10)];
      const results = await Promise.all([
        ...releasing.map((o, i) => {
          const who: TestAccount = holders.get(o.patientId)!;
          return client(i % 2 ? a : b).delete(`/v1/waitlist/${o.entryId}`, who.token);
        }),
        ...booking.map((o, i) => {
          const who: TestAccount = holders.get(o.patientId)!;
          return client(i % 2 ? b : a).post(
            '/v1/appointments',
            { holdId: byPatient.get(o.patientId)!.holdId },
            who.token,
          );
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual([...releasing.map(() => 204), ...booking.map(() => 201)]);
      await seen.until(30);

      // The 10 released slots went to the next 10 in line (21st–30th), one each.
      const open = await openOffers(a);
      expect(open).toHaveLength(10);
      expect(open.map((o) => o.slotStart.getTime()).sort()).toEqual(
        releasing.map((o) => o.slotStart.getTime()).sort(),
      );
      expect(open.map((o) => o.patientId).sort()).toEqual(
        waiting
          .slice(20, 30)
          .map((p) => p.id)
          .sort(),
      );
      expect(await doubleBookings(a)).toEqual([]);
      // The bookers' entries are done; the leavers' are cancelled.
      const status = await a.sql<{ patientId: string; status: string }[]>`
        select patient_id, status from waitlist_entries where doctor_id = ${doctor.id}`;
      const of = new Map(status.map((s) => [s.patientId, s.status]));
      expect(booking.map((o) => of.get(o.patientId))).toEqual(booking.map(() => 'booked'));
      expect(releasing.map((o) => of.get(o.patientId))).toEqual(releasing.map(() => 'cancelled'));
      const history = await a.sql<{ status: string; n: number }[]>`
        select status, count(*)::int as n from waitlist_offers group by status order by status`;
      expect(history).toEqual([
        { status: 'accepted', n: 10 },
        { status: 'declined', n: 10 },
        { status: 'offered', n: 10 },
      ]);
    } finally {
      seen.stop();
    }
  }, 60_000);
});
