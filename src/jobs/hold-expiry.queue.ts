import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { publishSlotReleased } from '../booking/hold-events.js';
import type { Hold, HoldStore } from '../booking/holds.store.js';
import type { Publisher } from '../events/publisher.js';
import { quietOutages } from '../infra/outage-log.js';
import type { Logger } from '../logger.js';

/**
 * Hold expiry: one delayed job per hold, id `hold-<holdId>`, due when the hold's TTL ends. It is removed
 * when the hold is used or released; if it runs, the hold lapsed and watchers hear `slot.released`.
 */
export const HOLD_EXPIRY_QUEUE = 'hold-expiry';

export type HoldExpiryData = Pick<Hold, 'holdId' | 'doctorId' | 'patientId' | 'start' | 'end'>;

/** Margin after the TTL so the store has certainly expired the hold when the job looks. */
export const HOLD_EXPIRY_MARGIN_MS = 25;

export const holdExpiryJobId = (holdId: string) => `hold-${holdId}`;

export function createHoldExpiryQueue(connection: Redis, prefix: string) {
  const queue = new Queue<HoldExpiryData>(HOLD_EXPIRY_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 200 },
    },
  });
  return {
    queue,
    schedule: (hold: Hold) =>
      queue.add('expire', pick(hold), {
        jobId: holdExpiryJobId(hold.holdId),
        delay: Math.max(0, hold.expiresAt - Date.now()) + HOLD_EXPIRY_MARGIN_MS,
      }),
    cancel: (holdId: string) => queue.remove(holdExpiryJobId(holdId)),
    close: () => queue.close(),
  };
}
export type HoldExpiryQueue = ReturnType<typeof createHoldExpiryQueue>;

export function pick(h: Hold): HoldExpiryData {
  return { holdId: h.holdId, doctorId: h.doctorId, patientId: h.patientId, start: h.start, end: h.end };
}

export interface HoldExpiryDeps {
  holds: HoldStore;
  publisher: Publisher;
}

/**
 * If the hold is gone from the store it lapsed: sweep its index entries and tell the slot's watchers.
 * A hold still live (the timer ran early) throws, and the caller looks again later (the retry's backoff).
 */
export async function expireHold(data: HoldExpiryData, deps: HoldExpiryDeps): Promise<'released'> {
  if (await deps.holds.isLive(data.holdId)) throw new Error('hold still live; retrying after backoff');
  await deps.holds.remove(data);
  publishSlotReleased(deps.publisher, data);
  return 'released';
}

export function startHoldExpiryWorker(
  connection: Redis,
  prefix: string,
  deps: HoldExpiryDeps,
  logger: Logger,
) {
  const worker = new Worker<HoldExpiryData>(HOLD_EXPIRY_QUEUE, (job) => expireHold(job.data, deps), {
    connection,
    prefix,
    concurrency: 20,
  });
  worker.on('failed', (job, err) => logger.warn({ err, jobId: job?.id }, 'hold expiry job failed'));
  quietOutages(worker, connection, logger, 'hold expiry worker');
  return { worker, close: () => worker.close() };
}
