import type { Redis } from 'ioredis';
import { createAnalyticsService } from './analytics/analytics.service.js';
import { createResearchService } from './analytics/research.service.js';
import { createAccountService } from './auth/accounts.service.js';
import { createAuthService } from './auth/auth.service.js';
import { createSessionGate } from './auth/session-gate.js';
import { createTokenService } from './auth/tokens.js';
import { createAppointmentService } from './booking/appointments.service.js';
import { createHoldService } from './booking/holds.service.js';
import type { HoldStore } from './booking/holds.store.js';
import type { Config } from './config.js';
import { createDirectoryService } from './directory/directory.service.js';
import { createPublisher } from './events/publisher.js';
import type { Sql } from './infra/postgres.js';
import { createRateLimiter, type RateLimitStore } from './infra/rate-limiter.js';
import { keyBuilder } from './infra/redis.js';
import type { Queues } from './jobs/jobs.js';
import type { Logger } from './logger.js';
import { createCalendarService } from './notifications/calendar.service.js';
import { createMailer, plainMail, resetMail } from './notifications/email.js';
import { createNotificationService } from './notifications/notifications.service.js';
import { createReminderService } from './notifications/reminders.service.js';
import { createDayQueue } from './queue/day-queue.js';
import { createQueueService } from './queue/queue.service.js';
import { createRatingService } from './ratings/ratings.service.js';
import { cipherOf } from './records/cipher.js';
import { createRecordsService } from './records/records.service.js';
import { createVault } from './records/vault.js';
import { createVisitReasons } from './records/visit-reasons.js';
import { createAppointmentTypeService } from './schedule/appointment-types.service.js';
import { createFreeSlotFinder } from './schedule/free-slot-finder.js';
import { createScheduleService } from './schedule/schedule.service.js';
import { createWaitlistService } from './waitlist/waitlist.service.js';
import { createWebhookService } from './webhooks/webhooks.service.js';

export type Services = ReturnType<typeof createServices>;

/**
 * The domain services and their wiring, in dependency order; no transport (HTTP, Socket.IO) appears
 * here. What a service needs from the jobs layer arrives as the queue that satisfies its interface.
 */
export function createServices({
  config,
  logger,
  sql,
  holdStore,
  rateLimits,
  queues,
  redis,
}: {
  config: Config;
  logger: Logger;
  sql: Sql;
  /** Where holds live (backends.ts: Redis, or memory in the embedded mode). */
  holdStore: HoldStore;
  rateLimits: RateLimitStore;
  queues: Queues;
  /** Carries session revocations to the other hub processes; absent in the embedded mode (one process). */
  redis: Redis | undefined;
}) {
  const tokens = createTokenService(config.jwt);
  const limiter = createRateLimiter(rateLimits, config.rateLimits.enabled);
  /** Revoked sessions, checked on every request and socket event (announced to every process). */
  const sessions = createSessionGate({
    db: sql,
    announce: redis ? { redis, channel: keyBuilder(config.redisPrefix)('sessions', 'revoked') } : undefined,
    logger,
  });
  /** Live events leave through here (hold events directly, outbox events via the relay). */
  const publisher = createPublisher();
  const cipher = cipherOf(config);
  const vault = createVault(sql, cipher);
  const records = createRecordsService({ sql, vault });
  const reasons = createVisitReasons(vault, cipher, records.audit);
  const schedule = createScheduleService({ sql, holds: holdStore });
  const holds = createHoldService({
    sql,
    holds: holdStore,
    schedule,
    expiry: queues.holdExpiry,
    publisher,
    holdTtlSeconds: config.holdTtlSeconds,
  });
  const mailer = config.smtp ? createMailer(config.smtp) : undefined;
  const dayQueue = createDayQueue({ mailer, logger });
  const appointments = createAppointmentService({
    sql,
    schedule,
    holds,
    reasons,
    logger,
    reminders: queues.reminders,
    cancelCutoffMinutes: config.cancelCutoffMinutes,
    dayQueue: dayQueue.hook,
    cancellationMail: mailer && ((to, subject, text) => mailer.send(plainMail(to, subject, text))),
  });
  /** The realtime layer ends a revoked display token's sockets; it starts after the services (hub.ts). */
  const displaySessions = { end: (_tokenId: string): void => {} };
  /** The same for revoked user sessions (deactivation, password change). */
  const userSessions = { end: (_familyIds: readonly string[]): void => {} };
  const auth = createAuthService({ sql, tokens, limiter, sessions, config, logger });
  const webhooks = createWebhookService({
    sql,
    cipher,
    queue: queues.webhooks,
    config: config.webhooks,
    logger,
  });
  const waitlist = createWaitlistService({
    sql,
    schedule,
    holdStore,
    expiry: queues.holdExpiry,
    publisher,
    mailer,
    logger,
    offerTtlSeconds: config.offerTtlSeconds,
  });
  return {
    tokens,
    limiter,
    publisher,
    sessions,
    auth,
    accounts: createAccountService({
      sql,
      auth,
      limiter,
      logger,
      publicUrl: config.publicUrl,
      sendResetLink: mailer && ((to, link) => mailer.send(resetMail(to, link))),
      sessions,
      sockets: userSessions,
    }),
    userSessions,
    directory: createDirectoryService({ sql, freeSlots: createFreeSlotFinder({ sql, holds: holdStore }) }),
    schedule,
    appointmentTypes: createAppointmentTypeService({ sql, schedule }),
    holdStore,
    holds,
    appointments,
    notifications: createNotificationService({ sql }),
    ratings: createRatingService({ sql }),
    calendar: createCalendarService({ sql, appointments }),
    reminders: createReminderService({
      sql,
      mailer,
      webhooks,
      leaseSeconds: config.deliveryLeaseSeconds,
      logger,
    }),
    webhooks,
    queue: createQueueService({
      sql,
      schedule,
      appointments,
      dayQueue,
      displaySessions,
      publicUrl: config.publicUrl,
    }),
    displaySessions,
    records,
    waitlist,
    analytics: createAnalyticsService({ sql }),
    research: createResearchService({ sql }),
    /** Closes what the services opened themselves (the SMTP pool, the session channel). */
    close: async () => {
      await sessions.close();
      await mailer?.close();
    },
  };
}
