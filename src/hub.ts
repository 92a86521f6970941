import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { type AuthService, createAuthService } from './auth/auth.service.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { createAppointmentService, type AppointmentService } from './booking/appointments.service.js';
import { createHoldStore } from './booking/holds.js';
import { createHoldService, type HoldService } from './booking/holds.service.js';
import type { Config } from './config.js';
import { createDirectoryService, type DirectoryService } from './directory/directory.service.js';
import { createPublisher, type Publisher } from './events/publisher.js';
import { createApp } from './http/app.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createMetrics } from './infra/metrics.js';
import { migrate } from './infra/migrate.js';
import { connectPostgres, type Sql } from './infra/postgres.js';
import { createRateLimiter } from './infra/rate-limiter.js';
import { createRedis, keyBuilder } from './infra/redis.js';
import { resolveRedisTarget } from './infra/redis-target.js';
import { createHoldExpiryQueue, startHoldExpiryWorker } from './jobs/hold-expiry.queue.js';
import type { Logger } from './logger.js';
import { createCipher } from './records/cipher.js';
import { createFreeSlotFinder } from './schedule/free-slots.js';
import { createScheduleService, type ScheduleService } from './schedule/schedule.service.js';
import { seedDemoData } from './seed/seed.js';

export interface Services {
  tokens: TokenService;
  auth: AuthService;
  directory: DirectoryService;
  schedule: ScheduleService;
  holds: HoldService;
  appointments: AppointmentService;
  publisher: Publisher;
}

/** What part of the hub a process runs; background workers arrive with the jobs issue. */
export type Role = 'api' | 'worker' | 'all';

export interface Hub {
  /** http://host:port actually bound (port 0 resolves to a free port). */
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
 * The composition root: config → Postgres → migrations → Redis → services → HTTP. Each step pushes its
 * closer; close() runs them in reverse, so a failed start also unwinds what it had opened.
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
    const keys = keyBuilder(config.redisPrefix);

    const metrics = createMetrics();
    const tokens = createTokenService(config.jwt);
    const limiter = createRateLimiter(redis, keys, config.rateLimits.enabled);
    const auth = createAuthService({ sql, tokens, limiter, config, logger });
    const publisher = createPublisher();
    const holdStore = createHoldStore(redis, keys);
    const schedule = createScheduleService({ sql, holds: holdStore });
    const directory = createDirectoryService({ sql, freeSlots: createFreeSlotFinder({ sql, holds: holdStore }) });

    // BullMQ wants its own connections (a worker blocks on one); REDIS_PREFIX goes in its `prefix` option.
    const queueRedis = createRedis(redisTarget.target, 'bullmq-queue', { maxRetriesPerRequest: null });
    closers.push({ name: 'bullmq queue redis', close: () => queueRedis.quit() });
    const holdExpiry = createHoldExpiryQueue(queueRedis, config.redisPrefix);
    closers.push({ name: 'hold expiry queue', close: holdExpiry.close });
    if (role !== 'api') {
      const workerRedis = createRedis(redisTarget.target, 'bullmq-worker', { maxRetriesPerRequest: null });
      closers.push({ name: 'bullmq worker redis', close: () => workerRedis.quit() });
      const worker = startHoldExpiryWorker(workerRedis, config.redisPrefix, { holds: holdStore, publisher }, logger);
      closers.push({ name: 'hold expiry worker', close: worker.close });
    }

    const holds = createHoldService({ sql, holds: holdStore, schedule, expiry: holdExpiry, publisher, holdTtlSeconds: config.holdTtlSeconds });
    const appointments = createAppointmentService({
      sql,
      schedule,
      holds,
      cipher: createCipher(config.encryptionKey),
      logger,
      cancelCutoffMinutes: config.cancelCutoffMinutes,
    });

    if (config.admin) await auth.ensureAdmin(config.admin);
    const seeded = embeddedCreated && config.demoSeed === 'auto' ? (await seedDemoData(sql, logger), true) : false;

    let url = '';
    if (role !== 'worker') {
      const { app } = createApp({
        config,
        logger,
        metrics,
        tokens,
        auth,
        directory,
        schedule,
        holds,
        appointments,
        redis,
        keys,
        limiter,
        readiness: { postgres: () => sql`select 1`, redis: () => redis.ping() },
      });
      const server = createAdaptorServer({ fetch: app.fetch }) as Server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      closers.push({ name: 'http', close: () => closeHttp(server) });
      const { port } = server.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      logger.info({ url, postgres: config.databaseUrl ? 'DATABASE_URL' : 'embedded', redis: redisTarget.describe }, 'hub listening');
    }
    return { url, sql, redis, seeded, services: { tokens, auth, directory, schedule, holds, appointments, publisher }, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Stop accepting, let in-flight requests finish (up to 10 s), then drop what is left. */
async function closeHttp(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(timer);
}
