import type { Redis } from 'ioredis';
import { openBackends } from './backends.js';
import type { Config } from './config.js';
import { OUTBOX_CHANNEL } from './events/outbox.js';
import { closeHttp, createHttpServer, listen } from './http/server.js';
import { loadWebAssets } from './http/web-assets.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createMetrics } from './infra/metrics.js';
import { migrate } from './infra/migrate.js';
import { connectPostgres, type Sql } from './infra/postgres.js';
import { planRedis } from './infra/redis-target.js';
import type { BullQueues, Queues } from './jobs/jobs.js';
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
  /** The command connection; undefined in the embedded mode (no Redis). */
  redis: Redis | undefined;
  /** `redis`, or `embedded`: one process, no Redis (backends.ts). */
  mode: 'redis' | 'embedded';
  /** True when this start seeded the demo data set. */
  seeded: boolean;
  /** The domain services, for one-shot tasks and tests that need to set the scene directly. */
  services: Services;
  /** The queues' producing side, as the domain services see it. */
  queues: Queues;
  /** The BullMQ queues themselves (Redis mode only), for tests and tools that look at jobs. */
  bullmq: BullQueues | undefined;
  /** Stops everything in reverse order of start; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The composition root, top to bottom: where Redis is (decided before anything is created, so a start
 * that must fail leaves no half-made data folder) → Postgres → migrations → Redis duties (backends.ts)
 * → domain services → HTTP + Socket.IO → outbox relay → workers → listening. Each step pushes its
 * closer; close() runs them in reverse (stop accepting and disconnect sockets first, a private
 * redis-server after every client of it, Postgres last), so a failed start also unwinds what it had
 * opened.
 */
export async function startHub(config: Config, logger: Logger, role: Role = 'all'): Promise<Hub> {
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  const opened = <T>(name: string, close: () => Promise<unknown>, value: T): T => {
    closers.push({ name, close });
    return value;
  };
  let closing = false;
  const close = async () => {
    closing = true;
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
    const redisPlan = await planRedis(config.redisUrl, role);

    // Postgres: DATABASE_URL, or the embedded one in DATA_DIR.
    let databaseUrl = config.databaseUrl;
    let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.dataDir, config.databasePoolSize + 5);
      opened('embedded postgres', embedded.close, embedded);
      databaseUrl = embedded.url;
      logger.info({ dataDir: config.dataDir }, 'no DATABASE_URL: using embedded Postgres (PGlite)');
    }
    const sql = connectPostgres(databaseUrl, config.databasePoolSize);
    opened('postgres', () => sql.end({ timeout: 5 }), sql);
    await migrate(sql, logger);

    // What Redis does (holds, rate limits, idempotency, queues), on Redis or in this process.
    const backends = await openBackends(redisPlan, { config, sql, logger, opened });
    if (backends.mode === 'embedded') {
      logger.warn(
        { why: redisPlan.kind === 'none' ? redisPlan.why : undefined },
        'running without Redis: holds, rate limits, idempotency keys and hold expiry in this process, jobs in the database; run ONE process only (set REDIS_URL to run several)',
      );
    }
    const { queues } = backends;
    const services = createServices({
      config,
      logger,
      sql,
      holdStore: backends.holdStore,
      rateLimits: backends.rateLimits,
      queues,
      redis: backends.redis,
    });
    opened('services', services.close, services);
    if (config.admin) await services.auth.ensureAdmin(config.admin);
    // The embedded database gets the demo when it has no users yet (a first start, or one after a
    // start that failed before seeding); a configured DATABASE_URL never does.
    const seeded = embedded !== undefined && config.demoSeed === 'auto' && !(await hasUsers(sql));
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
            idempotency: backends.idempotency,
            readiness: { postgres: () => sql`select 1`, ...backends.readiness },
            webAssets: loadWebAssets().catch((err) => {
              // A Ctrl-C also stops esbuild (same process group) mid-build, often before the hub has
              // heard the signal itself: "The service was stopped" is that, not a broken page.
              const stopped = closing || /service was stopped/.test(String((err as Error)?.message));
              if (stopped) logger.info('the page build was stopped');
              else logger.error({ err }, 'the web pages failed to build; the API still serves');
              return new Map();
            }),
          });
    const realtime = await startRealtime({
      httpServer: server,
      redisTarget: backends.redisTarget,
      redisPrefix: config.redisPrefix,
      corsOrigins: config.corsOrigins,
      sql,
      tokens: services.tokens,
      sessions: services.sessions,
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
    if (embedded) {
      // The embedded server's NOTIFY never reaches the relay's LISTEN connection (embedded-postgres.ts).
      const stopWaking = embedded.onNotification((channel) => {
        if (channel === OUTBOX_CHANNEL) void relay.drain();
      });
      opened('relay wake-up', async () => stopWaking(), stopWaking);
    }

    // Workers (not for an api-only process): the consuming side of the queues above.
    if (role !== 'api') {
      const workers = await backends.startWorkers({
        sql,
        holds: services.holdStore,
        publisher: services.publisher,
        reminders: services.reminders,
        webhooks: services.webhooks,
        waitlist: services.waitlist,
      });
      opened('workers', workers.close, workers);
    }

    let url = '';
    if (server) {
      url = await listen(server, config.port, config.host);
      opened('http', () => closeHttp(server, realtime.disconnectAll), server);
    }
    logger.info(
      { url, postgres: config.databaseUrl ? 'DATABASE_URL' : 'embedded', redis: backends.describe },
      'hub started',
    );
    return {
      url,
      sql,
      redis: backends.redis,
      mode: backends.mode,
      seeded,
      services,
      queues,
      bullmq: backends.bullmq,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function hasUsers(sql: Sql): Promise<boolean> {
  return (await sql`select 1 from users limit 1`).length > 0;
}
