import { notFound } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { singleFlight } from '../infra/single-flight.js';
import * as store from './schedule.store.js';
import type { Interval } from './slots.js';

/** A slot a doctor offers, and the schedule version it was found in (see migrations/0009). */
export interface BookableSlot extends Interval {
  scheduleVersion: number;
}

type SlotSchedule = store.DoctorSchedule & { timeOff: Interval[] };

const DAY = 86_400_000;
/** The furthest a doctor's horizon reaches (directory schemas cap horizonDays at 730), plus a margin. */
const TIME_OFF_AHEAD_MS = 732 * DAY;
/**
 * How long a remembered schedule serves hold checks. Bookings do not depend on it: they prove the version
 * when they write. A hold placed on a slot that a change made in another hub process just removed is
 * refused when it is booked; this bounds how long such holds can still be placed.
 */
const FRESH_MS = 30_000;
/** Doctors remembered at once, least recently loaded dropped first. */
const MAX_DOCTORS = 10_000;

/**
 * Each doctor's schedule and coming time off, kept in memory for slot checks: a hold or booking checks
 * its slot without a query. Concurrent misses for one doctor share one load.
 */
export class SlotScheduleCache {
  private readonly entries = new Map<string, { loadedAt: number; schedule: SlotSchedule }>();
  private readonly sharedLoad = singleFlight<string, SlotSchedule | undefined>();
  /** Counts `forget` calls: a load that overlapped one may have read what was just changed. */
  private forgets = 0;

  constructor(private readonly sql: Sql) {}

  async get(doctorId: string): Promise<SlotSchedule> {
    const hit = this.entries.get(doctorId);
    if (hit && Date.now() - hit.loadedAt < FRESH_MS) return hit.schedule;
    const loadedAt = Date.now();
    const forgetsBefore = this.forgets;
    const schedule = await this.sharedLoad(doctorId, async () => {
      const [found] = await store.findSchedules(this.sql, [doctorId], {
        start: loadedAt - DAY,
        end: loadedAt + TIME_OFF_AHEAD_MS,
      });
      return found;
    });
    if (!schedule) throw notFound('Doctor');
    if (this.forgets !== forgetsBefore) return schedule;
    this.entries.delete(doctorId);
    this.entries.set(doctorId, { loadedAt, schedule });
    if (this.entries.size > MAX_DOCTORS) this.entries.delete(this.entries.keys().next().value!);
    return schedule;
  }

  forget(doctorId: string): void {
    this.forgets++;
    this.entries.delete(doctorId);
  }
}
