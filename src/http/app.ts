import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.js';
import type { ExpiringStore } from '../infra/expiring-store.js';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import type { AppEnv } from './context.js';
import { Router } from './endpoint.js';
import { authenticate } from './middleware/authenticate.js';
import { bodyLimit } from './middleware/body-limit.js';
import { cors } from './middleware/cors.js';
import { deadline } from './middleware/deadline.js';
import { notFoundHandler, onError } from './middleware/errors.js';
import { idempotency } from './middleware/idempotency.js';
import { requestContext } from './middleware/request-context.js';
import { accountRoutes } from './routes/accounts.routes.js';
import { adminQueueRoutes } from './routes/admin-queues.routes.js';
import { analyticsRoutes } from './routes/analytics.routes.js';
import { appointmentTypeRoutes } from './routes/appointment-types.routes.js';
import { appointmentRoutes } from './routes/appointments.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { calendarRoutes } from './routes/calendar.routes.js';
import { clinicRoutes } from './routes/clinics.routes.js';
import { docsRoutes } from './routes/docs.routes.js';
import { doctorRoutes } from './routes/doctors.routes.js';
import { holdRoutes } from './routes/holds.routes.js';
import { notificationRoutes } from './routes/notifications.routes.js';
import { opsRoutes, type ReadinessChecks } from './routes/ops.routes.js';
import { queueRoutes } from './routes/queue.routes.js';
import { ratingRoutes } from './routes/ratings.routes.js';
import { recordRoutes } from './routes/records.routes.js';
import { scheduleRoutes } from './routes/schedule.routes.js';
import { waitlistRoutes } from './routes/waitlist.routes.js';
import { webRoutes } from './routes/web.routes.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import type { WebAsset } from './web-assets.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  services: Services;
  /** Every BullMQ queue, for the admin dashboard. */
  queues: readonly Queue[];
  /** Where Idempotency-Key answers are kept (Redis, or memory in the embedded mode). */
  idempotency: ExpiringStore;
  readiness: ReadinessChecks;
  /** The pages' bundles (web-assets.ts); without them the hub serves the API only. */
  webAssets?: Promise<Map<string, WebAsset>>;
}

/** The Hono app: middleware in order, then one routes file per resource. No I/O happens here. */
export function createApp(deps: AppDeps): { app: Hono<AppEnv>; router: Router } {
  const { config, services: s } = deps;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFoundHandler);

  app.use(requestContext(deps.logger, deps.metrics));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use(cors(config.corsOrigins));
  app.use(bodyLimit(config.bodyLimitBytes));
  // What reaches Postgres or Redis (the pages and probes do not; /readyz bounds its own checks).
  app.use('/v1/*', deadline(config.requestDeadlineMs));
  app.use('/admin/*', deadline(config.requestDeadlineMs));
  app.use('/v1/*', authenticate(s.tokens, s.sessions));
  app.use('/v1/*', idempotency(deps.idempotency, config.trustProxy));

  const router = new Router(app, { limiter: s.limiter, trustProxy: config.trustProxy });
  authRoutes(router, s.auth, config);
  accountRoutes(router, s.accounts, config.trustProxy);
  clinicRoutes(router, s.directory);
  doctorRoutes(router, s.directory);
  scheduleRoutes(router, s.schedule, s.appointments);
  appointmentTypeRoutes(router, s.appointmentTypes);
  // Holds and bookings share one per-user budget.
  const bookingBucket = {
    name: 'booking-user',
    points: config.rateLimits.bookingPerUser,
    durationSeconds: 60,
  };
  holdRoutes(router, s.holds, bookingBucket);
  appointmentRoutes(router, s.appointments, bookingBucket);
  waitlistRoutes(router, s.waitlist, bookingBucket);
  queueRoutes(router, s.queue);
  ratingRoutes(router, s.ratings);
  recordRoutes(router, s.records);
  notificationRoutes(router, s.notifications);
  webhookRoutes(router, s.webhooks);
  calendarRoutes(router, s.calendar, config.publicUrl);
  analyticsRoutes(router, s.analytics, s.research);
  adminQueueRoutes(app, deps.queues, s, config.trustProxy);
  opsRoutes(app, deps.readiness, deps.metrics, config.metricsToken);
  docsRoutes(app, router, config.publicUrl);
  if (deps.webAssets) webRoutes(app, deps.webAssets);
  return { app, router };
}
