import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events/event-types.js';
import { bookSlot, everyDay } from '../helpers/booking.js';
import { recordEvents } from '../helpers/events.js';
import { type TestAccount, useTestApi } from '../helpers/harness.js';
import { patients, scene } from '../helpers/scene.js';
import { entriesOf, joinWaitlist } from '../helpers/waitlist.js';

/** Every way a slot frees up reaches the waitlist: cancellation (see the story), reschedule, schedule edits. */
describe('what frees a slot for the waitlist', () => {
  const { hub, api } = useTestApi();

  /** A doctor with one 30-minute slot a day (10:00), booked by the first patient; the others wait. */
  async function fullDay(patients = 3) {
    const cast = await scene(hub, {
      patients,
      doctor: { hours: everyDay({ start: '10:00', end: '10:30' }) },
      daysAhead: 5,
    });
    const [first, ...rest] = cast.patients as TestAccount[];
    const booked = await bookSlot(hub, first!, cast.doctorId, cast.free[0]!.start);
    return { ...cast, first: first!, rest, booked };
  }

  const offeredTo = (who: TestAccount) => (e: LiveEvent) =>
    e.type === 'waitlist.offered' && e.room === `user:${who.id}`;

  it('new availability offers its slots; a reschedule away offers the slot it left', async () => {
    const { doctorId, date, first, rest, booked, doctor } = await fullDay(3);
    const [b, c] = rest;
    const events = recordEvents(hub.services.publisher);
    try {
      await joinWaitlist(hub, b!, doctorId, date);
      await joinWaitlist(hub, c!, doctorId, date);
      // The doctor opens nine o'clock every day: B, first in line, is offered it that day.
      const opened = await api.put(
        `/v1/doctors/${doctorId}/availability`,
        {
          rules: [
            ...everyDay({ start: '09:00', end: '09:30' }),
            ...everyDay({ start: '10:00', end: '10:30' }),
          ],
        },
        doctor.token,
      );
      expect(opened.status).toBe(200);
      const toB = (await events.waitFor(offeredTo(b!))) as LiveEvent<'waitlist.offered'>;
      expect(toB.data.start.slice(0, 16)).toBe(`${date}T09:00`);
      // The first patient moves to nine o'clock the next day: ten o'clock goes to C (B holds an offer).
      const next = booked.start.replace(date, nextDate(date)).replace('T10:00', 'T09:00');
      const moved = await api.post(`/v1/appointments/${booked.id}/reschedule`, { start: next }, first.token);
      expect(moved.status).toBe(200);
      const toC = (await events.waitFor(offeredTo(c!))) as LiveEvent<'waitlist.offered'>;
      expect(Date.parse(toC.data.start)).toBe(Date.parse(booked.start));
    } finally {
      events.stop();
    }
  });

  it('time off removed offers the slots it covered', async () => {
    const { doctorId, date, rest, doctor, free } = await scene(hub, {
      patients: 1,
      doctor: { hours: everyDay({ start: '10:00', end: '10:30' }) },
      daysAhead: 6,
    }).then((c) => ({ ...c, rest: c.patients }));
    const slot = free[0]!;
    const off = await api.post<{ id: string }>(
      `/v1/doctors/${doctorId}/time-off`,
      { start: slot.start, end: slot.end },
      doctor.token,
    );
    expect(off.status).toBe(201);
    const entry = await joinWaitlist(hub, rest[0]!, doctorId, date);
    expect(entry.status).toBe('waiting');
    const events = recordEvents(hub.services.publisher);
    try {
      expect((await api.delete(`/v1/doctors/${doctorId}/time-off/${off.body.id}`, doctor.token)).status).toBe(
        204,
      );
      const offer = (await events.waitFor(offeredTo(rest[0]!))) as LiveEvent<'waitlist.offered'>;
      expect(Date.parse(offer.data.start)).toBe(Date.parse(slot.start));
    } finally {
      events.stop();
    }
  });

  it('joining while a matching slot is free offers it at once; a time window is respected', async () => {
    const cast = await scene(hub, {
      patients: 2,
      doctor: { hours: everyDay({ start: '10:00', end: '12:00' }) },
      daysAhead: 7,
    });
    const [early, late] = cast.patients;
    const morning = await joinWaitlist(hub, early, cast.doctorId, cast.date, cast.date, {
      start: '11:00',
      end: '12:00',
    });
    expect(morning.status).toBe('offered');
    expect(morning.offer!.start).toBe(cast.free[2]!.start);
    const any = await joinWaitlist(hub, late, cast.doctorId, cast.date);
    expect(any.offer!.start).toBe(cast.free[0]!.start);
    expect(any.doctor).toEqual({ id: cast.doctorId, name: expect.any(String) });
  });

  it('a patient on two lists freed at once gets one offer; the other slot goes to the next in its line', async () => {
    const one = await fullDay(1);
    const two = await fullDay(1);
    const [p, q, r] = await patients(hub, 3);
    await joinWaitlist(hub, p!, one.doctorId, one.date);
    await joinWaitlist(hub, p!, two.doctorId, two.date);
    await joinWaitlist(hub, r!, one.doctorId, one.date);
    await joinWaitlist(hub, q!, two.doctorId, two.date);
    const events = recordEvents(hub.services.publisher);
    try {
      const cancels = await Promise.all([
        api.post(`/v1/appointments/${one.booked.id}/cancel`, {}, one.first.token),
        api.post(`/v1/appointments/${two.booked.id}/cancel`, {}, two.first.token),
      ]);
      expect(cancels.map((c) => c.status)).toEqual([200, 200]);
      await events.waitFor((e) => e.type === 'waitlist.offered' && e.room === `user:${p!.id}`);
      await events.waitFor(
        (e) => e.type === 'waitlist.offered' && (e.room === `user:${q!.id}` || e.room === `user:${r!.id}`),
      );
      await hub.services.waitlist.idle();
      const offers = await hub.sql<{ patientId: string; doctorId: string }[]>`
        select patient_id, doctor_id from waitlist_offers
        where status = 'offered' and doctor_id in (${one.doctorId}, ${two.doctorId})`;
      expect(offers).toHaveLength(2);
      const pOffer = offers.find((o) => o.patientId === p!.id)!;
      const other = offers.find((o) => o.patientId !== p!.id)!;
      // Whichever doctor P got, the other doctor's slot went to the one waiting there.
      expect(other.patientId).toBe(pOffer.doctorId === one.doctorId ? q!.id : r!.id);
    } finally {
      events.stop();
    }
  });

  it('booking the offered slot by its start, without the holdId, accepts the offer too', async () => {
    const { doctorId, date, rest, booked, first } = await fullDay(3);
    const [b, c] = rest;
    const bEntry = await joinWaitlist(hub, b!, doctorId, date);
    await joinWaitlist(hub, c!, doctorId, date);
    const events = recordEvents(hub.services.publisher);
    try {
      expect((await api.post(`/v1/appointments/${booked.id}/cancel`, {}, first.token)).status).toBe(200);
      const offer = (await events.waitFor(offeredTo(b!))) as LiveEvent<'waitlist.offered'>;
      const res = await api.post('/v1/appointments', { doctorId, start: offer.data.start }, b!.token);
      expect(res.status).toBe(201);
      await events.waitFor((e) => e.type === 'waitlist.closed' && e.room === `user:${b!.id}`);
      await hub.services.waitlist.idle();
      expect((await entriesOf(hub, b!)).find((e) => e.id === bEntry.id)!.status).toBe('booked');
      expect((await entriesOf(hub, c!))[0]!.status).toBe('waiting');
    } finally {
      events.stop();
    }
  });
});

function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
