import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type AuthService, createAuthService } from './auth/auth.service.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { type AppointmentService, createAppointmentService } from './booking/appointments.service.js';
import { createHoldStore, type HoldStore } from './booking/holds.js';
import { createHoldService, type HoldService } from './booking/holds.service.js';
import type { Config } from './config.js';
import { createDirectoryService, type DirectoryService } from './directory/directory.service.js';
import { createPublisher, type Publisher } from './events/publisher.js';
import type { Sql } from './infra/postgres.js';
import { createRateLimiter, type RateLimiter } from './infra/rate-limiter.js';
import type { Keys } from './infra/redis.js';
import { createHoldExpiryQueue } from './jobs/hold-expiry.queue.js';
import { createReminderQueue, type ReminderQueue } from './jobs/reminders.queue.js';
import { createWebhookQueue } from './jobs/webhooks.queue.js';
import type { Logger } from './logger.js';
import { type CalendarService, createCalendarService } from './notifications/calendar.service.js';
import { createMailer, type Mailer } from './notifications/email.js';
import {
  createNotificationService,
  type NotificationService,
} from './notifications/notifications.service.js';
import { createReminderService, type ReminderService } from './notifications/reminders.service.js';
import { createCipher } from './records/cipher.js';
import { createFreeSlotFinder } from './schedule/free-slot-finder.js';
import { createScheduleService, type ScheduleService } from './schedule/schedule.service.js';
import { createWebhookService, type WebhookService } from './webhooks/webhooks.service.js';

export interface Services {
  tokens: TokenService;
  limiter: RateLimiter;
  auth: AuthService;
  directory: DirectoryService;
  schedule: ScheduleService;
  holdStore: HoldStore;
  holds: HoldService;
  appointments: AppointmentService;
  notifications: NotificationService;
  calendar: CalendarService;
  /** Every BullMQ queue, for the admin dashboard. */
  queues: Queue[];
  reminderQueue: ReminderQueue;
  reminders: ReminderService;
  webhooks: WebhookService;
  /** Live events leave through here (hold events directly, outbox events via the relay). */
  publisher: Publisher;
  closeQueues(): Promise<void>;
}

/** The domain services and their wiring; no transport (HTTP, Socket.IO) appears here. */
export function createServices(d: {
  config: Config;
  logger: Logger;
  sql: Sql;
  redis: Redis;
  queueRedis: Redis;
  keys: Keys;
}): Services {
  const { config, logger, sql, redis } = d;
  const tokens = createTokenService(config.jwt);
  const limiter = createRateLimiter(redis, d.keys, config.rateLimits.enabled);
  const publisher = createPublisher();
  const holdStore = createHoldStore(redis, d.keys);
  const schedule = createScheduleService({ sql, holds: holdStore });
  const holdExpiry = createHoldExpiryQueue(d.queueRedis, config.redisPrefix);
  const holds = createHoldService({
    sql,
    holds: holdStore,
    schedule,
    expiry: holdExpiry,
    publisher,
    holdTtlSeconds: config.holdTtlSeconds,
  });
  const cipher = createCipher(config.encryptionKey);
  const webhookQueue = createWebhookQueue(d.queueRedis, config.redisPrefix, config.webhooks);
  const webhooks = createWebhookService({
    sql,
    cipher,
    queue: webhookQueue,
    config: config.webhooks,
    logger,
  });
  const reminderQueue = createReminderQueue(d.queueRedis, config.redisPrefix, {
    offsets: config.reminderOffsets,
    backoffMs: config.jobBackoffMs,
  });
  const mailer: Mailer | undefined = config.smtp ? createMailer(config.smtp) : undefined;
  const reminders = createReminderService({
    sql,
    mailer,
    webhooks,
    leaseSeconds: config.deliveryLeaseSeconds,
    logger,
  });
  const appointments = createAppointmentService({
    sql,
    schedule,
    holds,
    cipher,
    logger,
    reminders: reminderQueue,
    cancelCutoffMinutes: config.cancelCutoffMinutes,
  });
  return {
    tokens,
    limiter,
    auth: createAuthService({ sql, tokens, limiter, config, logger }),
    directory: createDirectoryService({ sql, freeSlots: createFreeSlotFinder({ sql, holds: holdStore }) }),
    schedule,
    holdStore,
    holds,
    appointments,
    notifications: createNotificationService({ sql }),
    calendar: createCalendarService({ sql, appointments }),
    queues: [holdExpiry.queue, reminderQueue.queue, webhookQueue.queue],
    reminderQueue,
    reminders,
    webhooks,
    publisher,
    async closeQueues() {
      mailer?.close();
      await Promise.all([holdExpiry.close(), webhookQueue.close(), reminderQueue.close()]);
    },
  };
}
