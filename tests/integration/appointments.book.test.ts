import { beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, dateIn, slotsOn } from '../helpers/booking.js';
import { type TestAccount, useTestApi } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

describe('a patient lists slots, holds one, books it, reschedules and cancels', () => {
  const { hub, api } = useTestApi();
  let doctorId: string;
  let patient: TestAccount;
  const date = dateIn(3);

  beforeAll(async () => {
    ({ doctorId, patient } = await scene(hub, { doctor: { feeCents: 7500, currency: 'EUR' } }));
  });

  it('shows 20 free half-hour slots on a day, in the clinic offset', async () => {
    const slots = await slotsOn(hub, doctorId, date);
    expect(slots).toHaveLength(20);
    expect(slots.every((s) => s.status === 'free')).toBe(true);
    expect(slots[0]!.start).toMatch(new RegExp(`^${date}T08:00:00\\+0[12]:00$`));
  });

  it('holds a slot, sees it as its own, books it with the hold; the fee is copied', async () => {
    const [slot] = await slotsOn(hub, doctorId, date);
    const hold = await api.post<{ holdId: string }>(
      '/v1/holds',
      { doctorId, start: slot!.start },
      patient.token,
    );
    expect(hold.status).toBe(201);

    const mine = await slotsOn(hub, doctorId, date, patient.token);
    expect(mine[0]).toMatchObject({ status: 'held', holdId: hold.body.holdId });
    const others = await slotsOn(hub, doctorId, date);
    expect(others[0]).toEqual({ start: slot!.start, end: slot!.end, status: 'held' });

    const booked = await api.post<Appointment>(
      '/v1/appointments',
      { holdId: hold.body.holdId, reason: 'Persistent cough' },
      patient.token,
    );
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      start: slot!.start,
      status: 'booked',
      feeCents: 7500,
      currency: 'EUR',
      reason: 'Persistent cough',
    });

    expect((await slotsOn(hub, doctorId, date))[0]!.status).toBe('booked');
    const list = await api.get<{ items: Appointment[] }>('/v1/appointments', patient.token);
    expect(list.body.items.map((a) => a.id)).toContain(booked.body.id);

    // The reason is stored encrypted, never in clear text.
    const [row] = await hub.sql<
      { reasonCiphertext: Buffer }[]
    >`select reason_ciphertext from appointments where id = ${booked.body.id}`;
    expect(row!.reasonCiphertext.toString('utf8')).not.toContain('cough');
  });

  it('reschedules to another slot atomically and cancels', async () => {
    const slots = await slotsOn(hub, doctorId, date);
    const free = slots.filter((s) => s.status === 'free');
    const booked = await api.post<Appointment>(
      '/v1/appointments',
      { doctorId, start: free[0]!.start },
      patient.token,
    );
    expect(booked.status).toBe(201);

    const moved = await api.post<Appointment>(
      `/v1/appointments/${booked.body.id}/reschedule`,
      { start: free[1]!.start },
      patient.token,
    );
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe(free[1]!.start);
    const after = await slotsOn(hub, doctorId, date);
    expect(after.find((s) => s.start === free[0]!.start)!.status).toBe('free');
    expect(after.find((s) => s.start === free[1]!.start)!.status).toBe('booked');

    const cancelled = await api.post<Appointment>(
      `/v1/appointments/${booked.body.id}/cancel`,
      { reason: 'feeling better' },
      patient.token,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await slotsOn(hub, doctorId, date)).find((s) => s.start === free[1]!.start)!.status).toBe('free');
  });

  it('writes every change to the outbox in the same transaction', async () => {
    const events = await hub.sql<{ type: string; room: string }[]>`select type, room from events order by id`;
    const types = events.map((e) => e.type);
    expect(types).toContain('slot.booked');
    expect(types).toContain('appointment.booked');
    expect(types).toContain('appointment.rescheduled');
    expect(types).toContain('appointment.cancelled');
    const publicEvents = await hub.sql<
      { data: unknown }[]
    >`select data from events where room = ${`slots:${doctorId}`}`;
    expect(JSON.stringify(publicEvents)).not.toContain(patient.id);
  });
});
