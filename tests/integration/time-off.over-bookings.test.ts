import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, bookSlot, dateIn, slotsOn } from '../helpers/booking.js';
import { client, createAccount, createClinic, startTestHub, type TestHub } from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients } from '../helpers/scene.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

describe('time off over booked appointments: refused, or with cancellation each patient told once', () => {
  let hub: TestHub;
  let smtp: TestSmtp;
  let api: ReturnType<typeof client>;
  let clinicId: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    hub = await startTestHub({ SMTP_URL: smtp.url });
    api = client(hub);
    clinicId = (await createClinic(hub)).id;
  });
  afterAll(async () => {
    await hub?.close();
    await smtp?.close();
  });

  async function bookedDay() {
    const doctor = await doctorWithHours(hub, clinicId);
    const [ann, ben, cat] = await patients(hub, ['Ann', 'Ben', 'Cat']);
    const date = dateIn(5);
    const slots = await slotsOn(hub, doctor.id, date);
    const booked: Appointment[] = [];
    for (const [i, p] of [ann, ben, cat].entries())
      booked.push(await bookSlot(hub, p, doctor.id, slots[2 + i]!.start));
    // Time off over the first two bookings (slots 2 and 3), not the third.
    const body = { start: slots[1]!.start, end: slots[4]!.start, reason: 'Conference' };
    return { doctor, booked, body, date };
  }

  it('is refused with 409 time_off_over_bookings naming the appointments inside it, and nothing changes', async () => {
    const { doctor, booked, body } = await bookedDay();
    const res = await api.post<Problem>(`/v1/doctors/${doctor.id}/time-off`, body, doctor.account.token);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('time_off_over_bookings');
    expect(res.body.errors?.map((e) => e.path)).toEqual([
      `appointments.${booked[0]!.id}`,
      `appointments.${booked[1]!.id}`,
    ]);
    const rows = await hub.sql`select 1 from time_off where doctor_id = ${doctor.id}`;
    expect(rows).toHaveLength(0);
    const statuses = await hub.sql<
      { status: string }[]
    >`select status from appointments where doctor_id = ${doctor.id}`;
    expect(statuses.every((r) => r.status === 'booked')).toBe(true);
  });

  it('with cancelAppointments the ones inside are cancelled and each patient is told once, in the app and by email', async () => {
    const { doctor, booked, body, date } = await bookedDay();
    const before = smtp.messages.length;
    const res = await api.post<{ cancelledAppointments: string[] }>(
      `/v1/doctors/${doctor.id}/time-off`,
      { ...body, cancelAppointments: true },
      doctor.account.token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.cancelledAppointments.sort()).toEqual([booked[0]!.id, booked[1]!.id].sort());

    const status = await hub.sql<{ id: string; status: string }[]>`
      select id, status from appointments where doctor_id = ${doctor.id} order by lower(during)`;
    expect(status.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'booked']);
    const notes = await hub.sql<{ userId: string }[]>`
      select user_id from notifications where kind = 'appointment.cancelled' and data->>'appointmentId' = any(${booked.map((b) => b.id)})`;
    expect(notes.map((n) => n.userId).sort()).toEqual([booked[0]!.patientId, booked[1]!.patientId].sort());
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.subject === 'Your appointment was cancelled')).toBe(true);

    // The cancelled times sit inside the time off: no slot opened there.
    const slots = await slotsOn(hub, doctor.id, date);
    const offStart = Date.parse(body.start);
    const offEnd = Date.parse(body.end);
    expect(slots.filter((s) => Date.parse(s.start) < offEnd && Date.parse(s.end) > offStart)).toEqual([]);
  });

  it('only the doctor or an admin adds time off', async () => {
    const { doctor, body } = await bookedDay();
    const [patient] = await patients(hub, 1);
    const staff = await createAccount(hub, 'staff', { clinicId });
    const other = await doctorWithHours(hub, clinicId);
    const path = `/v1/doctors/${doctor.id}/time-off`;
    expect((await api.post(path, body)).status).toBe(401);
    expect((await api.post(path, body, patient.token)).status).toBe(403);
    expect((await api.post(path, body, staff.token)).status).toBe(403);
    expect((await api.post(path, body, other.account.token)).status).toBe(403);
    const admin = await createAccount(hub, 'admin');
    expect((await api.post(path, { ...body, cancelAppointments: true }, admin.token)).status).toBe(201);
  });
});
