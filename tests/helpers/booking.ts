import { Temporal } from 'temporal-polyfill';
import type { Hub } from '../../src/hub.js';
import type { WeeklyRule } from '../../src/schedule/slots.js';
import { client } from './harness.js';

/** Every day 08:00–18:00 in 30-minute slots. */
export const ALL_WEEK: WeeklyRule[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  start: '08:00',
  end: '18:00',
  slotMinutes: 30,
}));

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
  rules: WeeklyRule[] = ALL_WEEK,
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
