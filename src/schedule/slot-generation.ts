import { Temporal } from 'temporal-polyfill';
import { steadyOffsetOn } from './zone-offsets.js';

/**
 * Slot generation: a pure function from weekly rules in a clinic's local time to bookable instants.
 * No I/O here. All instants are epoch milliseconds; intervals are half-open [start, end).
 */

/** A weekly rule in the clinic's wall-clock time. weekday: ISO 1 = Monday … 7 = Sunday. */
export interface WeeklyRule {
  weekday: number;
  /** "HH:MM", local. */
  start: string;
  /** "HH:MM", local; "24:00" means midnight at the end of the day. */
  end: string;
  slotMinutes: number;
  /** Inclusive local dates bounding when the rule applies. */
  validFrom?: string | null | undefined;
  validTo?: string | null | undefined;
}

export interface Interval {
  start: number;
  end: number;
}

export interface HoldInterval extends Interval {
  holdId: string;
  holderId: string;
}

export type SlotStatus = 'free' | 'held' | 'booked';

export interface Slot extends Interval {
  status: SlotStatus;
  /** Set on held slots, so the holder can be told the hold is theirs. */
  hold?: { holdId: string; holderId: string };
}

export interface SlotInput {
  rules: readonly WeeklyRule[];
  timeZone: string;
  /** First and last local date, inclusive ("YYYY-MM-DD"). */
  from: string;
  to: string;
  /** Gap left after each slot before the next one starts. */
  bufferMinutes?: number;
  /** An appointment type's length, in place of every rule's slotMinutes. */
  slotMinutes?: number;
  /**
   * Minutes after a slot that must also be clear of bookings (an appointment type's buffer after it), so
   * that a slot is free only where its whole length and buffer fit between other types' bookings.
   */
  trailingMinutes?: number;
  /** Time off: slots overlapping it do not exist. */
  timeOff?: readonly Interval[];
  /** Active appointments: overlapping slots are `booked`. */
  booked?: readonly Interval[];
  /** Live holds: overlapping slots (not booked) are `held`. */
  holds?: readonly HoldInterval[];
  /** Slots starting before this instant (now + minimum notice) are left out. */
  notBefore?: number;
  /** Slots starting at or after this instant (the booking horizon) are left out. */
  notAfter?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
const dayNumber = (iso: string) =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;

export function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function zoned(
  date: Temporal.PlainDate,
  minuteOfDay: number,
  timeZone: string,
  disambiguation: 'earlier' | 'later',
) {
  const day = minuteOfDay >= 1440 ? date.add({ days: 1 }) : date;
  const m = minuteOfDay % 1440;
  return Temporal.ZonedDateTime.from(
    { timeZone, year: day.year, month: day.month, day: day.day, hour: Math.floor(m / 60), minute: m % 60 },
    { disambiguation },
  );
}

/** Slot starts of one rule on a local date when an offset change falls on it (Temporal handles it). */
function ruleSlots(
  date: Temporal.PlainDate,
  rule: WeeklyRule,
  timeZone: string,
  stepMinutes: number,
): Interval[] {
  const startMin = parseClock(rule.start);
  const endMin = parseClock(rule.end);
  const length = rule.slotMinutes * MINUTE;
  // On a fall-back day a window ending inside the repeated hour covers all of it.
  const endMs = zoned(date, endMin, timeZone, 'later').epochMilliseconds;
  const out: Interval[] = [];
  // Walk the local grid: a local time that does not exist (spring forward) is skipped; one that
  // exists twice (fall back) yields both instants.
  for (let m = startMin; m + rule.slotMinutes <= endMin; m += stepMinutes) {
    const earlier = zoned(date, m, timeZone, 'earlier');
    const wall = earlier.toPlainDateTime();
    if (wall.hour * 60 + wall.minute !== m % 1440) continue;
    const later = zoned(date, m, timeZone, 'later');
    for (const z of earlier.epochMilliseconds === later.epochMilliseconds ? [earlier] : [earlier, later]) {
      const start = z.epochMilliseconds;
      if (start + length <= endMs) out.push({ start, end: start + length });
    }
  }
  return out;
}

/** The same on a date with one offset all day (every date but a handful): plain arithmetic. */
function steadyRuleSlots(
  localMidnight: number,
  offsetMs: number,
  rule: WeeklyRule,
  stepMinutes: number,
): Interval[] {
  const length = rule.slotMinutes * MINUTE;
  const first = localMidnight + parseClock(rule.start) * MINUTE - offsetMs;
  const endMs = localMidnight + parseClock(rule.end) * MINUTE - offsetMs;
  const out: Interval[] = [];
  for (let t = first; t + length <= endMs; t += stepMinutes * MINUTE) out.push({ start: t, end: t + length });
  return out;
}

function appliesOn(rule: WeeklyRule, weekday: number, isoDate: string): boolean {
  if (rule.weekday !== weekday) return false;
  if (rule.validFrom && isoDate < rule.validFrom) return false;
  if (rule.validTo && isoDate > rule.validTo) return false;
  return true;
}

/** Sorted, merged union of intervals, for binary-searched overlap tests. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals]
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** True when [start, end) overlaps any interval of a merged union. */
function overlaps(merged: readonly Interval[], start: number, end: number): boolean {
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (merged[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const candidate = merged[lo];
  return candidate !== undefined && candidate.start < end;
}

/**
 * Every slot of the rules between two local dates, in order, disjoint, with its status.
 * The result does not depend on the order of any input list.
 */
export function generateSlots(input: SlotInput): Slot[] {
  const candidates: Interval[] = [];
  for (let day = dayNumber(input.from), last = dayNumber(input.to); day <= last; day++) {
    const localMidnight = day * DAY;
    const isoDate = new Date(localMidnight).toISOString().slice(0, 10);
    const weekday = ((day + 3) % 7) + 1; // day 0, 1970-01-01, was a Thursday (ISO 4)
    const rules = input.rules.filter((r) => appliesOn(r, weekday, isoDate));
    if (rules.length === 0) continue;
    const steady = steadyOffsetOn(localMidnight, input.timeZone);
    for (const ruleOfDay of rules) {
      const rule = input.slotMinutes ? { ...ruleOfDay, slotMinutes: input.slotMinutes } : ruleOfDay;
      const step = rule.slotMinutes + (input.bufferMinutes ?? 0);
      candidates.push(
        ...(steady === undefined
          ? ruleSlots(Temporal.PlainDate.from(isoDate), rule, input.timeZone, step)
          : steadyRuleSlots(localMidnight, steady, rule, step)),
      );
    }
  }
  candidates.sort((a, b) => a.start - b.start || a.end - b.end);

  const timeOff = union(input.timeOff ?? []);
  const booked = union(input.booked ?? []);
  const holds = (input.holds ?? [])
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start || a.holdId.localeCompare(b.holdId));
  const notBefore = input.notBefore ?? Number.NEGATIVE_INFINITY;
  const notAfter = input.notAfter ?? Number.POSITIVE_INFINITY;
  const trailing = (input.trailingMinutes ?? 0) * MINUTE;

  const slots: Slot[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.start < lastEnd) continue; // overlapping rules or a long slot across a fall-back: first one wins
    if (c.start < notBefore || c.start >= notAfter) continue;
    if (overlaps(timeOff, c.start, c.end)) continue;
    lastEnd = c.end;
    if (overlaps(booked, c.start, c.end + trailing)) {
      slots.push({ ...c, status: 'booked' });
      continue;
    }
    const hold = holds.find((h) => h.start < c.end && c.start < h.end);
    slots.push(
      hold
        ? { ...c, status: 'held', hold: { holdId: hold.holdId, holderId: hold.holderId } }
        : { ...c, status: 'free' },
    );
  }
  return slots;
}

/** The instants bounding local dates [from, to] in a time zone, for range queries. */
export function localDateRange(from: string, to: string, timeZone: string): Interval {
  const start = Temporal.PlainDate.from(from).toZonedDateTime({ timeZone }).epochMilliseconds;
  const end = Temporal.PlainDate.from(to).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  return { start, end };
}
