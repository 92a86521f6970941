import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { startRepeatingJob } from './repeating-job.js';

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
  return startRepeatingJob({
    queueName: WAITLIST_SWEEP_QUEUE,
    jobName: 'sweep',
    connection,
    prefix,
    everySeconds,
    logger,
    run: async () => {
      const done = await waitlist.sweep();
      if (done.settled + done.offered > 0) logger.info(done, 'waitlist sweep settled or offered slots');
      return done;
    },
  });
}
