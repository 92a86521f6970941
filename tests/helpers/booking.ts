import { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import type { Hub } from '../../src/hub.js';
import type { WeeklyRule } from '../../src/schedule/slot-generation.js';
import { client, type TestAccount } from './harness.js';

/** A doctor's weekly hours: one rule per opening (weekday, start, end, slot length). */
export type Hours = WeeklyRule[];

/** The same hours on every day of the week (default 08:00–18:00 in 30-minute slots). */
export function everyDay({
  start = '08:00',
  end = '18:00',
  slotMinutes = 30,
}: Partial<Omit<WeeklyRule, 'weekday'>> = {}): Hours {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end, slotMinutes }));
}

/** Every day 08:00–18:00 in 30-minute slots. */
export const ALL_WEEK: Hours = everyDay();

/** Open around the clock in 30-minute slots, so "soon" always has a slot boundary however late a test runs. */
export const AROUND_THE_CLOCK: Hours = everyDay({ start: '00:00', end: '24:00' });

/** An appointment as the API shows it. */
export interface Appointment {
  id: string;
  doctorId: string;
  patientId: string;
  clinicId: string;
  start: string;
  end: string;
  status: string;
  feeCents: number;
  currency: string;
  reason?: string;
}

/** A local date `days` from today in the zone. */
export function dateIn(days: number, timeZone = 'Europe/Berlin'): string {
  return Temporal.Now.plainDateISO(timeZone).add({ days }).toString();
}

export interface SlotView {
  start: string;
  end: string;
  status: 'free' | 'held' | 'booked';
  holdId?: string;
}

/** The slot board of a doctor for one local date. */
export async function slotsOn(hub: Hub, doctorId: string, date: string, token?: string): Promise<SlotView[]> {
  const res = await client(hub).get<{ slots: SlotView[] }>(
    `/v1/doctors/${doctorId}/slots?from=${date}&to=${date}`,
    token,
  );
  if (res.status !== 200) throw new Error(`slots: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.slots;
}

/** Sets weekly rules through the service, as the doctor would. */
export async function setAvailability(
  hub: Hub,
  doctorId: string,
  rules: Hours = ALL_WEEK,
  bufferMinutes = 0,
) {
  await hub.sql`delete from availability_rules where doctor_id = ${doctorId}`;
  await hub.sql`insert into availability_rules ${hub.sql(
    rules.map((r) => ({
      doctorId,
      weekday: r.weekday,
      startTime: r.start,
      endTime: r.end,
      slotMinutes: r.slotMinutes,
    })),
  )}`;
  await hub.sql`update doctors set buffer_minutes = ${bufferMinutes} where id = ${doctorId}`;
}

/**
 * The patient books `start` (an instant, or epoch ms) with the doctor, which must succeed (201); the
 * appointment as answered.
 */
export async function bookSlot(
  hub: { url: string },
  patient: TestAccount,
  doctorId: string,
  start: string | number,
  reason?: string,
): Promise<Appointment> {
  const res = await client(hub).post<Appointment>(
    '/v1/appointments',
    { doctorId, start: typeof start === 'number' ? new Date(start).toISOString() : start, reason },
    patient.token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
