import { beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, dateIn, everyDay, slotsOn } from '../helpers/booking.js';
import {
  createAccount,
  createClinic,
  type TestAccount,
  type TestHub,
  useTestApi,
} from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';
import { doctorWithHours, patients } from '../helpers/scene.js';

type Answer = { status: number; body: Appointment & Problem };

/** Invariant 1, checked on the rows themselves: pairs of active appointments that overlap. */
async function overlappingPairs(hub: TestHub) {
  const doctors = await hub.sql<{ a: string; b: string }[]>`
    select a.id as a, b.id as b from appointments a
    join appointments b on a.doctor_id = b.doctor_id and a.id < b.id and a.during && b.during
    where a.status in ('booked', 'checked_in', 'in_consultation') and b.status in ('booked', 'checked_in', 'in_consultation')`;
  const patients = await hub.sql<{ a: string; b: string }[]>`
    select a.id as a, b.id as b from appointments a
    join appointments b on a.patient_id = b.patient_id and a.id < b.id and a.during && b.during
    where a.status in ('booked', 'checked_in', 'in_consultation') and b.status in ('booked', 'checked_in', 'in_consultation')`;
  return { doctors, patients };
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status);
const codes = (answers: Answer[]) =>
  answers.filter((a) => a.status !== 200 && a.status !== 201).map((a) => a.body.code);

