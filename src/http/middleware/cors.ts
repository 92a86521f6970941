import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.js';

const ALLOW_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
const ALLOW_HEADERS = 'authorization,content-type,idempotency-key,x-request-id,x-access-reason';
const EXPOSE_HEADERS = 'x-request-id,retry-after';
const MAX_AGE_SECONDS = '600';

/**
 * CORS for origins listed in CORS_ORIGINS ('*' allows any, echoed back). Every header is set before the
 * handler runs, so it goes into the response the handler builds.
 *
 * Why not hono/cors: it writes to `c.res` before the handler, and then hono copies every response into
 * a new one (through a full WHATWG Response and body stream on @hono/node-server) to merge the headers,
 * and once more for the Vary it appends afterwards; that was a fifth of the hub's CPU per request.
 */
export function cors(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const anyOrigin = origins.includes('*');
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && (anyOrigin || origins.includes(origin));
    c.header('vary', 'Origin');
    if (allowed) {
      c.header('access-control-allow-origin', origin);
      c.header('access-control-expose-headers', EXPOSE_HEADERS);
    }
    if (c.req.method !== 'OPTIONS') return next();
    // A preflight: what the real request may carry, cached by the browser for ten minutes.
    c.header('vary', 'Origin, Access-Control-Request-Headers');
    if (allowed) {
      c.header('access-control-allow-methods', ALLOW_METHODS);
      c.header('access-control-allow-headers', ALLOW_HEADERS);
      c.header('access-control-max-age', MAX_AGE_SECONDS);
    }
    return c.body(null, 204);
  };
}
