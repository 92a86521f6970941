import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { AROUND_THE_CLOCK, dateIn, slotsOn } from '../helpers/booking.js';
import { type TestAccount, useTestApi } from '../helpers/harness.js';
import { expectProblem, type Problem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';

const ZONE = 'Europe/Berlin';
/** A clinic-local wall time as an instant with the clinic's offset, e.g. 2026-05-01T10:00:00+02:00. */
const local = (date: string, time: string) =>
  Temporal.PlainDateTime.from(`${date}T${time}`)
    .toZonedDateTime(ZONE)
    .toString({ timeZoneName: 'never', smallestUnit: 'second' });

describe('patients and doctors send the booking endpoints times and ids that make no sense', () => {
  const { hub, api } = useTestApi();
  let doctorId: string;
  let doctor: TestAccount;
  let patient: TestAccount;
  const date = dateIn(3);

  beforeAll(async () => {
    // Open around the clock, so "soon" always has a slot boundary however late the tests run.
    ({ doctorId, doctor, patient } = await scene(hub, { doctor: { hours: AROUND_THE_CLOCK } }));
  });

  const book = (body: unknown) => api.post<Problem>('/v1/appointments', body, patient.token);
  const hold = (body: unknown) => api.post<Problem>('/v1/holds', body, patient.token);

  it('refuses starts that are not bookable slots, naming body.start, for holds and bookings alike', async () => {
    const soon = Temporal.Now.zonedDateTimeISO(ZONE)
      .add({ minutes: 5 })
      .round({ smallestUnit: 'minute', roundingIncrement: 30, roundingMode: 'ceil' })
      .toString({ timeZoneName: 'never', smallestUnit: 'second' });
    const cases: [string, string, RegExp][] = [
      ['off the slot grid', local(date, '08:10'), /not the start of a slot/],
      ['in the past', local(dateIn(-1), '10:00'), /past/],
      ['inside the minimum notice', soon, /at least 60 minutes/],
      ['beyond the horizon', local(dateIn(91), '10:00'), /horizon/],
      ['without an offset', `${date}T10:00:00`, /offset/],
      ['not a timestamp at all', 'tomorrow at ten', /ISO 8601/],
    ];
    for (const [what, start, message] of cases) {
      for (const send of [book, hold]) {
        const res = await send({ doctorId, start });
        expectProblem(res, 400, 'validation_failed', 'body.start');
        expect(res.body.errors?.find((e) => e.path === 'body.start')?.message, what).toMatch(message);
      }
    }
    // The control: a real slot well inside the window is fine.
    expect((await book({ doctorId, start: local(dateIn(89), '10:00') })).status).toBe(201);
    expect(await hub.sql`select id from appointments where patient_id = ${patient.id}`).toHaveLength(1);
  });

  it('refuses a calendar day that does not exist instead of rolling it into the next month', async () => {
    // The 31st of a 30-day month inside the horizon: Date.parse would read it as the 1st of the next.
    let first = Temporal.PlainDate.from(dateIn(3)).with({ day: 1 }).add({ months: 1 });
    while (first.subtract({ days: 1 }).day === 31) first = first.add({ months: 1 });
    const lastDay = first.subtract({ days: 1 });
    // 10:30: the control above books 10:00 on dateIn(89), which some days of the year is this `first`.
    const missing = local(first.toString(), '10:30').replace(
      first.toString(),
      `${lastDay.toString().slice(0, 8)}31`,
    );
    expect(missing).toMatch(/-31T10:30:00[+-]/);

    expectProblem(await book({ doctorId, start: missing }), 400, 'validation_failed', 'body.start');
    expectProblem(await hold({ doctorId, start: missing }), 400, 'validation_failed', 'body.start');
    expect(
      (await slotsOn(hub, doctorId, first.toString())).find((s) => s.start.includes('T10:30'))?.status,
    ).toBe('free');
  });

  it('refuses a reschedule to an impossible start, and leaves the appointment where it was', async () => {
    const [slot] = await slotsOn(hub, doctorId, dateIn(4));
    const appt = await api.post<{ id: string; start: string }>(
      '/v1/appointments',
      { doctorId, start: slot!.start },
      patient.token,
    );
    expect(appt.status).toBe(201);
    const path = `/v1/appointments/${appt.body.id}/reschedule`;
    expectProblem(
      await api.post<Problem>(path, { start: local(dateIn(4), '09:10') }, patient.token),
      400,
      'validation_failed',
      'body.start',
    );
    expectProblem(
      await api.post<Problem>(path, { start: `${dateIn(4)}T09:00:00` }, patient.token),
      400,
      'validation_failed',
      'body.start',
    );
    expectProblem(
      await api.post<Problem>(path, { holdId: 'not-a-uuid' }, patient.token),
      400,
      'validation_failed',
      'body.holdId',
    );
    expectProblem(await api.post<Problem>(path, {}, patient.token), 400, 'validation_failed', 'body');
    expect(
      (await api.get<{ start: string }>(`/v1/appointments/${appt.body.id}`, patient.token)).body.start,
    ).toBe(slot!.start);
  });

  it('refuses time off that ends before it starts, naming body.end', async () => {
    const base = `/v1/doctors/${doctorId}/time-off`;
    const res = await api.post<Problem>(
      base,
      { start: local(date, '12:00'), end: local(date, '11:00') },
      doctor.token,
    );
    expectProblem(res, 400, 'validation_failed', 'body.end');
    expectProblem(
      await api.post<Problem>(base, { start: local(date, '12:00'), end: local(date, '12:00') }, doctor.token),
      400,
      'validation_failed',
      'body.end',
    );
    expectProblem(
      await api.post<Problem>(base, { start: '12:00', end: local(date, '13:00') }, doctor.token),
      400,
      'validation_failed',
      'body.start',
    );
    expect(await hub.sql`select id from time_off where doctor_id = ${doctorId}`).toEqual([]);
  });

  it('answers 404 for a doctor that does not exist and 400 naming the id when it is not a UUID', async () => {
    const ghost = randomUUID();
    expectProblem(await book({ doctorId: ghost, start: local(date, '10:00') }), 404, 'not_found');
    expectProblem(await hold({ doctorId: ghost, start: local(date, '10:00') }), 404, 'not_found');
    expectProblem(
      await api.get<Problem>(`/v1/doctors/${ghost}/slots?from=${date}&to=${date}`),
      404,
      'not_found',
    );
    expectProblem(
      await api.put<Problem>(`/v1/doctors/${ghost}/availability`, { rules: [] }, doctor.token),
      404,
      'not_found',
    );

    expectProblem(
      await book({ doctorId: 'dr-who', start: local(date, '10:00') }),
      400,
      'validation_failed',
      'body.doctorId',
    );
    expectProblem(
      await hold({ doctorId: '12345', start: local(date, '10:00') }),
      400,
      'validation_failed',
      'body.doctorId',
    );
    expectProblem(
      await api.get<Problem>(`/v1/appointments/not-a-uuid`, patient.token),
      400,
      'validation_failed',
      'params.id',
    );
    expectProblem(
      await api.post<Problem>(`/v1/appointments/${ghost.slice(0, 30)}/cancel`, {}, patient.token),
      400,
      'validation_failed',
      'params.id',
    );
    expectProblem(
      await api.get<Problem>(`/v1/doctors/nope/slots?from=${date}&to=${date}`),
      400,
      'validation_failed',
      'params.id',
    );
    expectProblem(
      await api.delete<Problem>(`/v1/holds/not-a-hold`, patient.token),
      400,
      'validation_failed',
      'params.id',
    );
    expectProblem(
      await api.delete<Problem>(`/v1/doctors/${doctorId}/time-off/x`, doctor.token),
      400,
      'validation_failed',
      'params.timeOffId',
    );
  });

  it('refuses a holdId that is not a UUID, and a body that mixes both ways of booking', async () => {
    expectProblem(await book({ holdId: 'my-hold' }), 400, 'validation_failed', 'body.holdId');
    expectProblem(await book({ holdId: 42 }), 400, 'validation_failed', 'body.holdId');
    // An unknown but well-formed holdId is a hold that has gone.
    expectProblem(await book({ holdId: randomUUID() }), 410, 'hold_expired');

    const mixed = await book({ holdId: randomUUID(), doctorId, start: local(date, '10:00') });
    expectProblem(mixed, 400, 'validation_failed', 'body');
    expect(mixed.body.errors?.map((e) => e.message).join(' ')).toMatch(/holdId|doctorId/);
    expectProblem(await book({ holdId: randomUUID(), doctorId }), 400, 'validation_failed');
    expectProblem(await book({}), 400, 'validation_failed', 'body');
    expectProblem(
      await book({ doctorId, start: local(date, '10:00'), reason: 'x'.repeat(1001) }),
      400,
      'validation_failed',
      'body.reason',
    );
    expectProblem(await book({ doctorId, start: 1_777_000_000_000 }), 400, 'validation_failed', 'body.start');
    expect(
      await hub.sql`select id from appointments where lower(during) = ${new Date(Date.parse(local(date, '10:00')))}`,
    ).toEqual([]);
  });
});
