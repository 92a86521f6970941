import { timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { Metrics } from '../../infra/metrics.js';
import type { AppEnv } from '../context.js';

/** Named readiness probes: each resolves when its dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/**
 * How long /readyz waits for each dependency: a Redis or Postgres that is away fails at once (the
 * clients are bounded), one that hangs is called unavailable after this.
 */
const READY_WITHIN_MS = 500;

/**
 * Liveness, readiness and Prometheus metrics: for orchestrators, not clients, so not under /v1.
 * /metrics tells how the hub is used and by how many, so it is served only to a scraper presenting
 * METRICS_TOKEN (Authorization: Bearer); without one configured it is not served at all.
 */
export function opsRoutes(
  app: Hono<AppEnv>,
  checks: ReadinessChecks,
  metrics: Metrics,
  metricsToken: string | undefined,
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), READY_WITHIN_MS);
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

  app.get('/metrics', async (c) => {
    if (!metricsToken || !bearerMatches(c.req.header('authorization'), metricsToken)) return c.notFound();
    return c.body(await metrics.registry.metrics(), 200, {
      'content-type': metrics.registry.contentType,
      'cache-control': 'no-store',
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Compares in constant time (a hash-free token: equal lengths first, which only leaks the length). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
