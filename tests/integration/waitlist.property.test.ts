import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expireHold } from '../../src/jobs/hold-expiry.queue.js';
import { type Appointment, everyDay, slotsOn } from '../helpers/booking.js';
import { recordEvents } from '../helpers/events.js';
import type { TestAccount, TestHub } from '../helpers/harness.js';
import { useTestApi } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';
import { doubleBookings, entriesOf } from '../helpers/waitlist.js';

/**
 * A property-based run: random interleavings of join, leave, cancel, book, release and lapse on one
 * doctor's day of four slots and five patients. After every step, once the hub has reacted to it:
 * one open offer per slot and per patient, each backed by a live hold of its patient; an entry is
 * `offered` exactly while it has an offer; no free slot is left while someone eligible waits for it; a
 * patient with an appointment on a day has left that day's lists; never two active appointments in a slot.
 */
interface World {
  hub: TestHub;
  api: ReturnType<typeof useTestApi>['api'];
  doctorId: string;
  date: string;
  slots: string[];
  people: TestAccount[];
  events: ReturnType<typeof recordEvents>;
}

type Cmd = fc.AsyncCommand<object, World>;
const TIMES = [undefined, { start: '10:00', end: '11:00' }] as const;

/** Waits until the hub has published `match` and finished reacting to everything it has seen. */
async function settle(w: World, match?: Parameters<World['events']['waitFor']>[0]) {
  if (match) await w.events.waitFor(match, 5000);
  await w.hub.services.waitlist.idle();
}

async function offerOf(w: World, who: TestAccount) {
  const [offer] = await w.hub.sql<{ holdId: string; slotStart: Date; patientId: string }[]>`
    select hold_id, slot_start, patient_id from waitlist_offers
    where patient_id = ${who.id} and doctor_id = ${w.doctorId} and status = 'offered'`;
  return offer;
}

const cmd = (name: string, run: (w: World) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (_m, w) => {
    await run(w);
    await checkInvariants(w);
  },
  toString: () => name,
});

const join = (p: number, t: number) =>
  cmd(`join(${p}, ${t})`, async (w) => {
    const res = await w.api.post(
      '/v1/waitlist',
      { doctorId: w.doctorId, from: w.date, to: w.date, times: TIMES[t] },
      w.people[p]!.token,
    );
    expect([201, 409]).toContain(res.status);
    await settle(w);
  });

const leave = (p: number) =>
  cmd(`leave(${p})`, async (w) => {
    const open = (await entriesOf(w.hub, w.people[p]!)).filter(
      (e) => e.status === 'waiting' || e.status === 'offered',
    );
    if (open.length === 0) return;
    expect((await w.api.delete(`/v1/waitlist/${open[0]!.id}`, w.people[p]!.token)).status).toBe(204);
    await settle(w);
  });

const book = (p: number, s: number) =>
  cmd(`book(${p}, ${s})`, async (w) => {
    const who = w.people[p]!;
    const offer = await offerOf(w, who);
    const body =
      offer && offer.slotStart.getTime() === Date.parse(w.slots[s]!)
        ? { holdId: offer.holdId }
        : { doctorId: w.doctorId, start: w.slots[s]! };
    const res = await w.api.post<Appointment>('/v1/appointments', body, who.token);
    expect([201, 409]).toContain(res.status);
    if (res.status === 201) {
      await settle(
        w,
        (e) =>
          e.type === 'appointment.booked' &&
          e.data.appointment.id === res.body.id &&
          e.room.startsWith('doctor:'),
      );
    }
  });

const cancel = (p: number) =>
  cmd(`cancel(${p})`, async (w) => {
    const who = w.people[p]!;
    const [mine] = await w.hub.sql<{ id: string }[]>`
      select id from appointments where patient_id = ${who.id} and doctor_id = ${w.doctorId} and status = 'booked'`;
    if (!mine) return;
    expect((await w.api.post(`/v1/appointments/${mine.id}/cancel`, {}, who.token)).status).toBe(200);
    await settle(
      w,
      (e) =>
        e.type === 'appointment.cancelled' &&
        e.data.appointment.id === mine.id &&
        e.room.startsWith('doctor:'),
    );
    await settle(w); // the slot.freed reaction of the same commit
  });

const release = (p: number) =>
  cmd(`release(${p})`, async (w) => {
    const offer = await offerOf(w, w.people[p]!);
    if (!offer) return;
    expect((await w.api.delete(`/v1/holds/${offer.holdId}`, w.people[p]!.token)).status).toBe(204);
    await settle(w);
  });

