import type { Config } from '../config.js';
import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import { type ReminderJob, RetryLater } from '../notifications/reminders.service.js';
import { createHoldExpiryTimers } from './hold-expiry.timers.js';
import type { Queues, WorkerDeps } from './jobs.js';
import { type AppointmentTiming, dueReminders, REMINDERS_QUEUE, reminderJobId } from './reminders.queue.js';
import { createTableQueue, GiveUp, RunLater, startTableWorker } from './table-queue.js';
import { WEBHOOKS_QUEUE, type WebhookJobData } from './webhooks.queue.js';

/**
 * The jobs of the single-process embedded mode (no Redis): reminders and webhook deliveries in the
 * database's `jobs` table (table-queue.ts), hold expiry on timers beside the in-memory holds. The same
 * producing interface as the BullMQ queues (jobs.ts), so the domain cannot tell them apart.
 *
 * Why not BullMQ's own Postgres backend (bullmq ≥ 6.7): it needs the `pg` driver beside postgres.js, and
 * it keeps state per connection (`search_path` set in each connection's startup options, a dedicated
 * LISTEN connection), while the embedded Postgres is one PGlite session shared by every socket
 * connection that ignores startup options: tried, its first worker fails with
 * `function move_to_active(...) does not exist`.
 */
export function createEmbeddedQueues(sql: Sql, config: Config, logger: Logger) {
  const holdExpiry = createHoldExpiryTimers(logger);
  const reminderTable = createTableQueue<ReminderJob>(sql, REMINDERS_QUEUE, {
    attempts: 8,
    backoffMs: config.jobBackoffMs,
  });
  const webhookTable = createTableQueue<WebhookJobData>(sql, WEBHOOKS_QUEUE, config.webhooks);
  const offsets = config.reminderOffsets;
  const reminders = {
    offsets,
    table: reminderTable,
    async schedule(a: AppointmentTiming, now = Date.now()) {
      await reminderTable.add(
        dueReminders(offsets, a, now).map((r) => ({ id: r.jobId, data: r.data, delayMs: r.at - now })),
      );
    },
    async cancel(a: { id: string; version: number }) {
      await Promise.all(
        offsets.map((offset) => reminderTable.remove(reminderJobId(a.id, offset, a.version))),
      );
    },
  };
  const webhooks = {
    table: webhookTable,
    add: (deliveryIds: readonly string[]) =>
      webhookTable.add(
        deliveryIds.map((deliveryId) => ({ id: `webhook-${deliveryId}`, data: { deliveryId } })),
      ),
  };
  return {
    holdExpiry,
    reminders,
    webhooks,
    all: [],
    close: () => holdExpiry.close(),
  } satisfies Queues;
}
export type EmbeddedQueues = ReturnType<typeof createEmbeddedQueues>;

/** The consuming side: a worker per table queue, and the hold-expiry timers' announcements. */
export function startEmbeddedWorkers(
  queues: EmbeddedQueues,
  config: Config,
  deps: WorkerDeps,
  logger: Logger,
) {
  queues.holdExpiry.start({ holds: deps.holds, publisher: deps.publisher });
  const leaseMs = config.jobLockMs;
  const workers = [
    startTableWorker(
      deps.sql,
      queues.reminders.table,
      async (job) => {
        try {
          return await deps.reminders.deliver(job.data, job.final);
        } catch (err) {
          if (err instanceof RetryLater) throw new RunLater(err.afterMs);
          throw err;
        }
      },
      { concurrency: 20, leaseMs, logger },
    ),
    startTableWorker(
      deps.sql,
      queues.webhooks.table,
      async (job) => {
        const outcome = await deps.webhooks.deliver(job.data.deliveryId, job.final);
        if (outcome === 'stop') throw new GiveUp('endpoint disabled or URL refused');
        return outcome;
      },
      { concurrency: 10, leaseMs, logger },
    ),
  ];
  // The waitlist's repair pass, on a timer instead of a repeatable job (one process, so one timer).
  let sweeping: Promise<unknown> | undefined;
  const sweep = setInterval(() => {
    sweeping ??= deps.waitlist
      .sweep()
      .catch((err) => logger.warn({ err }, 'waitlist sweep failed; will retry'))
      .finally(() => {
        sweeping = undefined;
      });
  }, config.waitlistSweepSeconds * 1000);
  sweep.unref();
  return {
    async close() {
      clearInterval(sweep);
      await sweeping;
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
