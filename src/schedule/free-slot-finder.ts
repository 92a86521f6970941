import { Temporal } from 'temporal-polyfill';
import type { Sql } from '../infra/postgres.js';
import { chooseType, shapeInput, slotShape } from './appointment-types.js';
import type { HeldSlots } from './held-slots.js';
import * as store from './schedule.store.js';
import { generateSlots, type HoldInterval, type Interval, localDateRange } from './slot-generation.js';
import { localDateOf } from './zone-offsets.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far `nextAvailable` looks ahead (never past a doctor's own horizon). */
export const NEXT_AVAILABLE_DAYS = 62;

interface Loaded {
  schedule: store.DoctorSchedule;
  timeOff: Interval[];
  booked: Interval[];
  holds: HoldInterval[];
}

/**
 * Free-slot questions over many doctors at once, for directory pages: one query per kind of data for
 * the whole page (schedules, time off, appointments) and one Redis round trip per doctor's holds
 * (auto-pipelined), then the pure slot generator per doctor. No per-doctor slot queries.
 */
export function createFreeSlotFinder({ sql, holds }: { sql: Sql; holds: HeldSlots }) {
  async function load(doctorIds: readonly string[], range: Interval): Promise<Loaded[]> {
    if (doctorIds.length === 0) return [];
    const [schedules, timeOff, booked, live] = await Promise.all([
      store.findSchedules(sql, doctorIds),
      store.timeOffOf(sql, doctorIds, range),
      store.bookedOf(sql, doctorIds, range),
      Promise.all(doctorIds.map((id) => holds.listForDoctor(id, range.start, range.end))),
    ]);
    const holdsByDoctor = new Map(doctorIds.map((id, i) => [id, live[i]!]));
    return schedules.map((schedule) => ({
      schedule,
      timeOff: timeOff.get(schedule.doctorId) ?? [],
      booked: booked.get(schedule.doctorId) ?? [],
      holds: (holdsByDoctor.get(schedule.doctorId) ?? []).map((h) => ({ ...h, holderId: h.patientId })),
    }));
  }

  /** Free slots of the doctor's default type. */
  function freeSlots(d: Loaded, from: string, to: string, now: number) {
    return generateSlots({
      rules: d.schedule.rules,
      timeZone: d.schedule.timezone,
      from,
      to,
      ...shapeInput(slotShape(chooseType(d.schedule.types, undefined), d.schedule.bufferMinutes)),
      timeOff: d.timeOff,
      booked: d.booked,
      holds: d.holds,
      notBefore: now + d.schedule.minNoticeMinutes * MINUTE,
      notAfter: now + d.schedule.horizonDays * DAY,
    }).filter((s) => s.status === 'free');
  }

  return {
    /** The first free slot start of each doctor within NEXT_AVAILABLE_DAYS, or null. */
    async nextAvailable(doctorIds: readonly string[], now = Date.now()): Promise<Map<string, number | null>> {
      const loaded = await load(doctorIds, { start: now, end: now + (NEXT_AVAILABLE_DAYS + 1) * DAY });
      const out = new Map<string, number | null>(doctorIds.map((id) => [id, null]));
      for (const d of loaded) {
        if (d.schedule.rules.length === 0) continue;
        const days = Math.min(NEXT_AVAILABLE_DAYS, d.schedule.horizonDays + 1);
        const today = Temporal.PlainDate.from(localDateOf(now, d.schedule.timezone));
        // Chunks of 1, 2, 4, … days: most doctors have a free slot today or tomorrow, so most searches
        // generate a day or two, while a fully booked month still takes only a handful of calls.
        for (let offset = 0, size = 1; offset < days; offset += size, size *= 2) {
          const from = today.add({ days: offset });
          const to = today.add({ days: Math.min(offset + size, days) - 1 });
          const first = freeSlots(d, from.toString(), to.toString(), now)[0];
          if (first) {
            out.set(d.schedule.doctorId, first.start);
            break;
          }
        }
      }
      return out;
    },

    /** The doctors (of those given) with at least one free slot on a clinic-local date. */
    async withFreeSlotOn(doctorIds: readonly string[], date: string, now = Date.now()): Promise<Set<string>> {
      // Local dates of different zones span at most ±14 h around UTC midnight: load a wide enough range.
      const utc = localDateRange(date, date, 'UTC');
      const loaded = await load(doctorIds, { start: utc.start - DAY, end: utc.end + DAY });
      return new Set(
        loaded.filter((d) => freeSlots(d, date, date, now).length > 0).map((d) => d.schedule.doctorId),
      );
    },
  };
}
export type FreeSlotFinder = ReturnType<typeof createFreeSlotFinder>;
