import type { Status } from '../booking/status-machine.js';

/*
 * One doctor's queue for one day and each patient's estimated start. Pure: the clock is `now`.
 * Order (call-next follows it): on time first — booked patients checked in at most `graceMinutes` after
 * their slot, by slot; walk-ins at the gap they were fitted into, never ahead of an earlier walk-in —
 * then late arrivals by arrival. A booked patient not yet here and past the grace will arrive late (now).
 * Estimate: pace = median of today's completed consultations from the third on, else the slot length. The
 * doctor is free at max(now, current's start + pace). In line order (booked patients not yet here are in
 * it, presumed to come at their slot), each starts at the earliest of: the doctor free, them present,
 * their slot; except that someone further back who can be seen entirely before the first in line could
 * start fills that gap (it delays nobody ahead). Positions and call-next follow that sequence. Estimate =
 * start + the declared delay, rounded up to the minute: never before the slot.
 */

/** What the queue needs of an appointment; instants in epoch ms. */
export interface QueueEntry {
  appointmentId: string;
  slotStart: number;
  slotEnd: number;
  status: Status;
  arrivedAt: number | null;
  walkIn: boolean;
  startedAt: number | null;
  completedAt: number | null;
  ticket: string | null;
}

export interface QueueRules {
  now: number;
  /** The doctor's slot length: the pace until PACE_MIN_COMPLETED consultations are done. */
  slotMinutes: number;
  /** The doctor's declared delay today (0–240). */
  delayMinutes: number;
  graceMinutes?: number;
}

export const DEFAULT_GRACE_MINUTES = 15;
/** Completed consultations needed before their median replaces the slot length as the pace. */
export const PACE_MIN_COMPLETED = 3;
const MINUTE = 60_000;

export interface WaitingPlace<E> {
  entry: E;
  /** 1 = called next. */
  position: number;
  estimatedStart: number;
  /** Arrived more than the grace period after their slot, so ranked after those who came on time. */
  late: boolean;
}

export interface ExpectedPlace<E> {
  entry: E;
  estimatedStart: number;
  /** Not arrived and already past the grace period: if they come, they come late. */
  overdue: boolean;
}

