import { createApp } from '../../src/http/app.js';
import type { DocumentedEndpoint } from '../../src/http/endpoint.js';
import { memoryExpiringStore } from '../../src/infra/expiring-store.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createLogger } from '../../src/logger.js';
import type { TestHub } from './harness.js';

/** Every endpoint the app registers (method, path, access), from the same composition the hub uses, without I/O. */
export function routeTable(hub: TestHub): DocumentedEndpoint[] {
  const { router } = createApp({
    config: hub.config,
    logger: createLogger('silent'),
    metrics: createMetrics(),
    services: hub.services,
    queues: hub.queues.all,
    idempotency: memoryExpiringStore(),
    readiness: {},
  });
  return router.endpoints;
}
