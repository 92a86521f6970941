import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { quietOutages } from '../infra/outage-log.js';
import type { Logger } from '../logger.js';

/**
 * Webhook delivery: one job per delivery row, id `webhook-<deliveryId>`, retried with exponential
 * backoff. The processor is the webhook service's `deliver`; the row is the delivery log.
 */
export const WEBHOOKS_QUEUE = 'webhooks';

export interface WebhookJobData {
  deliveryId: string;
}

export function createWebhookQueue(
  connection: Redis,
  prefix: string,
  o: { attempts: number; backoffMs: number },
) {
  const queue = new Queue<WebhookJobData>(WEBHOOKS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: o.backoffMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
  });
  return {
    queue,
    add: (deliveryIds: readonly string[]) =>
      queue.addBulk(
        deliveryIds.map((deliveryId) => ({
          name: 'deliver',
          data: { deliveryId },
          opts: { jobId: `webhook-${deliveryId}` },
        })),
      ),
    close: () => queue.close(),
  };
}
export type WebhookQueue = ReturnType<typeof createWebhookQueue>;

/** `deliver` resolves when done (or nothing to do) and throws to retry; `final` tells it this is the last try. */
export type DeliverFn = (deliveryId: string, final: boolean) => Promise<'delivered' | 'skipped' | 'stop'>;

export async function processWebhookJob(job: Job<WebhookJobData>, deliver: DeliverFn): Promise<string> {
  const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const outcome = await deliver(job.data.deliveryId, final);
  if (outcome === 'stop') throw new UnrecoverableError('endpoint disabled or URL refused');
  return outcome;
}

export function startWebhookWorker(connection: Redis, prefix: string, deliver: DeliverFn, logger: Logger) {
  const worker = new Worker<WebhookJobData>(WEBHOOKS_QUEUE, (job) => processWebhookJob(job, deliver), {
    connection,
    prefix,
    concurrency: 10,
  });
  worker.on('failed', (job, err) =>
    logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'webhook attempt failed'),
  );
  quietOutages(worker, connection, logger, 'webhook worker');
  return { worker, close: () => worker.close() };
}