/** The offer's time runs out: Redis drops the hold and the expiry job runs (the real processor). */
const lapse = (p: number) =>
  cmd(`lapse(${p})`, async (w) => {
    const offer = await offerOf(w, w.people[p]!);
    if (!offer) return;
    const hold = await w.hub.services.holdStore.get(offer.holdId);
    if (!hold) return;
    await w.hub.services.holdStore.remove(hold);
    await expireHold(hold, {
      holds: w.hub.services.holdStore,
      publisher: w.hub.services.publisher,
    });
    await settle(w);
  });

async function checkInvariants(w: World) {
  const { sql } = w.hub;
  const offers = await sql<{ entryId: string; slotStart: Date; patientId: string; holdId: string }[]>`
    select entry_id, slot_start, patient_id, hold_id from waitlist_offers
    where doctor_id = ${w.doctorId} and status = 'offered'`;
  expect(new Set(offers.map((o) => o.slotStart.getTime())).size).toBe(offers.length);
  expect(new Set(offers.map((o) => o.patientId)).size).toBe(offers.length);
  for (const o of offers) {
    const holder = await w.hub.services.holdStore.holderOf(w.doctorId, o.slotStart.getTime());
    expect(holder).toEqual({ holdId: o.holdId, patientId: o.patientId });
  }
  const offered = await sql<{ id: string }[]>`
    select id from waitlist_entries where doctor_id = ${w.doctorId} and status = 'offered'`;
  expect(offered.map((e) => e.id).sort()).toEqual(offers.map((o) => o.entryId).sort());
  expect(await doubleBookings(w.hub)).toEqual([]);

  // No free slot while an eligible entry waits for it.
  for (const slot of (await slotsOn(w.hub, w.doctorId, w.date)).filter((s) => s.status === 'free')) {
    const [start, end] = [new Date(slot.start), new Date(slot.end)];
    const local = slot.start.slice(11, 16);
    const localEnd = slot.end.slice(11, 16);
    const eligible = await sql`
      select e.id from waitlist_entries e
      where e.doctor_id = ${w.doctorId} and e.status = 'waiting'
        and (e.time_start is null or (e.time_start <= ${local}::time and e.time_end >= ${localEnd}::time))
        and not exists (select 1 from waitlist_offers o where o.entry_id = e.id and o.slot_start = ${start})
        and not exists (select 1 from waitlist_offers o where o.patient_id = e.patient_id and o.status = 'offered')
        and not exists (select 1 from appointments a where a.patient_id = e.patient_id
          and a.status in ('booked', 'checked_in', 'in_consultation') and a.during && tstzrange(${start}, ${end}))`;
    expect(eligible, `free ${slot.start} while someone eligible waits`).toEqual([]);
  }
  // Booked with the doctor that day: off that day's lists.
  const stale = await sql`
    select e.id from waitlist_entries e join appointments a
      on a.patient_id = e.patient_id and a.doctor_id = e.doctor_id
      and a.status in ('booked', 'checked_in', 'in_consultation')
    where e.doctor_id = ${w.doctorId} and e.status in ('waiting', 'offered')`;
  expect(stale).toEqual([]);
}

describe('the waitlist keeps its invariants under any interleaving', () => {
  const { hub, api } = useTestApi();

  it('holds after every step of random join / leave / cancel / book / release / lapse runs', async () => {
    const people = fc.integer({ min: 0, max: 4 });
    const commands = [
      fc.tuple(people, fc.integer({ min: 0, max: 1 })).map(([p, t]) => join(p, t)),
      people.map(leave),
      fc.tuple(people, fc.integer({ min: 0, max: 3 })).map(([p, s]) => book(p, s)),
      people.map(cancel),
      people.map(release),
      people.map(lapse),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
        const cast = await scene(hub, {
          patients: 5,
          doctor: { hours: everyDay({ start: '10:00', end: '12:00' }) },
          daysAhead: 3,
        });
        const w: World = {
          hub,
          api,
          doctorId: cast.doctorId,
          date: cast.date,
          slots: cast.slots.map((s) => s.start),
          people: cast.patients,
          events: recordEvents(hub.services.publisher),
        };
        try {
          await fc.asyncModelRun(() => ({ model: {}, real: w }), cmds);
        } finally {
          w.events.stop();
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
