// Loads stay hand-written: answering, never keeping, a load a forget overtook is undocumented in lru-cache's fetch.
import { LRUCache } from 'lru-cache';
import { notFound } from '../errors.js';
import type { Sql } from '../infra/postgres.js';
import { singleFlight } from '../infra/single-flight.js';
import * as store from './schedule.store.js';
import type { Interval } from './slot-generation.js';

const DAY = 86_400_000;
/** The furthest a doctor's horizon reaches (directory schemas cap horizonDays at 730), plus a margin. */
const TIME_OFF_AHEAD_MS = 732 * DAY;
/**
 * How long a remembered schedule serves slot checks. Bookings do not depend on it: they prove the version
 * when they write, and a refusal is confirmed against a fresh load (bookable-slot.ts). A hold placed on a
 * slot that another hub process just removed is refused when it is booked; this bounds how long such
 * holds can still be placed.
 */
const FRESH_MS = 30_000;
/** Doctors remembered at once, least recently used dropped first. */
const MAX_DOCTORS = 10_000;

export type SlotSchedule = store.DoctorSchedule & { timeOff: Interval[] };
/** Reads one doctor's schedule with its time off from `now` − 1 day on; undefined for an unknown doctor. */
export type LoadSchedule = (doctorId: string, now: number) => Promise<SlotSchedule | undefined>;

/** The loader the hub uses: one query (schedule.store findSchedules). */
export const loadFrom =
  (sql: Sql): LoadSchedule =>
  async (doctorId, now) => {
    const [found] = await store.findSchedules(sql, [doctorId], {
      start: now - DAY,
      end: now + TIME_OFF_AHEAD_MS,
    });
    return found;
  };

/**
 * Each doctor's schedule and coming time off, kept in memory for slot checks: a hold or booking checks
 * its slot without a query. Concurrent loads of one doctor share one query.
 */
export class SlotScheduleCache {
  private readonly entries = new LRUCache<string, SlotSchedule>({ max: MAX_DOCTORS, ttl: FRESH_MS });
  private readonly sharedLoad = singleFlight<string, SlotSchedule | undefined>();
  /**
   * Per doctor, how many times it was forgotten. A load started before a `forget` may have read what was
   * just changed: it is neither joined by later callers (the generation is part of the shared key) nor
   * kept.
   */
  private readonly generations = new LRUCache<string, number>({ max: MAX_DOCTORS });

  constructor(private readonly load: LoadSchedule) {}

  /** The doctor's schedule, and whether it came from memory (so may be up to FRESH_MS old). */
  async get(doctorId: string): Promise<{ schedule: SlotSchedule; fromMemory: boolean }> {
    const hit = this.entries.get(doctorId);
    if (hit) return { schedule: hit, fromMemory: true };
    const generation = this.generations.get(doctorId) ?? 0;
    const loadedAt = Date.now();
    const schedule = await this.sharedLoad(`${doctorId} ${generation}`, () => this.load(doctorId, loadedAt));
    if (!schedule) throw notFound('Doctor');
    // Fresh for FRESH_MS from when the read began. (A ttl of 0 would mean "never stale".)
    const ttl = FRESH_MS - (Date.now() - loadedAt);
    if (ttl > 0 && (this.generations.get(doctorId) ?? 0) === generation)
      this.entries.set(doctorId, schedule, { ttl });
    return { schedule, fromMemory: false };
  }

  /** Drops what is remembered of the doctor, and any load of it still under way. */
  forget(doctorId: string): void {
    this.entries.delete(doctorId);
    this.generations.set(doctorId, (this.generations.get(doctorId) ?? 0) + 1);
  }
}
