import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { dateIn, setAvailability, slotsOn } from '../helpers/booking.js';
import { type TestAccount, useTestApi } from '../helpers/harness.js';
import { errorPaths, type Problem } from '../helpers/problems.js';
import { scene } from '../helpers/scene.js';

type Rule = { weekday: number; start: string; end: string; slotMinutes: number };
type Availability = {
  doctorId: string;
  timezone: string;
  bufferMinutes: number;
  rules: (Rule & { validFrom: string | null; validTo: string | null })[];
};
type Board = { revision: string; slots: { start: string; end: string; status: string }[] };

const weekdayOf = (date: string) => Temporal.PlainDate.from(date).dayOfWeek;

describe('a doctor shapes their week and patients see the slots follow', () => {
  const { hub, api } = useTestApi();
  let doctorId: string;
  let doctor: TestAccount;
  let patient: TestAccount;

  beforeAll(async () => {
    ({ doctorId, doctor, patient } = await scene(hub));
  });

  const put = (rules: unknown[], extra: Record<string, unknown> = {}) =>
    api.put<Availability & Problem>(
      `/v1/doctors/${doctorId}/availability`,
      { rules, ...extra },
      doctor.token,
    );
  const board = async (from: string, to = from) => {
    const res = await api.get<Board>(`/v1/doctors/${doctorId}/slots?from=${from}&to=${to}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const rule = (overrides: Partial<Rule> = {}): Rule => ({
    weekday: 1,
    start: '09:00',
    end: '12:00',
    slotMinutes: 30,
    ...overrides,
  });

  it('refuses impossible weekly rules with 400 naming the field', async () => {
    const cases: [unknown[], string][] = [
      [[rule({ start: '12:00', end: '09:00' })], 'body.rules.0.end'],
      [[rule({ start: '10:00', end: '10:00' })], 'body.rules.0.end'],
      [[rule(), rule({ start: '11:30', end: '14:00' })], 'body.rules.1'],
      [[rule({ slotMinutes: 3 })], 'body.rules.0.slotMinutes'],
      [[rule({ slotMinutes: 300 })], 'body.rules.0.slotMinutes'],
      [[rule({ slotMinutes: 7.5 })], 'body.rules.0.slotMinutes'],
      [[rule({ weekday: 8 })], 'body.rules.0.weekday'],
      [[rule({ weekday: 0 })], 'body.rules.0.weekday'],
      [[rule({ start: '25:00' })], 'body.rules.0.start'],
      [[rule({ end: '9:00' })], 'body.rules.0.end'],
      [[rule(), rule({ weekday: 2 }), { ...rule(), color: 'red' }], 'body.rules.2.color'],
    ];
    for (const [rules, path] of cases) {
      const res = await put(rules);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res.body), JSON.stringify(rules)).toContain(path);
    }
    // Touching hours on one weekday, or the same hours on two weekdays, are fine.
    const ok = await put([rule(), rule({ start: '12:00', end: '13:00' }), rule({ weekday: 2 })]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('a valid PUT replaces the rules and tells the slot room in the outbox', async () => {
    const before = await hub.sql<
      { id: string }[]
    >`select id from events where room = ${`slots:${doctorId}`} order by id`;
    const date = dateIn(5);
    const res = await put(
      [rule({ weekday: weekdayOf(date), start: '14:00', end: '16:00', slotMinutes: 40 })],
      { bufferMinutes: 5 },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ doctorId, timezone: 'Europe/Berlin', bufferMinutes: 5 });
    expect(res.body.rules).toEqual([
      {
        weekday: weekdayOf(date),
        start: '14:00',
        end: '16:00',
        slotMinutes: 40,
        validFrom: null,
        validTo: null,
      },
    ]);
    expect((await api.get<Availability>(`/v1/doctors/${doctorId}/availability`)).body.rules).toHaveLength(1);

    const after = await hub.sql<{ id: string; type: string; data: { doctorId: string } }[]>`
      select id, type, data from events where room = ${`slots:${doctorId}`} order by id`;
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ type: 'availability.changed', data: { doctorId } });

    // 14:00–14:40, buffer, 14:45–15:25; 15:30–16:10 would run past 16:00.
    const { slots } = await board(date);
    expect(slots.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16)])).toEqual([
      ['14:00', '14:40'],
      ['14:45', '15:25'],
    ]);
    expect((await board(dateIn(6))).slots).toEqual([]);
  });

  it('the revision holds still between identical reads and moves with availability, holds and bookings', async () => {
    await setAvailability(hub, doctorId);
    const date = dateIn(4);
    const r0 = (await board(date)).revision;
    expect((await board(date)).revision).toBe(r0);

    expect((await put([rule({ weekday: weekdayOf(date), start: '08:00', end: '12:00' })])).status).toBe(200);
    const r1 = (await board(date)).revision;
    expect(r1).not.toBe(r0);
    expect((await board(date)).revision).toBe(r1);

    const [first, second] = (await board(date)).slots;
    const hold = await api.post<{ holdId: string }>(
      '/v1/holds',
      { doctorId, start: first!.start },
      patient.token,
    );
    expect(hold.status).toBe(201);
    const r2 = (await board(date)).revision;
    expect(r2).not.toBe(r1);
    expect((await board(date)).revision).toBe(r2);

    expect(
      (await api.post('/v1/appointments', { doctorId, start: second!.start }, patient.token)).status,
    ).toBe(201);
    const r3 = (await board(date)).revision;
    expect(r3).not.toBe(r2);
    expect((await board(date)).revision).toBe(r3);

    expect((await api.delete(`/v1/holds/${hold.body.holdId}`, patient.token)).status).toBe(204);
    const r4 = (await board(date)).revision;
    expect([r0, r1, r2, r3]).not.toContain(r4);
  });

  it('time off removes the slots it covers, and deleting it brings them back', async () => {
    await setAvailability(hub, doctorId);
    const date = dateIn(7);
    const all = await slotsOn(hub, doctorId, date);
    expect(all).toHaveLength(20);
    // 10:15–11:15 local touches 10:00–10:30, 10:30–11:00 and 11:00–11:30.
    const start = all.find((s) => s.start.includes('T10:00:00'))!.start.replace('T10:00', 'T10:15');
    const end = start.replace('T10:15', 'T11:15');

    const created = await api.post<{ id: string; start: string; end: string; reason: string | null }>(
      `/v1/doctors/${doctorId}/time-off`,
      { start, end, reason: 'conference' },
      doctor.token,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ start, end, reason: 'conference' });

    const during = await slotsOn(hub, doctorId, date);
    expect(during).toHaveLength(17);
    const gone = all
      .filter((s) => !during.some((d) => d.start === s.start))
      .map((s) => s.start.slice(11, 16));
    expect(gone).toEqual(['10:00', '10:30', '11:00']);
    const listed = await api.get<{ items: { id: string }[] }>(
      `/v1/doctors/${doctorId}/time-off`,
      doctor.token,
    );
    expect(listed.body.items.map((t) => t.id)).toContain(created.body.id);
    // A slot in the time off cannot be booked either.
    const refused = await api.post<Problem>(
      '/v1/appointments',
      { doctorId, start: all.find((s) => s.start.includes('T10:30'))!.start },
      patient.token,
    );
    expect(refused.status).toBe(400);
    expect(errorPaths(refused.body)).toEqual(['body.start']);

    expect(
      (await api.delete(`/v1/doctors/${doctorId}/time-off/${created.body.id}`, doctor.token)).status,
    ).toBe(204);
    expect(await slotsOn(hub, doctorId, date)).toEqual(all);
    expect(
      (await api.delete<Problem>(`/v1/doctors/${doctorId}/time-off/${created.body.id}`, doctor.token)).status,
    ).toBe(404);
  });

  it('refuses slot ranges that are backwards, too long or not real dates, naming the parameter', async () => {
    const from = dateIn(2);
    const plus = (days: number) => Temporal.PlainDate.from(from).add({ days }).toString();
    const cases: [string, string][] = [
      [`from=${plus(3)}&to=${from}`, 'query.to'],
      [`from=${from}&to=${plus(62)}`, 'query.to'],
      [`from=${from}&to=${plus(400)}`, 'query.to'],
      ['from=2026-02-30&to=2026-03-02', 'query.from'],
      ['from=2026-03-01&to=2026-02-30', 'query.to'],
      ['from=2026-3-1&to=2026-03-02', 'query.from'],
      [`to=${from}`, 'query.from'],
      [`from=${from}&to=${from}&extra=1`, 'query.extra'],
    ];
    for (const [query, path] of cases) {
      const res = await api.get<Problem>(`/v1/doctors/${doctorId}/slots?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res.body), query).toContain(path);
    }
    // 62 days inclusive is the longest range allowed.
    expect((await api.get(`/v1/doctors/${doctorId}/slots?from=${from}&to=${plus(61)}`)).status).toBe(200);
  });
});
