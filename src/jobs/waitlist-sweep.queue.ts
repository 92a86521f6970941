import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { quietOutages } from '../infra/outage-log.js';
import type { Logger } from '../logger.js';

/**
 * A repeatable job running the waitlist's repair pass (src/waitlist/sweep.ts): a slot freed while Redis
 * or the workers were away is still offered when they return. Idempotent: Postgres decides every offer.
 */
export const WAITLIST_SWEEP_QUEUE = 'waitlist-sweep';

/** What the job runs (the waitlist service implements it). */
export interface WaitlistSweeper {
  sweep(): Promise<{ expired: number; settled: number; offered: number }>;
}

export async function startWaitlistSweep(
  connection: Redis,
  prefix: string,
  everySeconds: number,
  waitlist: WaitlistSweeper,
  logger: Logger,
) {
  const queue = new Queue(WAITLIST_SWEEP_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 },
  });
  await queue.upsertJobScheduler('sweep', { every: everySeconds * 1000 }, { name: 'sweep' });
  const worker = new Worker(
    WAITLIST_SWEEP_QUEUE,
    async () => {
      const done = await waitlist.sweep();
      if (done.settled + done.offered > 0) logger.info(done, 'waitlist sweep settled or offered slots');
      return done;
    },
    { connection, prefix, concurrency: 1 },
  );
  quietOutages(worker, connection, logger, 'waitlist sweep worker');
  quietOutages(queue, connection, logger, 'waitlist sweep queue');
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
