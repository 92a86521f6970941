import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events/event-types.js';
import { bookSlot, dateIn, everyDay } from '../helpers/booking.js';
import { recordEvents } from '../helpers/events.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import { expectCode, type Problem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';
import { type Entry, entriesOf, joinWaitlist, openOffers } from '../helpers/waitlist.js';

describe('waitlist entries: joining, limits, leaving, who sees what', () => {
  const { hub, api } = useTestApi({ WAITLIST_SWEEP_SECONDS: '1' });

  /** A doctor with no hours at all: whoever joins waits. */
  async function closedDoctor(patients = 1) {
    const cast = await scene(hub, { patients });
    await hub.sql`delete from availability_rules where doctor_id = ${cast.doctorId}`;
    return cast;
  }

  it('refuses bad ranges and more than five open entries; leaving frees a place', async () => {
    const cast = await scene(hub, {
      patients: 1,
      doctor: { hours: everyDay({ start: '10:00', end: '10:30' }) },
    });
    const { doctorId, patient } = cast;
    const bad = [
      { doctorId, from: dateIn(5), to: dateIn(4) },
      { doctorId, from: dateIn(-3), to: dateIn(-2) },
      { doctorId, from: dateIn(1), to: dateIn(200) },
      { doctorId, from: dateIn(1), to: dateIn(2), times: { start: '12:00', end: '11:00' } },
      { doctorId, from: '2026-02-30', to: dateIn(2) },
    ];
    for (const body of bad) {
      const res = await api.post<Problem>('/v1/waitlist', body, patient.token);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await api.post<Problem>(
      '/v1/waitlist',
      { doctorId: '00000000-0000-4000-8000-000000000000', from: dateIn(1), to: dateIn(2) },
      patient.token,
    );
    expect(unknown.status).toBe(404);

    // A full doctor, so entries wait.
    const others = await closedDoctor();
    const entries: Entry[] = [];
    for (let i = 1; i <= 5; i++) entries.push(await joinWaitlist(hub, patient, others.doctorId, dateIn(i)));
    const sixth = await api.post<Problem>(
      '/v1/waitlist',
      { doctorId: others.doctorId, from: dateIn(6), to: dateIn(6) },
      patient.token,
    );
    expectCode(sixth, 409, 'too_many_entries');
    expect((await api.delete(`/v1/waitlist/${entries[0]!.id}`, patient.token)).status).toBe(204);
    expect((await entriesOf(hub, patient)).find((e) => e.id === entries[0]!.id)!.status).toBe('cancelled');
    await joinWaitlist(hub, patient, others.doctorId, dateIn(6));
    // Someone else's entry is not found; a doctor cannot join.
    expect((await api.delete(`/v1/waitlist/${entries[1]!.id}`, others.patient!.token)).status).toBe(404);
    const asDoctor = await api.post(
      '/v1/waitlist',
      { doctorId, from: dateIn(1), to: dateIn(1) },
      cast.doctor.token,
    );
    expect(asDoctor.status).toBe(403);
  });

  it('shows the line length to the doctor, their clinic staff and admins only', async () => {
    const cast = await closedDoctor(2);
    for (const p of cast.patients) await joinWaitlist(hub, p, cast.doctorId, dateIn(2), dateIn(9));
    const staff = await createAccount(hub, 'staff', { clinicId: cast.clinic.id });
    const admin = await createAccount(hub, 'admin');
    const path = `/v1/doctors/${cast.doctorId}/waitlist`;
    for (const who of [cast.doctor, staff, admin]) {
      expect((await api.get(path, who.token)).body).toEqual({
        doctorId: cast.doctorId,
        waiting: 2,
        offered: 0,
      });
    }
    const elsewhere = await scene(hub, { patients: 0 });
    const otherStaff = await createAccount(hub, 'staff', { clinicId: elsewhere.clinic.id });
    expect((await api.get(path, otherStaff.token)).status).toBe(404);
    expect((await api.get(path, elsewhere.doctor.token)).status).toBe(404);
    expect((await api.get(path, cast.patients[0]!.token)).status).toBe(403);
  });

  it('the sweep offers a slot freed unseen, settles an offer whose hold vanished, and expires past entries', async () => {
    const cast = await scene(hub, {
      patients: 3,
      doctor: { hours: everyDay({ start: '10:00', end: '10:30' }) },
      daysAhead: 3,
    });
    const [a, b, c] = cast.patients;
    const booked = await bookSlot(hub, a, cast.doctorId, cast.free[0]!.start);
    await joinWaitlist(hub, b, cast.doctorId, cast.date);
    await joinWaitlist(hub, c, cast.doctorId, cast.date);
    const events = recordEvents(hub.services.publisher);
    try {
      // Cancelled behind the hub's back (a crash between commit and reaction): no event, the sweep finds it.
      await hub.sql`update appointments set status = 'cancelled' where id = ${booked.id}`;
      const toB = (await events.waitFor(
        (e) => e.type === 'waitlist.offered' && e.room === `user:${b.id}`,
        8000,
      )) as LiveEvent<'waitlist.offered'>;
      // Redis loses B's hold (a restart without persistence): the sweep passes the slot to C.
      const hold = await hub.services.holdStore.get(toB.data.holdId);
      await hub.services.holdStore.remove(hold!);
      await events.waitFor((e) => e.type === 'waitlist.offered' && e.room === `user:${c.id}`, 8000);
      expect(
        (await openOffers(hub)).filter((o) => o.doctorId === cast.doctorId).map((o) => o.patientId),
      ).toEqual([c.id]);
    } finally {
      events.stop();
    }
    // An entry whose last day has passed expires.
    const [old] = await hub.sql<{ id: string }[]>`
      insert into waitlist_entries (patient_id, doctor_id, from_date, to_date)
      values (${a.id}, ${cast.doctorId}, current_date - 3, current_date - 2) returning id`;
    await hub.services.waitlist.sweep();
    expect((await entriesOf(hub, a)).find((e) => e.id === old!.id)!.status).toBe('expired');
  });
});
