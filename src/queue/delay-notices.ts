import type { Status } from '../booking/status-machine.js';
import type { DoctorQueue, QueueEntry } from './queue-order.js';

/** How far an estimate must move from what the patient was last told before they are told again. */
export const NOTICE_THRESHOLD_MINUTES = 10;
const MINUTE = 60_000;

/** A patient's estimate as it stands now. */
export interface CurrentEstimate {
  appointmentId: string;
  status: Status;
  slotStart: number;
  estimatedStart: number;
}

export interface EstimateNotice {
  appointmentId: string;
  estimatedStart: number;
  /** What they knew before: the last estimate they were told, or their slot time. */
  previous: number;
}

/** Only people still to be seen are told; whoever is inside, done, cancelled or absent is left alone. */
const STILL_TO_COME: ReadonlySet<Status> = new Set<Status>(['booked', 'checked_in']);

/**
 * The patients to tell of a new estimated start: those whose estimate moved `thresholdMinutes` or more,
 * either way, from the last one they were told (`told`, by appointment id), or from their slot time when
 * they were never told one. Comparing with the last told value rather than the previous estimate is
 * what makes a drift of many small changes send one notice, not one per change. The caller records each
 * notice's estimate as the new told value, in the transaction that sends it.
 */
export function noticesDue(
  estimates: readonly CurrentEstimate[],
  told: ReadonlyMap<string, number>,
  thresholdMinutes = NOTICE_THRESHOLD_MINUTES,
): EstimateNotice[] {
  const notices: EstimateNotice[] = [];
  for (const e of estimates) {
    if (!STILL_TO_COME.has(e.status)) continue;
    const previous = told.get(e.appointmentId) ?? e.slotStart;
    if (Math.abs(e.estimatedStart - previous) >= thresholdMinutes * MINUTE) {
      notices.push({ appointmentId: e.appointmentId, estimatedStart: e.estimatedStart, previous });
    }
  }
  return notices;
}

/** The estimates of a doctor's queue, waiting and expected patients alike, as noticesDue takes them. */
export function estimatesOf<E extends QueueEntry>(queue: DoctorQueue<E>): CurrentEstimate[] {
  return [...queue.waiting, ...queue.expected].map(({ entry, estimatedStart }) => ({
    appointmentId: entry.appointmentId,
    status: entry.status,
    slotStart: entry.slotStart,
    estimatedStart,
  }));
}
