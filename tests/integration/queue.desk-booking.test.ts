import { describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import { deskScene, MINUTE, slotOf } from '../helpers/front-desk.js';
import { createAccount, useTestApi } from '../helpers/harness.js';
import { expectProblem } from '../helpers/problems.js';

/** The desk books for people who phone in or walk in, through the same guards as any booking. */
describe('the front desk books for patients', () => {
  const { hub, api } = useTestApi();

  it('a walk-in registered at the desk later signs up with that email and finds the appointment theirs', async () => {
    const { clinic, doctorId, desk } = await deskScene(hub, 0);
    const email = `walk-in-${crypto.randomUUID()}@example.com`;
    const walkIn = await api.post<Appointment & { ticket: string }>(
      `/v1/clinics/${clinic.id}/walk-ins`,
      { doctorId, patient: { name: 'Wanda Walkin', phone: '+49 30 5550199', email } },
      desk.token,
    );
    expect(walkIn.status, JSON.stringify(walkIn.body)).toBe(201);
    expect(walkIn.body.ticket).toMatch(/^A-\d{3}$/);
    // No login yet: the record has no password.
    const login = await api.post('/v1/auth/login', { email, password: 'a-long-password' });
    expectProblem(login, 401, 'invalid_credentials');

    const signedUp = await api.post<{ user: { id: string; name: string }; accessToken: string }>(
      '/v1/auth/register',
      { email, password: 'a-long-password', name: 'Wanda W.' },
    );
    expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(201);
    expect(signedUp.body.user.id).toBe(walkIn.body.patientId);
    const mine = await api.get<{ items: Appointment[] }>('/v1/appointments', signedUp.body.accessToken);
    expect(mine.body.items.map((a) => a.id)).toEqual([walkIn.body.id]);
    // Registering again with that email is an ordinary clash now.
    expectProblem(
      await api.post('/v1/auth/register', { email, password: 'another-password', name: 'X' }),
      409,
      'email_taken',
    );
  });

  it('a phone caller known only by phone is not claimed by a registration with that phone', async () => {
    const { doctorId, desk } = await deskScene(hub, 0);
    const phone = `+49 30 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    const start = new Date(slotOf(Date.now()) + 180 * MINUTE).toISOString();
    const booked = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId, start, patient: { name: 'Carl Caller', phone } },
      desk.token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.status).toBe('booked');
    // Nothing proves a phone number is the registrant's: a new account, and the booking stays the desk's.
    const signedUp = await api.post<{ user: { id: string }; accessToken: string }>('/v1/auth/register', {
      email: `carl-${crypto.randomUUID()}@example.com`,
      password: 'a-long-password',
      name: 'Carl',
      phone,
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body.user.id).not.toBe(booked.body.patientId);
    const theirs = await api.get<{ items: Appointment[] }>('/v1/appointments', signedUp.body.accessToken);
    expect(theirs.body.items).toEqual([]);
  });

  it('an email of an account the clinic does not know is refused, not booked into', async () => {
    const { doctorId, desk, patient } = await deskScene(hub, 1);
    const start = new Date(slotOf(Date.now()) + 240 * MINUTE).toISOString();
    const res = await api.post(
      '/v1/appointments',
      { doctorId, start, patient: { name: 'Someone', email: patient.email } },
      desk.token,
    );
    expectProblem(res, 409, 'email_taken');
    expect(JSON.stringify(res.body)).not.toContain(patient.id);
    // Once the clinic has seen them (a booking by id), the same email finds them.
    expect(
      (await api.post('/v1/appointments', { doctorId, start, patientId: patient.id }, desk.token)).status,
    ).toBe(201);
    const later = new Date(slotOf(Date.now()) + 300 * MINUTE).toISOString();
    const again = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId, start: later, patient: { name: 'Someone', email: patient.email } },
      desk.token,
    );
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.patientId).toBe(patient.id);
  });

  it('books an existing patient by id; refuses another clinic’s doctor, a patient booking for someone, and a missing patient', async () => {
    const { doctorId, desk, patient } = await deskScene(hub, 1);
    const other = await deskScene(hub, 0);
    const start = (minutes: number) => new Date(slotOf(Date.now()) + minutes * MINUTE).toISOString();
    const byId = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId, start: start(150), patientId: patient.id },
      desk.token,
    );
    expect(byId.status, JSON.stringify(byId.body)).toBe(201);
    expect(byId.body.patientId).toBe(patient.id);
    // The same slot again: the constraint decides, as for anyone.
    const again = await api.post(
      '/v1/appointments',
      { doctorId, start: start(150), patient: { name: 'Late Caller' } },
      desk.token,
    );
    expectProblem(again, 409, 'slot_taken');
    expectProblem(
      await api.post(
        '/v1/appointments',
        { doctorId: other.doctorId, start: start(150), patientId: patient.id },
        desk.token,
      ),
      404,
      'not_found',
    );
    expectProblem(
      await api.post(
        '/v1/appointments',
        { doctorId, start: start(210), patientId: patient.id },
        patient.token,
      ),
      403,
      'forbidden',
    );
    expectProblem(
      await api.post(
        '/v1/appointments',
        { doctorId, start: start(210), patientId: crypto.randomUUID() },
        desk.token,
      ),
      404,
      'not_found',
    );
    // Staff name the patient: without one it is a bad request, not a booking for the desk itself.
    expectProblem(
      await api.post('/v1/appointments', { doctorId, start: start(210) }, desk.token),
      400,
      'validation_failed',
    );
    // A doctor's account is not a patient the desk may book.
    const doctor = await createAccount(hub, 'doctor');
    expectProblem(
      await api.post('/v1/appointments', { doctorId, start: start(210), patientId: doctor.id }, desk.token),
      404,
      'not_found',
    );
  });
});
