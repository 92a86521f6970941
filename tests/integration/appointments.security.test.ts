import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_WEEK, type Appointment, bookSlot, dateIn, type SlotView, slotsOn } from '../helpers/booking.js';
import { client, createAccount, createClinic, type TestAccount, useTestHub } from '../helpers/harness.js';
import { expectCode, type Problem } from '../helpers/problems.js';
import { doctorWithHours, patients, type SceneDoctor } from '../helpers/scene.js';

type Page = { items: Appointment[]; nextCursor: string | null };

/**
 * Two clinics, each with staff; clinic A has two doctors, clinic B one. Patients may cancel only up to a
 * week ahead (CANCEL_CUTOFF_MINUTES=10080), so every appointment below is inside the patient cutoff.
 */
describe('people try to reach appointments and schedules that are not theirs', () => {
  const hub = useTestHub({ CANCEL_CUTOFF_MINUTES: '10080' });
  const api = client(hub);
  let alice: TestAccount;
  let bob: TestAccount;
  let staffA: TestAccount;
  let staffB: TestAccount;
  let doctorA1: SceneDoctor;
  let doctorA2: SceneDoctor;
  let doctorB1: SceneDoctor;
  const day1 = dateIn(3);
  const day2 = dateIn(4);
  let slotsA1: SlotView[];
  let slotsA1Day2: SlotView[];
  /** Alice's appointment with doctor A1 on day 1. */
  let aliceAppt: Appointment;

  const book = (who: TestAccount, doctorId: string, start: string) => bookSlot(hub, who, doctorId, start);

  beforeAll(async () => {
    const [clinicA, clinicB] = await Promise.all([createClinic(hub), createClinic(hub)]);
    [doctorA1, doctorA2, doctorB1] = await Promise.all([
      doctorWithHours(hub, clinicA.id),
      doctorWithHours(hub, clinicA.id),
      doctorWithHours(hub, clinicB.id),
    ]);
    [alice, bob] = await patients(hub, 2);
    [staffA, staffB] = await Promise.all([
      createAccount(hub, 'staff', { clinicId: clinicA.id }),
      createAccount(hub, 'staff', { clinicId: clinicB.id }),
    ]);
    slotsA1 = await slotsOn(hub, doctorA1.id, day1);
    slotsA1Day2 = await slotsOn(hub, doctorA1.id, day2);
    aliceAppt = await book(alice, doctorA1.id, slotsA1[0]!.start);
  });

  it("a patient cannot see, cancel or reschedule another patient's appointment: 404, as if it did not exist", async () => {
    const path = `/v1/appointments/${aliceAppt.id}`;
    expectCode(await api.get<Problem>(path, bob.token), 404, 'not_found');
    expectCode(await api.post<Problem>(`${path}/cancel`, {}, bob.token), 404, 'not_found');
    expectCode(
      await api.post<Problem>(`${path}/reschedule`, { start: slotsA1[5]!.start }, bob.token),
      404,
      'not_found',
    );
    // The same answer as for an id that does not exist at all.
    expectCode(await api.get<Problem>(`/v1/appointments/${randomUUID()}`, bob.token), 404, 'not_found');
    expect((await api.get<Appointment>(path, alice.token)).body).toMatchObject({
      status: 'booked',
      start: slotsA1[0]!.start,
    });
  });

  it('staff of another clinic and another doctor cannot see it or check it in (404)', async () => {
    const path = `/v1/appointments/${aliceAppt.id}`;
    expectCode(await api.get<Problem>(path, staffB.token), 404, 'not_found');
    expectCode(await api.post<Problem>(`${path}/check-in`, undefined, staffB.token), 404, 'not_found');
    expectCode(await api.post<Problem>(`${path}/cancel`, {}, staffB.token), 404, 'not_found');
    expectCode(await api.get<Problem>(path, doctorA2.account.token), 404, 'not_found');
    expectCode(await api.post<Problem>(`${path}/start`, undefined, doctorB1.account.token), 404, 'not_found');
    expect((await api.get<Appointment>(path, staffA.token)).status).toBe(200);
    expect((await api.get<Appointment>(path, doctorA1.account.token)).status).toBe(200);
    expect((await api.get<Appointment>(path, alice.token)).body.status).toBe('booked');
  });

  it('a patient cannot check themself in: they can see the appointment, so the answer is 403', async () => {
    expectCode(
      await api.post<Problem>(`/v1/appointments/${aliceAppt.id}/check-in`, undefined, alice.token),
      403,
      'forbidden',
    );
    expect((await api.get<Appointment>(`/v1/appointments/${aliceAppt.id}`, alice.token)).body.status).toBe(
      'booked',
    );
  });

  it('only the doctor (or an admin) shapes their schedule', async () => {
    const rules = [{ weekday: 1, start: '09:00', end: '10:00', slotMinutes: 30 }];
    const soon = Date.now() + 7 * 86_400_000;
    const timeOff = { start: new Date(soon).toISOString(), end: new Date(soon + 3_600_000).toISOString() };
    expectCode(
      await api.put<Problem>(`/v1/doctors/${doctorA1.id}/availability`, { rules }, doctorA2.account.token),
      403,
      'forbidden',
    );
    expectCode(
      await api.post<Problem>(`/v1/doctors/${doctorA1.id}/time-off`, timeOff, doctorA2.account.token),
      403,
      'forbidden',
    );
    expectCode(
      await api.put<Problem>(`/v1/doctors/${doctorA1.id}/availability`, { rules }, alice.token),
      403,
      'forbidden',
    );
    expectCode(
      await api.put<Problem>(`/v1/doctors/${doctorA1.id}/availability`, { rules }, staffA.token),
      403,
      'forbidden',
    );
    expectCode(
      await api.put<Problem>(`/v1/doctors/${doctorA1.id}/availability`, { rules }),
      401,
      'unauthorized',
    );

    // Nothing changed: the doctor's week is still the one set up.
    const availability = await api.get<{ rules: { weekday: number; slotMinutes: number }[] }>(
      `/v1/doctors/${doctorA1.id}/availability`,
    );
    expect(availability.body.rules).toHaveLength(ALL_WEEK.length);
    expect(await hub.sql`select id from time_off where doctor_id = ${doctorA1.id}`).toEqual([]);
  });

  it('inside the cutoff the patient cannot cancel, while the doctor and the clinic staff still can', async () => {
    const forDoctor = await book(alice, doctorA1.id, slotsA1[2]!.start);
    const forStaff = await book(alice, doctorA1.id, slotsA1[3]!.start);

    for (const appt of [forDoctor, forStaff]) {
      expectCode(
        await api.post<Problem>(`/v1/appointments/${appt.id}/cancel`, {}, alice.token),
        409,
        'too_late_to_cancel',
      );
    }
    const byDoctor = await api.post<Appointment>(
      `/v1/appointments/${forDoctor.id}/cancel`,
      { reason: 'doctor ill' },
      doctorA1.account.token,
    );
    expect(byDoctor.status).toBe(200);
    expect(byDoctor.body.status).toBe('cancelled');
    const byStaff = await api.post<Appointment>(`/v1/appointments/${forStaff.id}/cancel`, {}, staffA.token);
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.status).toBe('cancelled');

    const board = await slotsOn(hub, doctorA1.id, day1);
    expect(board.find((s) => s.start === slotsA1[2]!.start)!.status).toBe('free');
    expect(board.find((s) => s.start === slotsA1[3]!.start)!.status).toBe('free');
  });

  it("lists: staff see only their clinic's, filtered by date and doctor; a doctor sees only their own", async () => {
    const a1Day2 = await book(bob, doctorA1.id, slotsA1Day2[0]!.start);
    const a2 = await book(bob, doctorA2.id, (await slotsOn(hub, doctorA2.id, day1))[0]!.start);
    const b1 = await book(alice, doctorB1.id, (await slotsOn(hub, doctorB1.id, day1))[1]!.start);

    const ids = (page: { body: Page }) => page.body.items.map((a) => a.id).sort();
    const list = (token: string, query = '') => api.get<Page>(`/v1/appointments${query}`, token);

    const clinicA = await list(staffA.token);
    expect(clinicA.status).toBe(200);
    expect(clinicA.body.items.every((a) => a.clinicId === aliceAppt.clinicId)).toBe(true);
    expect(ids(clinicA)).toContain(aliceAppt.id);
    expect(ids(clinicA)).toContain(a1Day2.id);
    expect(ids(clinicA)).toContain(a2.id);
    expect(ids(clinicA)).not.toContain(b1.id);

    const onDay2 = await list(staffA.token, `?date=${day2}`);
    expect(ids(onDay2)).toEqual([a1Day2.id]);
    const ofA2 = await list(staffA.token, `?doctorId=${doctorA2.id}`);
    expect(ids(ofA2)).toEqual([a2.id]);
    const ofA1OnDay1 = await list(staffA.token, `?date=${day1}&doctorId=${doctorA1.id}&status=booked`);
    expect(ids(ofA1OnDay1)).toEqual([aliceAppt.id]);
    expect((await list(staffA.token, `?doctorId=${doctorB1.id}`)).body.items).toEqual([]);
    expect(ids(await list(staffB.token))).toEqual([b1.id]);

    const ownOfA1 = await list(doctorA1.account.token);
    expect(ownOfA1.body.items.length).toBeGreaterThan(0);
    expect(ownOfA1.body.items.every((a) => a.doctorId === doctorA1.id)).toBe(true);
    expect(ids(ownOfA1)).toContain(a1Day2.id);
    expect((await list(doctorA1.account.token, `?doctorId=${doctorA2.id}`)).body.items).toEqual([]);
    expect(ids(await list(doctorB1.account.token))).toEqual([b1.id]);

    const bobs = await list(bob.token);
    expect(bobs.body.items.every((a) => a.patientId === bob.id)).toBe(true);
    expect(ids(bobs)).toEqual([a1Day2.id, a2.id].sort());
  });
});