export interface DoctorQueue<E> {
  current: E | null;
  waiting: WaitingPlace<E>[];
  expected: ExpectedPlace<E>[];
  /** Completed consultations today. */
  done: number;
  paceMs: number;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The doctor's live pace in ms: median of today's completed consultations, the slot length before three. */
export function paceMs(entries: readonly QueueEntry[], slotMinutes: number): number {
  const lengths: number[] = [];
  for (const e of entries) {
    // Consultations completed before the stamps existed (no started_at) tell nothing about the pace.
    if (e.status === 'completed' && e.startedAt !== null && e.completedAt !== null) {
      lengths.push(Math.max(0, e.completedAt - e.startedAt));
    }
  }
  return lengths.length >= PACE_MIN_COMPLETED ? median(lengths)! : slotMinutes * MINUTE;
}

/** A waiting or expected patient as the ordering and the simulation see them. */
interface Candidate<E> {
  entry: E;
  /** 0: on time (booked or walk-in), 1: late. */
  tier: 0 | 1;
  /** Rank inside the tier: slot start (walk-ins: their gap, never before an earlier arrival's), or arrival. */
  key: number;
  arrival: number;
  /** When they are (presumed) in the waiting room. */
  presentFrom: number;
  waiting: boolean;
}

function compare<E extends QueueEntry>(a: Candidate<E>, b: Candidate<E>): number {
  return (
    a.tier - b.tier ||
    a.key - b.key ||
    // At the same rank a booked patient goes before a walk-in fitted in beside them.
    Number(a.entry.walkIn) - Number(b.entry.walkIn) ||
    a.arrival - b.arrival ||
    a.entry.slotStart - b.entry.slotStart ||
    (a.entry.appointmentId < b.entry.appointmentId
      ? -1
      : a.entry.appointmentId > b.entry.appointmentId
        ? 1
        : 0)
  );
}

function candidates<E extends QueueEntry>(
  entries: readonly E[],
  now: number,
  graceMs: number,
): Candidate<E>[] {
  const out: Candidate<E>[] = [];
  // Walk-ins in arrival order carry the latest gap so far: a later walk-in fitted into an earlier gap
  // (one a cancellation opened) still goes after those who arrived before them.
  const walkIns = entries
    .filter((e) => e.status === 'checked_in' && e.walkIn)
    .sort((a, b) => (a.arrivedAt ?? a.slotStart) - (b.arrivedAt ?? b.slotStart));
  let gap = Number.NEGATIVE_INFINITY;
  for (const e of walkIns) {
    gap = Math.max(gap, e.slotStart);
    const arrival = e.arrivedAt ?? e.slotStart;
    out.push({ entry: e, tier: 0, key: gap, arrival, presentFrom: arrival, waiting: true });
  }
  for (const e of entries) {
    const waiting = e.status === 'checked_in' && !e.walkIn;
    if (!waiting && e.status !== 'booked') continue;
    // Checked in: when they came (no stamp, from before stamps existed: trust them to have been on time).
    // Booked, not here yet: presumed at their slot, or now once past the grace period.
    const overdue = !waiting && now > e.slotStart + graceMs;
    const arrival = waiting ? (e.arrivedAt ?? e.slotStart) : overdue ? now : e.slotStart;
    const late = waiting ? arrival > e.slotStart + graceMs : overdue;
    out.push({
      entry: e,
      tier: late ? 1 : 0,
      key: late ? arrival : e.slotStart,
      arrival,
      presentFrom: arrival,
      waiting,
    });
  }
  return out.sort(compare);
}

/** The doctor's queue and everyone's estimated start (see the header comment for the rules). */
export function orderQueue<E extends QueueEntry>(entries: readonly E[], rules: QueueRules): DoctorQueue<E> {
  const graceMs = (rules.graceMinutes ?? DEFAULT_GRACE_MINUTES) * MINUTE;
  const delayMs = rules.delayMinutes * MINUTE;
  const pace = paceMs(entries, rules.slotMinutes);

  // Two patients in consultation at once is a forgotten "complete": the latest started is the one inside.
  let current: E | null = null;
  for (const e of entries) {
    if (e.status !== 'in_consultation') continue;
    if (!current || (e.startedAt ?? e.slotStart) > (current.startedAt ?? current.slotStart)) current = e;
  }

  const ranked = candidates(entries, rules.now, graceMs);
  const starts = new Map<Candidate<E>, number>();
  const called: Candidate<E>[] = [];
  // A consultation running over its pace is presumed to end now.
  let free = current ? Math.max(rules.now, (current.startedAt ?? rules.now) + pace) : rules.now;
  // Nobody starts before they are here, nor before their slot (a walk-in's slot is its gap).
  const earliest = (c: Candidate<E>) => Math.max(free, c.presentFrom, c.entry.slotStart);
  const pending = [...ranked];
  while (pending.length > 0) {
    // The first in line goes next, unless someone behind can be seen entirely before the first could
    // start: they fill that gap, which delays nobody ahead of them.
    const headStart = earliest(pending[0]!);
    const filler = pending.findIndex((c, i) => i > 0 && earliest(c) + pace <= headStart);
    const [c] = pending.splice(Math.max(filler, 0), 1);
    starts.set(c!, earliest(c!));
    called.push(c!);
    free = starts.get(c!)! + pace;
  }
  const estimate = (c: Candidate<E>) => Math.ceil((starts.get(c)! + delayMs) / MINUTE) * MINUTE;

  const waiting = called
    .filter((c) => c.waiting)
    .map((c, i) => ({ entry: c.entry, position: i + 1, estimatedStart: estimate(c), late: c.tier === 1 }));
  const expected = ranked
    .filter((c) => !c.waiting)
    .sort((a, b) => a.entry.slotStart - b.entry.slotStart || compare(a, b))
    .map((c) => ({ entry: c.entry, estimatedStart: estimate(c), overdue: c.tier === 1 }));
  const done = entries.filter((e) => e.status === 'completed').length;
  return { current, waiting, expected, done, paceMs: pace };
}
