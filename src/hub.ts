import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { closeHttp, createHttpServer, listen } from './http/server.js';
import { loadWebAssets } from './http/web-assets.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createMetrics } from './infra/metrics.js';
import { migrate } from './infra/migrate.js';
import { connectPostgres, type Sql } from './infra/postgres.js';
import { createRedis, keyBuilder } from './infra/redis.js';
import { resolveRedisTarget } from './infra/redis-target.js';
import { createQueues, type Queues, startWorkers } from './jobs/jobs.js';
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
  /** The BullMQ queues (the producing side), for tests and tools that look at jobs. */
  queues: Queues;
  /** Stops everything in reverse order of start; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The composition root, top to bottom: Postgres → migrations → Redis → queues → domain services →
 * HTTP + Socket.IO → outbox relay → workers → listening. Each step pushes its closer; close() runs them
 * in reverse (stop accepting and disconnect sockets first, Postgres last), so a failed start also
 * unwinds what it had opened.
 */
export async function startHub(config: Config, logger: Logger, role: Role = 'all'): Promise<Hub> {
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  const opened = <T>(name: string, close: () => Promise<unknown>, value: T): T => {
    closers.push({ name, close });
    return value;
  };
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
    // Postgres: DATABASE_URL, or the embedded one in DATA_DIR.
    let databaseUrl = config.databaseUrl;
    let embeddedCreated = false;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(config.dataDir, config.databasePoolSize + 5);
      opened('embedded postgres', embedded.close, embedded);
      databaseUrl = embedded.url;
      embeddedCreated = embedded.created;
      logger.info({ dataDir: config.dataDir }, 'no DATABASE_URL: using embedded Postgres (PGlite)');
    }
    const sql = connectPostgres(databaseUrl, config.databasePoolSize);
    opened('postgres', () => sql.end({ timeout: 5 }), sql);
    await migrate(sql, logger);

    // Redis: a connection per purpose (BullMQ blocks on its own).
    const redisTarget = await resolveRedisTarget(config.redisUrl, logger);
    opened('redis target', redisTarget.close, redisTarget);
    const connect = (name: string, options = {}) => {
      const client = createRedis(redisTarget.target, name, options);
      return opened(`${name} redis`, () => client.quit(), client);
    };
    const redis = connect('commands');
    redis.on('error', (err) => logger.error({ err }, 'redis error'));
    const keys = keyBuilder(config.redisPrefix);

    // Queues, then the domain services that enqueue to them.
    const queues = createQueues(connect('bullmq-queue', { maxRetriesPerRequest: null }), config);
    opened('queues', queues.close, queues);
    const services = createServices({ config, logger, sql, redis, keys, queues });
    opened('services', services.close, services);
    if (config.admin) await services.auth.ensureAdmin(config.admin);
    const seeded = embeddedCreated && config.demoSeed === 'auto';
    if (seeded) await seedDemoData(sql, logger);

    // Transports: HTTP (not for a worker) and Socket.IO, fed by the publisher.
    const metrics = createMetrics();
    const server =
      role === 'worker'
        ? undefined
        : createHttpServer({
            config,
            logger,
            metrics,
            services,
            queues: queues.all,
            redis,
            keys,
            readiness: { postgres: () => sql`select 1`, redis: () => redis.ping() },
            webAssets: loadWebAssets().catch((err) => {
              logger.error({ err }, 'the web pages failed to build; the API still serves');
              return new Map();
            }),
          });
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
      displaySession: (token) => services.queue.displayTokenSession(token),
    });
    opened('socket.io', realtime.close, realtime);
    services.displaySessions.end = realtime.endDisplaySessions;
    services.userSessions.end = realtime.endSessions;
    const stopForwarding = services.publisher.onEvent(realtime.emit);
    opened('publisher', async () => stopForwarding(), stopForwarding);
    // The waitlist hears freed slots from the same events, before the relay starts handing them out.
    const watching = services.waitlist.watch();
    opened(
      'waitlist',
      async () => {
        watching.stop();
        await watching.idle();
      },
      watching,
    );

    // The outbox relay: committed events → rooms, and their webhook deliveries.
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
    opened('event relay', relay.stop, relay);

    // Workers (not for an api-only process): the consuming side of the queues above.
    if (role !== 'api') {
      const workers = await startWorkers(
        (name) => createRedis(redisTarget.target, name, { maxRetriesPerRequest: null }),
        config,
        queues,
        {
          sql,
          redis,
          holds: services.holdStore,
          publisher: services.publisher,
          reminders: services.reminders,
          webhooks: services.webhooks,
          waitlist: services.waitlist,
        },
        logger,
      );
      opened('workers', workers.close, workers);
    }

    let url = '';
    if (server) {
      url = await listen(server, config.port, config.host);
      opened('http', () => closeHttp(server, realtime.disconnectAll), server);
    }
    logger.info(
      { url, postgres: config.databaseUrl ? 'DATABASE_URL' : 'embedded', redis: redisTarget.describe },
      'hub started',
    );
    return { url, sql, redis, seeded, services, queues, close };
  } catch (err) {
    await close();
    throw err;
  }
}
