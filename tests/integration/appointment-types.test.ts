import { beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, dateIn, type SlotView } from '../helpers/booking.js';
import { createAccount, createClinic, type TestAccount, useTestApi } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients } from '../helpers/scene.js';

interface TypeView {
  id: string;
  name: string;
  durationMinutes: number | null;
  feeCents: number;
  currency: string;
  online: boolean;
  audience: 'any' | 'new' | 'returning';
  bufferMinutes: number;
  isDefault: boolean;
}

const clock = (iso: string) => iso.slice(11, 16);

describe('appointment types: a doctor offers several kinds of visit, each with its own slots and fee', () => {
  const { hub, api } = useTestApi();
  let clinicId: string;
  let admin: TestAccount;

  beforeAll(async () => {
    clinicId = (await createClinic(hub)).id;
    admin = await createAccount(hub, 'admin');
  });

  /** A doctor open 09:00–12:00 every day in 15-minute default slots, with the types given. */
  async function doctorWithTypes(types: Record<string, unknown>[]) {
    const doctor = await doctorWithHours(hub, clinicId, {
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        weekday,
        start: '09:00',
        end: '12:00',
        slotMinutes: 15,
      })),
    });
    const created: TypeView[] = [];
    for (const t of types) {
      const res = await api.post<TypeView>(
        `/v1/doctors/${doctor.id}/appointment-types`,
        t,
        doctor.account.token,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created.push(res.body);
    }
    return { ...doctor, types: created };
  }

  const board = async (doctorId: string, date: string, typeId?: string) => {
    const res = await api.get<{ slots: SlotView[] }>(
      `/v1/doctors/${doctorId}/slots?from=${date}&to=${date}${typeId ? `&type=${typeId}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.slots;
  };

  it('every doctor starts with a default type that follows their hours and fee; patients see only online types', async () => {
    const doctor = await doctorWithTypes([
      { name: 'Procedure', durationMinutes: 45, feeCents: 12000, currency: 'EUR' },
      { name: 'Phone triage', durationMinutes: 10, online: false },
    ]);
    const [patient] = await patients(hub, 1);
    const seen = await api.get<{ items: TypeView[] }>(
      `/v1/doctors/${doctor.id}/appointment-types`,
      patient.token,
    );
    expect(seen.body.items.map((t) => t.name)).toEqual(['Consultation', 'Procedure']);
    expect(seen.body.items[0]).toMatchObject({
      isDefault: true,
      durationMinutes: 15,
      feeCents: 5000,
      bufferMinutes: 0,
    });
    const managed = await api.get<{ items: TypeView[] }>(
      `/v1/doctors/${doctor.id}/appointment-types`,
      doctor.account.token,
    );
    expect(managed.body.items.map((t) => t.name)).toEqual(['Consultation', 'Procedure', 'Phone triage']);

    const offline = doctor.types[1]!;
    const date = dateIn(3);
    const [slot] = (await board(doctor.id, date, offline.id)).filter((s) => s.status === 'free');
    const refused = await api.post<Problem>(
      '/v1/holds',
      { doctorId: doctor.id, start: slot!.start, typeId: offline.id },
      patient.token,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('type_not_allowed');
  });

  it('mixed types in one day: a 45-minute booking blocks exactly the 15-minute slots under it and the 30-minute ones it touches', async () => {
    const doctor = await doctorWithTypes([
      { name: 'Procedure', durationMinutes: 45, feeCents: 12000, currency: 'EUR' },
      { name: 'Follow-up', durationMinutes: 30, feeCents: 3000, currency: 'EUR' },
    ]);
    const [procedure, followUp] = doctor.types as [TypeView, TypeView];
    const [alice, bob] = await patients(hub, ['Alice', 'Bob']);
    const date = dateIn(4);

    const long = (await board(doctor.id, date, procedure.id)).map((s) => `${clock(s.start)}-${clock(s.end)}`);
    expect(long).toEqual(['09:00-09:45', '09:45-10:30', '10:30-11:15', '11:15-12:00']);

    const at = (await board(doctor.id, date, procedure.id))[1]!.start; // 09:45
    const booked = await api.post<Appointment & { typeId: string; typeName: string }>(
      '/v1/appointments',
      { doctorId: doctor.id, start: at, typeId: procedure.id },
      alice.token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body).toMatchObject({ feeCents: 12000, typeId: procedure.id, typeName: 'Procedure' });
    expect(clock(booked.body.end)).toBe('10:30');

    const short = await board(doctor.id, date);
    const bookedShort = short.filter((s) => s.status === 'booked').map((s) => clock(s.start));
    expect(bookedShort).toEqual(['09:45', '10:00', '10:15']);
    expect(short.find((s) => clock(s.start) === '09:30')?.status).toBe('free');
    expect(short.find((s) => clock(s.start) === '10:30')?.status).toBe('free');

    const half = await board(doctor.id, date, followUp.id);
    expect(half.filter((s) => s.status === 'booked').map((s) => clock(s.start))).toEqual(['09:30', '10:00']);

    // The 15-minute slot inside the procedure is refused by Postgres, whatever the slot board said.
    const inside = short.find((s) => clock(s.start) === '10:00')!.start;
    const clash = await api.post<Problem>(
      '/v1/appointments',
      { doctorId: doctor.id, start: inside },
      bob.token,
    );
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('slot_taken');

    // A change of the type's fee later does not change what Alice pays.
    await api.patch(
      `/v1/doctors/${doctor.id}/appointment-types/${procedure.id}`,
      { feeCents: 20000, currency: 'EUR' },
      admin.token,
    );
    const again = await api.get<Appointment>(`/v1/appointments/${booked.body.id}`, alice.token);
    expect(again.body.feeCents).toBe(12000);
  });

  it("a type's buffer after it keeps the following minutes clear for every type", async () => {
    const doctor = await doctorWithTypes([
      { name: 'Procedure', durationMinutes: 30, bufferMinutes: 15, feeCents: 9000, currency: 'EUR' },
    ]);
    const [procedure] = doctor.types as [TypeView];
    const [alice] = await patients(hub, 1);
    const date = dateIn(5);
    const slots = await board(doctor.id, date, procedure.id);
    // 30 minutes and 15 of buffer: starts every 45 minutes.
    expect(slots.map((s) => clock(s.start))).toEqual(['09:00', '09:45', '10:30', '11:15']);
    await api.post(
      '/v1/appointments',
      { doctorId: doctor.id, start: slots[0]!.start, typeId: procedure.id },
      alice.token,
    );
    const short = await board(doctor.id, date);
    expect(short.filter((s) => s.status === 'booked').map((s) => clock(s.start))).toEqual([
      '09:00',
      '09:15',
      '09:30',
    ]);
  });

  it('races between types on overlapping slots end with at most one booking', async () => {
    for (let round = 0; round < 3; round++) {
      const doctor = await doctorWithTypes([
        { name: 'Procedure', durationMinutes: 45, feeCents: 12000, currency: 'EUR' },
        { name: 'Follow-up', durationMinutes: 30, feeCents: 3000, currency: 'EUR' },
      ]);
      const [procedure, followUp] = doctor.types as [TypeView, TypeView];
      const crowd = await patients(hub, 30);
      const date = dateIn(6 + round);
      const p = (await board(doctor.id, date, procedure.id))[1]!.start; // 09:45–10:30
      const f = (await board(doctor.id, date, followUp.id))[2]!.start; // 10:00–10:30
      const s = (await board(doctor.id, date)).find((x) => clock(x.start) === '10:15')!.start; // 10:15–10:30
      const tries = crowd.map((patient, i) => {
        const [start, typeId] = [
          [p, procedure.id],
          [f, followUp.id],
          [s, undefined],
        ][i % 3]!;
        return api.post<Problem>('/v1/appointments', { doctorId: doctor.id, start, typeId }, patient.token);
      });
      const answers = await Promise.all(tries);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      const rows =
        await hub.sql`select id from appointments where doctor_id = ${doctor.id} and status = 'booked'`;
      expect(rows).toHaveLength(1);
    }
  });

  it('a first visit is for new patients, a follow-up only after a completed visit', async () => {
    const doctor = await doctorWithTypes([
      { name: 'First visit', durationMinutes: 30, audience: 'new', feeCents: 8000, currency: 'EUR' },
      { name: 'Follow-up', durationMinutes: 15, audience: 'returning', feeCents: 4000, currency: 'EUR' },
    ]);
    const [first, follow] = doctor.types as [TypeView, TypeView];
    const [pat] = await patients(hub, 1);
    const date = dateIn(3);
    const followSlots = await board(doctor.id, date, follow.id);
    const early = await api.post<Problem>(
      '/v1/appointments',
      { doctorId: doctor.id, start: followSlots[0]!.start, typeId: follow.id },
      pat.token,
    );
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('type_not_allowed');

    const firstSlots = await board(doctor.id, date, first.id);
    const visit = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId: doctor.id, start: firstSlots[2]!.start, typeId: first.id },
      pat.token,
    );
    expect(visit.status).toBe(201);
    // The visit happens.
    await hub.sql`update appointments set status = 'completed' where id = ${visit.body.id}`;

    const later = await board(doctor.id, dateIn(10), follow.id);
    const ok = await api.post(
      '/v1/appointments',
      { doctorId: doctor.id, start: later[0]!.start, typeId: follow.id },
      pat.token,
    );
    expect(ok.status).toBe(201);
    const secondFirst = await board(doctor.id, dateIn(11), first.id);
    const no = await api.post<Problem>(
      '/v1/appointments',
      { doctorId: doctor.id, start: secondFirst[0]!.start, typeId: first.id },
      pat.token,
    );
    expect(no.body.code).toBe('type_not_allowed');
  });

  it('a type with bookings is archived, not deleted; one without is deleted; the default stays', async () => {
    const doctor = await doctorWithTypes([
      { name: 'Used', durationMinutes: 30, feeCents: 1000, currency: 'EUR' },
      { name: 'Unused', durationMinutes: 30 },
    ]);
    const [used, unused] = doctor.types as [TypeView, TypeView];
    const [pat] = await patients(hub, 1);
    const slot = (await board(doctor.id, dateIn(3), used.id))[0]!;
    const appt = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId: doctor.id, start: slot.start, typeId: used.id },
      pat.token,
    );
    expect(appt.status).toBe(201);

    const del = (id: string, token = doctor.account.token) =>
      api.delete<{ outcome: string } & Problem>(`/v1/doctors/${doctor.id}/appointment-types/${id}`, token);
    expect((await del(used.id)).body.outcome).toBe('archived');
    expect((await del(unused.id)).body.outcome).toBe('deleted');
    const defaultType = (await api.get<{ items: TypeView[] }>(`/v1/doctors/${doctor.id}/appointment-types`))
      .body.items[0]!;
    expect((await del(defaultType.id)).body.code).toBe('conflict');
    const kept = await api.get<Appointment & { typeName: string }>(
      `/v1/appointments/${appt.body.id}`,
      pat.token,
    );
    expect(kept.body).toMatchObject({ typeName: 'Used', feeCents: 1000 });
    const gone = await api.get<Problem>(
      `/v1/doctors/${doctor.id}/slots?from=${dateIn(3)}&to=${dateIn(3)}&type=${used.id}`,
    );
    expect(gone.status).toBe(404);
  });

  it('who manages types: the doctor, their clinic staff and admins; not a patient, another doctor, or other staff', async () => {
    const doctor = await doctorWithTypes([]);
    const other = await doctorWithHours(hub, clinicId);
    const [patient] = await patients(hub, 1);
    const staff = await createAccount(hub, 'staff', { clinicId });
    const otherClinic = await createClinic(hub);
    const strangerStaff = await createAccount(hub, 'staff', { clinicId: otherClinic.id });
    const body = { name: 'Check', durationMinutes: 20 };
    const path = `/v1/doctors/${doctor.id}/appointment-types`;
    expect((await api.post(path, body)).status).toBe(401);
    expect((await api.post(path, body, patient.token)).status).toBe(403);
    expect((await api.post(path, body, other.account.token)).status).toBe(403);
    expect((await api.post(path, body, strangerStaff.token)).status).toBe(403);
    expect((await api.post(path, body, staff.token)).status).toBe(201);
    expect((await api.post(path, body, admin.token)).status).toBe(201);
    expect((await api.post(path, body, doctor.account.token)).status).toBe(201);
    expect((await api.post<Problem>(path, { name: 'x', durationMinutes: 2 }, admin.token)).body.code).toBe(
      'validation_failed',
    );
  });
});
