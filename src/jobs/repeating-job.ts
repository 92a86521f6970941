import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { quietOutages } from '../infra/outage-log.js';
import type { Logger } from '../logger.js';

/**
 * A BullMQ queue with one job scheduler and a worker of concurrency 1: `run` every `everySeconds`, on
 * one process at a time across the hubs. For idempotent repair passes (the reconciler, the waitlist sweep).
 */
export async function startRepeatingJob<R>(o: {
  queueName: string;
  /** The scheduler's id and its jobs' name. */
  jobName: string;
  connection: Redis;
  prefix: string;
  everySeconds: number;
  run: () => Promise<R>;
  logger: Logger;
}) {
  const { queueName, connection, prefix, logger } = o;
  const queue = new Queue(queueName, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 },
  });
  await queue.upsertJobScheduler(o.jobName, { every: o.everySeconds * 1000 }, { name: o.jobName });
  const worker = new Worker(queueName, o.run, { connection, prefix, concurrency: 1 });
  quietOutages(worker, connection, logger, `${queueName} worker`);
  quietOutages(queue, connection, logger, `${queueName} queue`);
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
