import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReminderJobs } from '../booking/appointment-writes.js';
import type { HoldExpiry } from '../booking/holds.service.js';
import type { HoldStore } from '../booking/holds.store.js';
import type { Config } from '../config.js';
import type { Publisher } from '../events/publisher.js';
import type { Sql } from '../infra/postgres.js';
import { redisHz } from '../infra/redis.js';
import type { Logger } from '../logger.js';
import type { ReminderService } from '../notifications/reminders.service.js';
import type { DeliveryQueue, WebhookService } from '../webhooks/webhooks.service.js';
import { createHoldExpiryQueue, startHoldExpiryWorker } from './hold-expiry.queue.js';
import { startReconciler } from './reconciler.queue.js';
import { createReminderQueue, startReminderWorker } from './reminders.queue.js';
import { startWaitlistSweep, type WaitlistSweeper } from './waitlist-sweep.queue.js';
import { createWebhookQueue, startWebhookWorker } from './webhooks.queue.js';

/**
 * The producing side of every queue: what the domain services enqueue to. BullMQ on Redis
 * (createQueues), or the embedded mode's table queues and timers (embedded-jobs.ts).
 */
export interface Queues {
  holdExpiry: HoldExpiry;
  reminders: ReminderJobs;
  webhooks: DeliveryQueue;
  /** The BullMQ queues, for the admin dashboard; none in the embedded mode. */
  all: Queue[];
  close(): Promise<unknown>;
}

/** The BullMQ queues themselves, for tests and tools that look at jobs. */
export type BullQueues = ReturnType<typeof createQueues>;

/** One BullMQ queue per job kind, on one connection; REDIS_PREFIX goes in BullMQ's own `prefix` option. */
export function createQueues(connection: Redis, config: Config) {
  const prefix = config.redisPrefix;
  const holdExpiry = createHoldExpiryQueue(connection, prefix);
  const reminders = createReminderQueue(connection, prefix, {
    offsets: config.reminderOffsets,
    backoffMs: config.jobBackoffMs,
  });
  const webhooks = createWebhookQueue(connection, prefix, config.webhooks);
  return {
    holdExpiry,
    reminders,
    webhooks,
    all: [holdExpiry.queue, reminders.queue, webhooks.queue] as Queue[],
    close: () => Promise.all([holdExpiry.close(), reminders.close(), webhooks.close()]),
  } satisfies Queues;
}

/** What the workers act on. */
export interface WorkerDeps {
  sql: Sql;
  holds: HoldStore;
  publisher: Publisher;
  reminders: ReminderService;
  webhooks: WebhookService;
  /** The waitlist's repair pass (src/waitlist/sweep.ts). */
  waitlist: WaitlistSweeper;
}

/**
 * The consuming side: a worker per queue, each blocking on a connection of its own (`connect`), and the
 * reconciler that repairs lost reminder and webhook jobs. Closing stops the workers, then their connections.
 */
export async function startWorkers(
  connect: (name: string) => Redis,
  config: Config,
  queues: BullQueues,
  deps: WorkerDeps & {
    /** The hub's command connection, to read the server's settings (a worker's own connection blocks). */
    redis: Redis;
  },
  logger: Logger,
) {
  const prefix = config.redisPrefix;
  const connections: Redis[] = [];
  const own = (name: string) => {
    const client = connect(`bullmq-${name}`);
    connections.push(client);
    return client;
  };
  const workers = [
    startHoldExpiryWorker(
      own('hold-expiry'),
      prefix,
      { holds: deps.holds, publisher: deps.publisher },
      logger,
    ),
    startReminderWorker(own('reminders'), prefix, deps.reminders, config.jobLockMs, logger),
    startWebhookWorker(own('webhooks'), prefix, (id, final) => deps.webhooks.deliver(id, final), logger),
    await startReconciler(
      own('reconciler'),
      prefix,
      config.reconcileEverySeconds,
      { sql: deps.sql, reminders: queues.reminders, webhooks: deps.webhooks },
      logger,
    ),
    await startWaitlistSweep(
      own('waitlist-sweep'),
      prefix,
      config.waitlistSweepSeconds,
      deps.waitlist,
      logger,
    ),
  ];
  void warnOnCoarseRedisTimers(deps.redis, logger);
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}

/**
 * A BullMQ worker waits for its next delayed job (reminders, hold expiry) with a blocking command whose
 * timeout Redis notices only on its server cron, `hz` times a second: at the default hz 10 such jobs
 * fire up to 100 ms late. docker-compose.yml runs Redis with hz 100; say so when the server does not.
 */
async function warnOnCoarseRedisTimers(redis: Redis, logger: Logger): Promise<void> {
  const hz = await redisHz(redis);
  if (hz !== undefined && hz < 100) {
    logger.warn(
      { redisHz: hz, lateByUpToMs: Math.round(1000 / hz) },
      'Redis hz is below 100: delayed jobs fire late by up to 1/hz s; set hz 100 in redis.conf (CONFIG SET hz 100)',
    );
  }
}
