import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { answerParserErrors } from './http/client-error.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createMetrics, type Metrics } from './infra/metrics.js';
import { migrate } from './infra/migrate.js';
import { connectPostgres, type Sql } from './infra/postgres.js';
import { createRedis, keyBuilder, redisHz } from './infra/redis.js';
import { resolveRedisTarget } from './infra/redis-target.js';
import { startHoldExpiryWorker } from './jobs/hold-expiry.queue.js';
import { startReconciler } from './jobs/reconciler.queue.js';
import { startReminderWorker } from './jobs/reminders.queue.js';
import { startWebhookWorker } from './jobs/webhooks.queue.js';
import type { Logger } from './logger.js';
import { startEventRelay } from './realtime/event-relay.js';
import { startRealtime } from './realtime/io.js';
import { seedDemoData } from './seed/seed.js';
import { createServices, type Services } from './services.js';

export type { Services } from './services.js';

/** What a process runs: `api` serves HTTP and sockets, `worker` runs background jobs, `all` both. */
export type Role = 'api' | 'worker' | 'all';

export interface Hub {
  /** http://host:port actually bound (port 0 resolves to a free port); empty for `--role worker`. */
  url: string;
  sql: Sql;
  redis: Redis;
  /** True when this start seeded the demo data set. */
  seeded: boolean;
  /** The domain services, for one-shot tasks and tests that need to set the scene directly. */
  services: Services;
  /** Stops everything in reverse order of start; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The composition root: Postgres → migrations → Redis → services → Socket.IO → outbox relay → workers
 * → HTTP listening. Each step pushes its closer; close() runs them in reverse (stop accepting and
 * disconnect sockets first, Postgres last), so a failed start also unwinds what it had opened.
 */
export async function startHub(config: Config, logger: Logger, role: Role = 'all'): Promise<Hub> {
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  const close = async () => {
    while (closers.length > 0) {
      const step = closers.pop()!;
      try {
        await step.close();
      } catch (err) {
        logger.error({ err, step: step.name }, 'error while closing');
      }
    }
  };

  try {
    let databaseUrl = config.databaseUrl;
    let embeddedCreated = false;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(config.dataDir, config.databasePoolSize + 5);
      closers.push({ name: 'embedded postgres', close: embedded.close });
      databaseUrl = embedded.url;
      embeddedCreated = embedded.created;
      logger.info({ dataDir: config.dataDir }, 'no DATABASE_URL: using embedded Postgres (PGlite)');
    }
    const sql = connectPostgres(databaseUrl, config.databasePoolSize);
    closers.push({ name: 'postgres', close: () => sql.end({ timeout: 5 }) });
    await migrate(sql, logger);

    const redisTarget = await resolveRedisTarget(config.redisUrl, logger);
    closers.push({ name: 'redis target', close: redisTarget.close });
    const redis = createRedis(redisTarget.target, 'commands');
    redis.on('error', (err) => logger.error({ err }, 'redis error'));
    closers.push({ name: 'redis', close: () => redis.quit() });
    // BullMQ wants its own connections (a worker blocks on one); REDIS_PREFIX goes in its `prefix` option.
    const queueRedis = createRedis(redisTarget.target, 'bullmq-queue', { maxRetriesPerRequest: null });
    closers.push({ name: 'bullmq queue redis', close: () => queueRedis.quit() });

    const metrics = createMetrics();
    const services = createServices({
      config,
      logger,
      sql,
      redis,
      queueRedis,
      keys: keyBuilder(config.redisPrefix),
    });
    closers.push({ name: 'queues', close: services.closeQueues });

    if (config.admin) await services.auth.ensureAdmin(config.admin);
    const seeded = embeddedCreated && config.demoSeed === 'auto';
    if (seeded) await seedDemoData(sql, logger);

    const server =
      role === 'worker' ? undefined : createHttpServer(config, logger, metrics, services, sql, redis);
    const realtime = await startRealtime({
      httpServer: server,
      redisTarget: redisTarget.target,
      redisPrefix: config.redisPrefix,
      corsOrigins: config.corsOrigins,
      sql,
      tokens: services.tokens,
      logger,
      metrics,
      sessionCheckMs: config.sessionCheckSeconds * 1000,
    });
    closers.push({ name: 'socket.io', close: realtime.close });
    const stopForwarding = services.publisher.onEvent(realtime.emit);
    closers.push({ name: 'publisher', close: async () => stopForwarding() });

    const relay = await startEventRelay({
      sql,
      logger,
      emit: (event) => services.publisher.publish(event),
      within: async (tx, events) => {
        const deliveries = await services.webhooks.fanOut(tx, events);
        return () => services.webhooks.enqueue(deliveries);
      },
      onRelayed: (lag) => {
        metrics.eventsRelayed.inc();
        metrics.relayLag.observe(lag);
      },
      sweepMs: config.relaySweepMs,
      retentionMs: config.eventRetentionHours * 3_600_000,
    });
    closers.push({ name: 'event relay', close: relay.stop });

    if (role !== 'api') {
      // Each worker blocks on its own connection.
      const workerRedis = (name: string) => {
        const client = createRedis(redisTarget.target, `bullmq-${name}`, { maxRetriesPerRequest: null });
        closers.push({ name: `${name} redis`, close: () => client.quit() });
        return client;
      };
      const prefix = config.redisPrefix;
      void warnOnCoarseRedisTimers(redis, logger);
      const workers = [
        startHoldExpiryWorker(
          workerRedis('hold-expiry'),
          prefix,
          { holds: services.holdStore, publisher: services.publisher },
          logger,
        ),
        startReminderWorker(workerRedis('reminders'), prefix, services.reminders, config.jobLockMs, logger),
        startWebhookWorker(
          workerRedis('webhooks'),
          prefix,
          (id, final) => services.webhooks.deliver(id, final),
          logger,
        ),
        await startReconciler(
          workerRedis('reconciler'),
          prefix,
          config.reconcileEverySeconds,
          { sql, reminders: services.reminderQueue, webhooks: services.webhooks },
          logger,
        ),
      ];
      closers.push({ name: 'workers', close: () => Promise.all(workers.map((w) => w.close())) });
    }

    let url = '';
    if (server) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      closers.push({ name: 'http', close: () => closeHttp(server, realtime.disconnectAll) });
      const { port } = server.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    }
    logger.info(
      { url, postgres: config.databaseUrl ? 'DATABASE_URL' : 'embedded', redis: redisTarget.describe },
      'hub started',
    );
    return { url, sql, redis, seeded, services, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function createHttpServer(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  services: Services,
  sql: Sql,
  redis: Redis,
): Server {
  const { app } = createApp({
    config,
    logger,
    metrics,
    services,
    redis,
    keys: keyBuilder(config.redisPrefix),
    readiness: { postgres: () => sql`select 1`, redis: () => redis.ping() },
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  answerParserErrors(server);
  return server;
}

/**
 * Stop accepting, tell sockets why and disconnect them, let in-flight requests finish (up to 10 s),
 * then drop what is left.
 */
async function closeHttp(server: Server, disconnectSockets: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  disconnectSockets();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(timer);
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
