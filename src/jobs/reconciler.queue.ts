import type { Redis } from 'ioredis';
import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import { upcoming } from '../notifications/reminders.store.js';
import type { WebhookService } from '../webhooks/webhooks.service.js';
import type { ReminderQueue } from './reminders.queue.js';
import { startRepeatingJob } from './repeating-job.js';

/**
 * A repeatable job that repairs what Redis may have lost: reminder jobs of appointments starting in the
 * next 48 h, and webhook deliveries still pending without a job. Idempotent: ids are deterministic.
 */
export const RECONCILER_QUEUE = 'reconciler';
const LOOKAHEAD_MS = 48 * 3_600_000;

export async function reconcile(
  d: { sql: Sql; reminders: ReminderQueue; webhooks: WebhookService },
  now = Date.now(),
) {
  let reminders = 0;
  for (const a of await upcoming(d.sql, new Date(now), new Date(now + LOOKAHEAD_MS))) {
    reminders += await d.reminders.restore(a, now);
  }
  const webhooks = await d.webhooks.requeueStale();
  return { reminders, webhooks };
}

export async function startReconciler(
  connection: Redis,
  prefix: string,
  everySeconds: number,
  deps: { sql: Sql; reminders: ReminderQueue; webhooks: WebhookService },
  logger: Logger,
) {
  return startRepeatingJob({
    queueName: RECONCILER_QUEUE,
    jobName: 'reconcile',
    connection,
    prefix,
    everySeconds,
    logger,
    run: async () => {
      const restored = await reconcile(deps);
      if (restored.reminders + restored.webhooks > 0)
        logger.warn(restored, 'reconciler restored missing jobs');
      return restored;
    },
  });
}