describe('patients and staff race each other for the same slots and appointments', () => {
  const { hub, api } = useTestApi();
  let clinicId: string;

  beforeAll(async () => {
    clinicId = (await createClinic(hub)).id;
  });

  const newDoctor = () => doctorWithHours(hub, clinicId);
  const book = (patient: TestAccount, doctorId: string, start: string) =>
    api.post<Appointment & Problem>('/v1/appointments', { doctorId, start }, patient.token);

  it('200 patients book one slot at once: exactly one gets it, 199 hear 409, nothing breaks', async () => {
    const { id: doctorId } = await newDoctor();
    const date = dateIn(4);
    const [slot] = await slotsOn(hub, doctorId, date);
    const crowd = await patients(hub, 200);
    const answers = await Promise.all(crowd.map((p) => book(p, doctorId, slot!.start)));

    expect(statuses(answers).filter((s) => s >= 500)).toEqual([]);
    const winners = answers.filter((a) => a.status === 201);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(199);
    expect(codes(answers).filter((c) => c !== 'slot_taken' && c !== 'slot_held')).toEqual([]);

    const rows = await hub.sql<
      { patientId: string }[]
    >`select patient_id from appointments where doctor_id = ${doctorId}`;
    expect(rows).toEqual([{ patientId: winners[0]!.body.patientId }]);
    expect((await slotsOn(hub, doctorId, date))[0]!.status).toBe('booked');
    expect(await overlappingPairs(hub)).toEqual({ doctors: [], patients: [] });
  });

  it('a longer slot overlapping a booked shorter one cannot be booked after the rules change', async () => {
    const { id: doctorId, account: doctor } = await newDoctor();
    const date = dateIn(5);
    const thirty = await slotsOn(hub, doctorId, date);
    const first = thirty.find((s) => s.start.includes('T08:30:00'))!;
    const [alice, bob] = await patients(hub, 2);
    expect((await book(alice!, doctorId, first.start)).status).toBe(201);

    const weekly = everyDay({ slotMinutes: 45 });
    expect(
      (await api.put(`/v1/doctors/${doctorId}/availability`, { rules: weekly }, doctor.token)).status,
    ).toBe(200);

    const fortyFive = await slotsOn(hub, doctorId, date);
    // 08:00–08:45 and 08:45–09:30 both overlap the booked 08:30–09:00.
    const [early, late, free] = fortyFive;
    expect(early!.start).toContain('T08:00:00');
    expect(late!.start).toContain('T08:45:00');
    expect([early!.status, late!.status, free!.status]).toEqual(['booked', 'booked', 'free']);

    for (const slot of [early!, late!]) {
      const res = await book(bob!, doctorId, slot.start);
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.code).toBe('slot_taken');
    }
    const ok = await book(bob!, doctorId, free!.start);
    expect(ok.status).toBe(201);
    expect(ok.body.end).toContain('T10:15:00');
    expect(await overlappingPairs(hub)).toEqual({ doctors: [], patients: [] });
  });

  it('one patient books two doctors at the same time at once: one succeeds, the other is patient_busy', async () => {
    const [one, two] = await Promise.all([newDoctor(), newDoctor()]);
    const date = dateIn(6);
    const [slotOne] = await slotsOn(hub, one.id, date);
    const [slotTwo] = await slotsOn(hub, two.id, date);
    expect(slotOne!.start).toBe(slotTwo!.start);
    const [patient] = await patients(hub, 1);

    const answers = await Promise.all([
      book(patient!, one.id, slotOne!.start),
      book(patient!, two.id, slotTwo!.start),
    ]);

    expect(statuses(answers).sort()).toEqual([201, 409]);
    expect(codes(answers)).toEqual(['patient_busy']);
    const rows = await hub.sql`select id from appointments where patient_id = ${patient!.id}`;
    expect(rows).toHaveLength(1);
    expect(await overlappingPairs(hub)).toEqual({ doctors: [], patients: [] });
  });

  it('two patients reschedule into the same free slot at once: one moves, the other stays put', async () => {
    const { id: doctorId } = await newDoctor();
    const date = dateIn(7);
    const [a, b, target] = await slotsOn(hub, doctorId, date);
    const [alice, bob] = await patients(hub, 2);
    const first = await book(alice!, doctorId, a!.start);
    const second = await book(bob!, doctorId, b!.start);
    expect([first.status, second.status]).toEqual([201, 201]);

    const moveTo = (who: TestAccount, appt: Appointment) =>
      api.post<Appointment & Problem>(
        `/v1/appointments/${appt.id}/reschedule`,
        { start: target!.start },
        who.token,
      );
    const moves = await Promise.all([moveTo(alice!, first.body), moveTo(bob!, second.body)]);

    expect(statuses(moves).sort()).toEqual([200, 409]);
    expect(codes(moves)).toEqual(['slot_taken']);
    const winner = moves.find((m) => m.status === 200)!.body;
    expect(winner.start).toBe(target!.start);
    const loser = winner.id === first.body.id ? second.body : first.body;
    const loserNow = await api.get<Appointment>(
      `/v1/appointments/${loser.id}`,
      winner.id === first.body.id ? bob!.token : alice!.token,
    );
    expect(loserNow.body).toMatchObject({ start: loser.start, end: loser.end, status: 'booked' });

    const board = await slotsOn(hub, doctorId, date);
    expect(board.find((s) => s.start === target!.start)!.status).toBe('booked');
    expect(board.find((s) => s.start === loser.start)!.status).toBe('booked');
    expect(board.find((s) => s.start === (winner.id === first.body.id ? a : b)!.start)!.status).toBe('free');
    expect(await overlappingPairs(hub)).toEqual({ doctors: [], patients: [] });
  });

  it('the front desk checks a patient in while the patient cancels: exactly one of them wins, 20 times over', async () => {
    const { id: doctorId } = await newDoctor();
    const date = dateIn(8);
    const slots = (await slotsOn(hub, doctorId, date)).slice(0, 20);
    const [patient, staff] = await Promise.all([
      createAccount(hub, 'patient'),
      createAccount(hub, 'staff', { clinicId }),
    ]);
    const booked: Appointment[] = [];
    for (const slot of slots) {
      const res = await book(patient!, doctorId, slot.start);
      expect(res.status).toBe(201);
      booked.push(res.body);
    }

    const rounds = await Promise.all(
      booked.map(async (appt, i) => {
        const checkIn = () =>
          api.post<Appointment & Problem>(`/v1/appointments/${appt.id}/check-in`, undefined, staff!.token);
        const cancel = () =>
          api.post<Appointment & Problem>(
            `/v1/appointments/${appt.id}/cancel`,
            { reason: 'changed my mind' },
            patient!.token,
          );
        // Alternate who sends first, so both orders of arrival occur.
        const [checkedIn, cancelled] =
          i % 2 === 0
            ? await Promise.all([checkIn(), cancel()])
            : (await Promise.all([cancel(), checkIn()])).reverse();
        return { id: appt.id, checkedIn: checkedIn!, cancelled: cancelled! };
      }),
    );

    for (const { id, checkedIn, cancelled } of rounds) {
      const pair = [checkedIn.status, cancelled.status];
      expect(pair.sort(), JSON.stringify({ checkedIn: checkedIn.body, cancelled: cancelled.body })).toEqual([
        200, 409,
      ]);
      const loser = checkedIn.status === 409 ? checkedIn : cancelled;
      expect(['invalid_transition', 'too_late_to_cancel']).toContain(loser.body.code);
      const expected = checkedIn.status === 200 ? 'checked_in' : 'cancelled';
      // The winner's answer shows its own write.
      expect((checkedIn.status === 200 ? checkedIn : cancelled).body.status).toBe(expected);
      const [row] = await hub.sql<{ status: string }[]>`select status from appointments where id = ${id}`;
      expect(row!.status).toBe(expected);
      expect((await api.get<Appointment>(`/v1/appointments/${id}`, patient!.token)).body.status).toBe(
        expected,
      );
    }
    expect(await overlappingPairs(hub)).toEqual({ doctors: [], patients: [] });
  });

  it('once checked in, the patient can no longer cancel; the front desk still can', async () => {
    const { id: doctorId } = await newDoctor();
    const [slot] = await slotsOn(hub, doctorId, dateIn(9));
    const [patient, staff] = await Promise.all([
      createAccount(hub, 'patient'),
      createAccount(hub, 'staff', { clinicId }),
    ]);
    const appt = (await book(patient!, doctorId, slot!.start)).body;
    expect((await api.post(`/v1/appointments/${appt.id}/check-in`, undefined, staff!.token)).status).toBe(
      200,
    );

    const byPatient = await api.post<Problem>(`/v1/appointments/${appt.id}/cancel`, {}, patient!.token);
    expect(byPatient.status).toBe(409);
    expect(byPatient.body.code).toBe('invalid_transition');
    const byDesk = await api.post<Appointment>(`/v1/appointments/${appt.id}/cancel`, {}, staff!.token);
    expect(byDesk.status).toBe(200);
    expect(byDesk.body.status).toBe('cancelled');
  });
});
