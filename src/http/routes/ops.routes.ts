import type { Hono } from 'hono';
import type { Metrics } from '../../infra/metrics.js';
import type { AppEnv } from '../context.js';

/** Named readiness probes: each resolves when its dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/** Liveness, readiness and Prometheus metrics: for orchestrators, not clients, so not under /v1. */
export function opsRoutes(app: Hono<AppEnv>, checks: ReadinessChecks, metrics: Metrics): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return c.json(
      { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) },
      ready ? 200 : 503,
    );
  });

  app.get('/metrics', async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
