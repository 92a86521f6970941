import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Appointment,
  dateIn,
  everyDay,
  type Hours,
  setAvailability,
  slotsOn,
} from '../helpers/booking.js';
import {
  client,
  createAccount,
  createClinic,
  createDoctor,
  startTestHub,
  type TestAccount,
  type TestHub,
} from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients } from '../helpers/scene.js';

/** A booking's answer: the appointment, or the problem that refused it. */
type Answer = Appointment & Problem;

/**
 * A hub remembers each doctor's schedule for slot checks. These stories change a schedule where this hub
 * cannot see it (another hub process, or a script writing SQL) and book right after: the booking must
 * follow the schedule as it is now, never the remembered one.
 */
describe("bookings follow the doctor's current schedule, wherever it was changed", () => {
  let hub: TestHub;
  let other: TestHub;
  let api: ReturnType<typeof client>;
  let clinicId: string;

  beforeAll(async () => {
    // One secret, so a token from either hub is good on both, as behind one load balancer.
    const shared = { JWT_SECRET: randomBytes(32).toString('base64url') };
    hub = await startTestHub(shared, { keepDatabase: true });
    other = await startTestHub(shared, { database: hub.database });
    api = client(hub);
    clinicId = (await createClinic(hub)).id;
  });
  afterAll(async () => {
    // `other` drops the shared database when it closes, so it goes last.
    await hub.close();
    await other.close();
  });

  const book = (who: TestAccount, doctorId: string, start: string) =>
    api.post<Answer>('/v1/appointments', { doctorId, start }, who.token);
  const reschedule = (who: TestAccount, id: string, start: string) =>
    api.post<Answer>(`/v1/appointments/${id}/reschedule`, { start }, who.token);

  /** The doctor sets their weekly hours through the other hub, which accepts them. */
  const setHoursOnOtherHub = async (doctor: TestAccount, doctorId: string, rules: Hours) => {
    const res = await client(other).put(`/v1/doctors/${doctorId}/availability`, { rules }, doctor.token);
    expect(res.status).toBe(200);
  };

  /** A doctor with 30-minute slots all week, whose schedule this hub has already used for a booking. */
  async function doctorInUse() {
    const { id: doctorId, account: doctorAccount } = await doctorWithHours(hub, clinicId);
    const date = dateIn(5);
    const slots = await slotsOn(hub, doctorId, date);
    const [patient] = await patients(hub, 1);
    const first = await book(patient, doctorId, slots[0]!.start);
    expect(first.status).toBe(201);
    return { doctorId, doctorAccount, date, slots, patient };
  }

  it('the doctor moves to 60-minute slots on another hub: a 30-minute start is refused here at once', async () => {
    const { doctorId, doctorAccount, slots } = await doctorInUse();
    await setHoursOnOtherHub(doctorAccount, doctorId, everyDay({ slotMinutes: 60 }));

    const someone = (await createAccount(hub, 'patient'))!;
    // slots[3] starts at 09:30, a start the 60-minute grid no longer has.
    const offGrid = await book(someone, doctorId, slots[3]!.start);
    expect(offGrid.status).toBe(400);
    expect(offGrid.body.code).toBe('validation_failed');
    expect(offGrid.body.errors?.[0]?.path).toBe('body.start');
    // 10:00 is on both grids, and now runs for an hour.
    const onGrid = await book(someone, doctorId, slots[4]!.start);
    expect(onGrid.status).toBe(201);
    expect(Date.parse(onGrid.body.end) - Date.parse(onGrid.body.start)).toBe(60 * 60_000);
  });

  it('the doctor opens the evening on another hub: its first slot is bookable here at once', async () => {
    const { doctorId, doctorAccount, slots } = await doctorInUse();
    const evening = slots.at(-1)!.end; // 18:00, after the last slot this hub has seen
    const refused = await book((await createAccount(hub, 'patient'))!, doctorId, evening);
    expect(refused.status).toBe(400);
    await setHoursOnOtherHub(doctorAccount, doctorId, everyDay({ end: '20:00' }));
    const booked = await book((await createAccount(hub, 'patient'))!, doctorId, evening);
    expect(booked.status).toBe(201);
    expect(booked.body.start).toBe(evening);
  });

  it('time off written straight into the database keeps bookings and moves out of it', async () => {
    const { doctorId, slots, patient } = await doctorInUse();
    const [booked] = await hub.sql<{ id: string }[]>`
      select id from appointments where doctor_id = ${doctorId} and patient_id = ${patient.id}`;
    // The afternoon off, from slots[8] on, by a script that never tells the hub.
    await hub.sql`insert into time_off (doctor_id, during)
      values (${doctorId}, tstzrange(${new Date(slots[8]!.start)}, ${new Date(slots.at(-1)!.end)}))`;

    const someone = (await createAccount(hub, 'patient'))!;
    const inTimeOff = await book(someone, doctorId, slots[9]!.start);
    expect(inTimeOff.status).toBe(400);
    const moveIntoTimeOff = await reschedule(patient, booked!.id, slots[10]!.start);
    expect(moveIntoTimeOff.status).toBe(400);
    const moveBeforeIt = await reschedule(patient, booked!.id, slots[6]!.start);
    expect(moveBeforeIt.status).toBe(200);
    expect(moveBeforeIt.body.start).toBe(slots[6]!.start);
  });

  it('a longer minimum notice set on another hub refuses a booking it no longer allows', async () => {
    const { doctorId, slots } = await doctorInUse();
    const admin = (await createAccount(hub, 'admin'))!;
    const patched = await client(other).patch(
      `/v1/doctors/${doctorId}`,
      { minNoticeMinutes: 30 * 24 * 60 },
      admin.token,
    );
    expect(patched.status).toBe(200);
    const someone = (await createAccount(hub, 'patient'))!;
    // Five days ahead was bookable a moment ago; thirty days' notice rules it out.
    const tooSoon = await book(someone, doctorId, slots[2]!.start);
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.detail).toContain('minutes from now');
  });

  it('every change that shapes the slots bumps the schedule version, and nothing else does', async () => {
    const { doctor } = await createDoctor(hub, clinicId);
    const version = async () =>
      (await hub.sql<{ v: number }[]>`select schedule_version as v from doctors where id = ${doctor.id}`)[0]!
        .v;
    const steps: [string, () => Promise<unknown>][] = [
      ['rules written', () => setAvailability(hub, doctor.id)],
      [
        'time off added',
        () =>
          hub.sql`insert into time_off (doctor_id, during) values (${doctor.id}, tstzrange(now(), now() + interval '1 day'))`,
      ],
      ['time off removed', () => hub.sql`delete from time_off where doctor_id = ${doctor.id}`],
      ['notice changed', () => hub.sql`update doctors set min_notice_minutes = 15 where id = ${doctor.id}`],
      ['horizon changed', () => hub.sql`update doctors set horizon_days = 30 where id = ${doctor.id}`],
      [
        'clinic time zone changed',
        () => hub.sql`update clinics set timezone = 'Asia/Tokyo' where id = ${clinicId}`,
      ],
    ];
    for (const [what, change] of steps) {
      const before = await version();
      await change();
      expect(await version(), what).toBeGreaterThan(before);
    }
    const before = await version();
    await hub.sql`update doctors set fee_cents = fee_cents + 100, bio = 'Changed' where id = ${doctor.id}`;
    await hub.sql`update clinics set phone = '+49 30 1234' where id = ${clinicId}`;
    expect(await version()).toBe(before);
    await hub.sql`update clinics set timezone = 'Europe/Berlin' where id = ${clinicId}`;
  });
});
