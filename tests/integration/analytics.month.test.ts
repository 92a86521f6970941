import { describe, expect, it } from 'vitest';
import { directDays, rollupDays } from '../../src/analytics/analytics.store.js';
import { insertAppointments } from '../helpers/analytics.js';
import { createAccount, createClinic, createDoctor, useTestApi } from '../helpers/harness.js';
import { doctorWithHours } from '../helpers/scene.js';

type Figures = Record<string, unknown> & {
  byDay: { date: string; booked: number; completed: number; cancelled: number; noShow: number }[];
  byWeekdayHour: number[][];
  doctors: (Record<string, unknown> & { doctorId: string })[];
};

/**
 * March 2026 in Berlin, by hand. The doctor works Mondays 09:00–12:00 and Sundays 01:00–04:00 in
 * 30-minute slots; on Sunday 29 March clocks jump from 02:00 to 03:00, so that Sunday offers two hours,
 * not three; on Monday 16 March they take 09:00–10:30 off. Offered: 5 Mondays × 180 + 4 Sundays × 180
 * + 120 − 90 = 1650 minutes.
 */
describe('a hand-made month of one practice (March 2026, Berlin, with the spring DST change)', () => {
  const { hub, api } = useTestApi();

  async function setTheScene() {
    const clinic = await createClinic(hub, { name: 'March Clinic', timezone: 'Europe/Berlin' });
    const doctor = await doctorWithHours(hub, clinic.id, {
      hours: [
        { weekday: 1, start: '09:00', end: '12:00', slotMinutes: 30 },
        { weekday: 7, start: '01:00', end: '04:00', slotMinutes: 30 },
      ],
    });
    const { doctor: other } = await createDoctor(hub, clinic.id);
    await hub.sql`insert into time_off (doctor_id, during)
      values (${doctor.id}, tstzrange('2026-03-16T09:00:00+01:00', '2026-03-16T10:30:00+01:00'))`;
    const [p1, p2, p3, p4, p5] = await Promise.all([1, 2, 3, 4, 5].map(() => createAccount(hub, 'patient')));
    const staff = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const base = { doctorId: doctor.id, clinicId: clinic.id };
    await insertAppointments(hub, [
      // February: P4 has been here before, so in March P4 is returning.
      {
        ...base,
        patientId: p4!.id,
        start: '2026-02-23T09:00:00+01:00',
        end: '2026-02-23T09:30:00+01:00',
        status: 'completed',
        createdAt: '2026-02-01T09:00:00+01:00',
      },
      // A1 Mon 2 Mar 09:00: booked 10 days ahead (14400 min), arrived 08:55, in at 09:05 (wait 10), out 09:25 (20).
      {
        ...base,
        patientId: p1!.id,
        start: '2026-03-02T09:00:00+01:00',
        end: '2026-03-02T09:30:00+01:00',
        status: 'completed',
        createdAt: '2026-02-20T09:00:00+01:00',
        arrivedAt: '2026-03-02T08:55:00+01:00',
        startedAt: '2026-03-02T09:05:00+01:00',
        completedAt: '2026-03-02T09:25:00+01:00',
      },
      // A2 Mon 2 Mar 09:30: booked a day ahead (1440), never came.
      {
        ...base,
        patientId: p2!.id,
        start: '2026-03-02T09:30:00+01:00',
        end: '2026-03-02T10:00:00+01:00',
        status: 'no_show',
        createdAt: '2026-03-01T09:30:00+01:00',
      },
      // A3 Mon 9 Mar 10:00: booked 8 days ahead (11520), cancelled by the patient an hour before (60).
      {
        ...base,
        patientId: p3!.id,
        start: '2026-03-09T10:00:00+01:00',
        end: '2026-03-09T10:30:00+01:00',
        status: 'cancelled',
        createdAt: '2026-03-01T10:00:00+01:00',
        cancelledAt: '2026-03-09T09:00:00+01:00',
        cancelledBy: p3!.id,
      },
      // A7 Mon 16 Mar 11:00 (after the time off): booked a day ahead (1440), still "booked".
      {
        ...base,
        patientId: p5!.id,
        start: '2026-03-16T11:00:00+01:00',
        end: '2026-03-16T11:30:00+01:00',
        status: 'booked',
        createdAt: '2026-03-15T11:00:00+01:00',
      },
      // A5 Sun 29 Mar 01:00 CET (before the jump): booked 19 days ahead (27360), cancelled by the doctor 9 days before (12960).
      {
        ...base,
        patientId: p2!.id,
        start: '2026-03-29T01:00:00+01:00',
        end: '2026-03-29T01:30:00+01:00',
        status: 'cancelled',
        createdAt: '2026-03-10T01:00:00+01:00',
        cancelledAt: '2026-03-20T01:00:00+01:00',
        cancelledBy: doctor.account.id,
      },
      // A4 Sun 29 Mar 03:00 CEST (after the jump): booked at 03:00 CET the day before = 23 h (1380); arrived 02:40, wait 20, 30 long.
      {
        ...base,
        patientId: p1!.id,
        start: '2026-03-29T03:00:00+02:00',
        end: '2026-03-29T03:30:00+02:00',
        status: 'completed',
        createdAt: '2026-03-28T03:00:00+01:00',
        arrivedAt: '2026-03-29T02:40:00+02:00',
        startedAt: '2026-03-29T03:00:00+02:00',
        completedAt: '2026-03-29T03:30:00+02:00',
      },
      // A6 Mon 30 Mar 11:00 CEST: a walk-in (no lead time), waited 10, 15 long.
      {
        ...base,
        patientId: p4!.id,
        start: '2026-03-30T11:00:00+02:00',
        end: '2026-03-30T11:30:00+02:00',
        status: 'completed',
        walkIn: true,
        createdAt: '2026-03-30T10:50:00+02:00',
        arrivedAt: '2026-03-30T10:50:00+02:00',
        startedAt: '2026-03-30T11:00:00+02:00',
        completedAt: '2026-03-30T11:15:00+02:00',
      },
      // April: outside the month.
      {
        ...base,
        patientId: p5!.id,
        start: '2026-04-06T09:00:00+02:00',
        end: '2026-04-06T09:30:00+02:00',
        status: 'completed',
        createdAt: '2026-03-31T09:00:00+02:00',
      },
      // The other doctor: A8 Tue 10 Mar 14:00, 45 minutes, fee 80.00, a week ahead (10080), 45 long.
      {
        doctorId: other.id,
        clinicId: clinic.id,
        patientId: p2!.id,
        start: '2026-03-10T14:00:00+01:00',
        end: '2026-03-10T14:45:00+01:00',
        status: 'completed',
        feeCents: 8000,
        createdAt: '2026-03-03T14:00:00+01:00',
        startedAt: '2026-03-10T14:00:00+01:00',
        completedAt: '2026-03-10T14:45:00+01:00',
      },
    ]);
    return { clinic, doctor, other, staff };
  }

  it("every figure of the doctor's March and of the clinic's, as computed by hand; JSON, the rollup and CSV agree", async () => {
    const { clinic, doctor, other, staff } = await setTheScene();
    const res = await api.get<Figures>(
      `/v1/doctors/${doctor.id}/analytics?from=2026-03-01&to=2026-03-31`,
      doctor.account.token,
    );
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      timezone: 'Europe/Berlin',
      availableMinutes: 1650,
      bookedMinutes: 150, // A1 A2 A7 A4 A6, 30 each; cancellations take no time
      utilization: 0.0909, // 150 / 1650
      bookings: 7,
      completed: 3,
      noShows: 1,
      noShowRate: 0.25, // 1 / (3 + 1)
      cancellations: {
        total: 2,
        rate: 0.2857, // 2 / 7
        byWhom: { patient: 1, doctor: 1, staff: 0, admin: 0, system: 0 },
        notice: { under2h: 1, under24h: 0, under7d: 0, weekOrMore: 1 },
        noticeMinutes: { p50: 6510, p90: 11670 }, // 60, 12960
      },
      // 1380 1440 1440 11520 14400 27360 → p50 (1440+11520)/2; p90 at 4.5 → 14400 + 0.5 × 12960
      leadTimeMinutes: { p50: 6480, p90: 20880 },
      waitMinutes: { p50: 10, p90: 18 }, // 10 10 20
      consultationMinutes: { p50: 20, p90: 28 }, // 15 20 30
      revenueCents: 15000,
      currency: 'EUR',
      newPatients: 3, // P1 P2 P5 (P3 only cancelled)
      returningPatients: 1, // P4
    });
    const heat = d.byWeekdayHour;
    expect(heat[0]![9]).toBe(2); // Mondays 09:xx: A1, A2
    expect(heat[0]![11]).toBe(2); // Mondays 11:xx: A7, A6
    expect(heat[6]![3]).toBe(1); // Sunday 03:00 CEST, the hour after the jump: A4
    expect(heat.flat().reduce((a, b) => a + b, 0)).toBe(5);
    expect(d.byDay).toHaveLength(31);
    const active = d.byDay.filter((x) => x.booked > 0);
    expect(active).toEqual([
      { date: '2026-03-02', booked: 2, completed: 1, cancelled: 0, noShow: 1 },
      { date: '2026-03-09', booked: 1, completed: 0, cancelled: 1, noShow: 0 },
      { date: '2026-03-16', booked: 1, completed: 0, cancelled: 0, noShow: 0 },
      { date: '2026-03-29', booked: 2, completed: 1, cancelled: 1, noShow: 0 },
      { date: '2026-03-30', booked: 1, completed: 1, cancelled: 0, noShow: 0 },
    ]);

    // The rollup gives the same days as the appointments themselves.
    const range = { from: '2026-03-01', to: '2026-03-31' };
    const sort = (rows: { doctorId: string; day: string }[]) =>
      [...rows].sort((a, b) => (a.doctorId + a.day).localeCompare(b.doctorId + b.day));
    expect(sort(await rollupDays(hub.sql, { clinicId: clinic.id }, range))).toEqual(
      sort(await directDays(hub.sql, { clinicId: clinic.id }, range)),
    );

    // The clinic: the second doctor adds A8 (45 min, 80.00, consultation 45); P2 is new to them.
    const c = await api.get<Figures>(
      `/v1/clinics/${clinic.id}/analytics?from=2026-03-01&to=2026-03-31`,
      staff.token,
    );
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      availableMinutes: 1650,
      bookedMinutes: 195,
      utilization: 0.1182, // 195 / 1650
      bookings: 8,
      completed: 4,
      revenueCents: 23000,
      consultationMinutes: { p50: 25, p90: 40.5 }, // 15 20 30 45
      newPatients: 3, // P1 P2 P5 new to the clinic, P4 returning
      returningPatients: 1,
    });
    expect(c.body.doctors.map((x) => x.doctorId).sort()).toEqual([doctor.id, other.id].sort());
    expect(c.body.doctors.find((x) => x.doctorId === other.id)).toMatchObject({
      bookings: 1,
      utilization: null, // no hours offered
      newPatients: 1,
      returningPatients: 0,
      revenueCents: 8000,
    });

    // The same a quarter wide reads the rollup (> 62 days); March's figures sit in it unchanged.
    const q = await api.get<Figures>(
      `/v1/doctors/${doctor.id}/analytics?from=2026-02-01&to=2026-04-30`,
      doctor.account.token,
    );
    expect(q.body).toMatchObject({ bookings: 9, completed: 5 });
    expect(q.body.byDay.filter((x) => x.date.startsWith('2026-03') && x.booked > 0)).toEqual(active);

    // CSV: one row per doctor and one for the clinic, quoted where needed, money in major units.
    const csv = await fetch(`${hub.url}/v1/clinics/${clinic.id}/analytics?from=2026-03-01&to=2026-03-31`, {
      headers: { authorization: `Bearer ${staff.token}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    const header = lines[0]!.split(',');
    const last = lines[3]!;
    expect(
      last.startsWith('"All doctors (March Clinic)"') || last.startsWith('All doctors (March Clinic)'),
    ).toBe(true);
    const cells = last.split(',');
    expect(cells[header.indexOf('bookings')]).toBe('8');
    expect(cells[header.indexOf('revenue')]).toBe('230.00');
    expect(cells[header.indexOf('utilization')]).toBe('0.1182');
  });
});
