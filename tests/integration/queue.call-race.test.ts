import { describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import { deskScene, MINUTE, slotOf } from '../helpers/front-desk.js';
import { createAccount, useTestApi } from '../helpers/harness.js';

/** A doctor sees one patient at a time, however many desks and the doctor themself call at once. */
describe('calling patients in at the same moment', () => {
  const { hub, api } = useTestApi();

  it('two desks calling next and the doctor starting two patients at once: one patient goes in, the rest hear doctor_busy', async () => {
    const { clinic, doctorId, doctor, desk, patients } = await deskScene(hub, 6);
    const secondDesk = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const base = slotOf(Date.now()) + 120 * MINUTE;
    for (const [i, p] of patients.entries()) {
      const booked = await api.post<Appointment>(
        '/v1/appointments',
        { doctorId, start: new Date(base + i * 30 * MINUTE).toISOString() },
        p.token,
      );
      expect(booked.status).toBe(201);
      expect((await api.post(`/v1/appointments/${booked.body.id}/check-in`, {}, desk.token)).status).toBe(
        200,
      );
    }

    for (let round = 0; round < 3; round++) {
      // The doctor starts the two who have waited longest in the list, while both desks call next.
      const waiting = await hub.sql<{ id: string }[]>`
        select id from appointments where doctor_id = ${doctorId} and status = 'checked_in' order by lower(during) desc`;
      const [last, beforeLast] = waiting.map((w) => w.id);
      const answers = await Promise.all([
        api.post(`/v1/doctors/${doctorId}/call-next`, {}, desk.token),
        api.post(`/v1/doctors/${doctorId}/call-next`, {}, secondDesk.token),
        api.post(`/v1/appointments/${last}/start`, {}, doctor.token),
        api.post(`/v1/appointments/${beforeLast}/start`, {}, doctor.token),
      ]);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      for (const a of answers.filter((x) => x.status !== 200))
        expect([a.status, a.body.code]).toEqual([409, 'doctor_busy']);
      const inside = await hub.sql<{ id: string }[]>`
        select id from appointments where doctor_id = ${doctorId} and status = 'in_consultation'`;
      expect(inside).toHaveLength(1);
      expect((await api.post(`/v1/appointments/${inside[0]!.id}/complete`, {}, desk.token)).status).toBe(200);
    }
  });
});
