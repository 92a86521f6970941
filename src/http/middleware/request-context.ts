import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../../infra/metrics.js';
import type { Logger } from '../../logger.js';
import { inRequest } from '../../shared/request-scope.js';
import type { AppEnv } from '../context.js';

const INCOMING_ID = /^[\w.-]{8,128}$/;

/**
 * Gives every request an id (kept from X-Request-Id when it looks sane), a child logger carrying it,
 * one access-log line and one latency observation labelled by route template, never by raw path.
 */
export function requestContext(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('principal', undefined);
    const started = performance.now();
    await inRequest(requestId, next);
    // Set on the response itself: c.header() after the handler makes hono copy the whole response.
    c.res.headers.set('x-request-id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const last = routePath(c, -1);
    const route = last === '*' || last === '/*' ? 'unmatched' : last;
    metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    log.info(
      {
        method: c.req.method,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 10_000) / 10,
        userId: c.get('principal')?.userId,
      },
      'request',
    );
  };
}
