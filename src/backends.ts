import type { Redis } from 'ioredis';
import { createMemoryHoldStore } from './booking/holds.memory-store.js';
import { createHoldStore, type HoldStore } from './booking/holds.store.js';
import type { Config } from './config.js';
import { type ExpiringStore, memoryExpiringStore, redisExpiringStore } from './infra/expiring-store.js';
import { outageLog } from './infra/outage-log.js';
import type { Sql } from './infra/postgres.js';
import type { RateLimitStore } from './infra/rate-limiter.js';
import { boundedCommands, createRedis, keyBuilder, type RedisTarget } from './infra/redis.js';
import { openRedisTarget, type RedisPlan } from './infra/redis-target.js';
import { createEmbeddedQueues, startEmbeddedWorkers } from './jobs/embedded-jobs.js';
import { type BullQueues, createQueues, type Queues, startWorkers, type WorkerDeps } from './jobs/jobs.js';
import type { Logger } from './logger.js';

/**
 * Everything Redis does for the hub, each behind its own small interface: holds, rate limits,
 * idempotency keys, the job queues (hold expiry, reminders, webhooks), and Socket.IO's fan-out. With
 * Redis they are shared by every hub process; in the embedded mode (no Redis) they live in this process
 * and the database, so exactly one process may run. tests/integration/contract/* run every duty's
 * contract against both.
 */
export interface Backends {
  /** `redis`, or `embedded` (one process, no Redis). */
  mode: 'redis' | 'embedded';
  /** Where Redis is, for the start-up log ("embedded: no Redis" without one). */
  describe: string;
  /** The command connection; absent in the embedded mode. */
  redis: Redis | undefined;
  /** For Socket.IO's Redis adapter; absent in the embedded mode (the in-process adapter serves). */
  redisTarget: RedisTarget | undefined;
  holdStore: HoldStore;
  rateLimits: RateLimitStore;
  idempotency: ExpiringStore;
  queues: Queues;
  /** The BullMQ queues themselves (Redis mode only), for tests and tools that look at jobs. */
  bullmq: BullQueues | undefined;
  /** The readiness probe of what these backends depend on (none in the embedded mode). */
  readiness: Record<string, () => Promise<unknown>>;
  /** Starts the consuming side of the queues (not for an api-only process). */
  startWorkers(deps: WorkerDeps): Promise<{ close(): Promise<void> }>;
}

/** Each thing opened is handed to `opened` (the hub closes them in reverse). */
type Opened = <T>(name: string, close: () => Promise<unknown>, value: T) => T;

/** Opens the backends the plan (redis-target.ts, decided before anything was created) names. */
export async function openBackends(
  plan: RedisPlan,
  d: { config: Config; sql: Sql; logger: Logger; opened: Opened },
): Promise<Backends> {
  const { config, sql, logger, opened } = d;
  if (plan.kind === 'none') {
    const idempotency = memoryExpiringStore();
    opened('idempotency keys', async () => idempotency.close(), idempotency);
    const queues = createEmbeddedQueues(sql, config, logger);
    opened('queues', queues.close, queues);
    return {
      mode: 'embedded',
      describe: `embedded: no Redis (${plan.why})`,
      redis: undefined,
      redisTarget: undefined,
      holdStore: createMemoryHoldStore(),
      rateLimits: 'memory',
      idempotency,
      queues,
      bullmq: undefined,
      readiness: {},
      startWorkers: async (deps) => startEmbeddedWorkers(queues, config, deps, logger),
    };
  }

  // Redis: a connection per purpose (BullMQ blocks on its own); the target (a private server) closes last.
  const target = await openRedisTarget(plan);
  opened('redis target', target.close, target);
  const connect = (name: string, options = {}) => {
    const client = createRedis(target.target, name, options);
    return opened(`${name} redis`, () => client.quit(), client);
  };
  // Requests' commands are bounded (a Redis away answers 503 within the deadline); one log line per outage.
  const redis = connect('commands', boundedCommands(config.requestDeadlineMs));
  const redisOutage = outageLog(logger, 'redis');
  redis.on('error', (err) => redisOutage.failed(err));
  redis.on('ready', () => redisOutage.recovered());
  const keys = keyBuilder(config.redisPrefix);
  // Enqueueing waits for Redis (BullMQ's own recommendation for a queue's connection; bounded where a
  // request waits on it, see followUp); BullMQ prints a queue's errors to stderr unless someone listens.
  const queueConnection = connect('bullmq-queue', { maxRetriesPerRequest: null });
  const queues = createQueues(queueConnection, config);
  opened('queues', queues.close, queues);
  const queueOutage = outageLog(logger, 'job queues');
  for (const queue of queues.all) queue.on('error', (err) => queueOutage.failed(err));
  queueConnection.on('ready', () => queueOutage.recovered());
  return {
    mode: 'redis',
    describe: target.describe,
    redis,
    redisTarget: target.target,
    holdStore: createHoldStore(redis, keys),
    rateLimits: { redis, keys },
    idempotency: redisExpiringStore(redis, keys),
    queues,
    bullmq: queues,
    readiness: {
      // A client that knows it is disconnected answers at once, without waiting for a retry.
      redis: () => (redis.status === 'ready' ? redis.ping() : Promise.reject(new Error(redis.status))),
    },
    startWorkers: (deps) =>
      startWorkers(
        (name) => createRedis(target.target, name, { maxRetriesPerRequest: null }),
        config,
        queues,
        { ...deps, redis },
        logger,
      ),
  };
}
