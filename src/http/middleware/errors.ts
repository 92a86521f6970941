import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, titleFor } from '../../errors.js';
import { isDependencyDown, unavailable } from '../../infra/dependency-errors.js';
import type { AppEnv } from '../context.js';
import { problemFor } from '../problem.js';

/** RFC 9457 problem+json for an AppError, carrying the headers set before the handler (request id, CORS). */
export function problem(c: Context<AppEnv>, err: AppError): Response {
  const p = problemFor(err, c.get('requestId'));
  return c.body(p.body, p.status as ContentfulStatusCode, p.headers);
}

/** The one place errors become responses. Unknown errors are logged with their stack and answer 500. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    // A 500 we chose (e.g. decryption_failed: a ciphertext that does not open) is an incident to look into.
    if (err.status === 500) c.get('log').error({ code: err.code, detail: err.message }, 'server error');
    return problem(c, err);
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'validation_failed';
    return problem(c, new AppError(code, err.message || titleFor(code)));
  }
  // Postgres or Redis away: the access log's 503 and the outage line (outage-log.ts) say it once,
  // not a stack per request.
  if (isDependencyDown(err)) return problem(c, unavailable());
  c.get('log').error({ err }, 'unhandled error');
  return problem(
    c,
    new AppError('internal', 'Something went wrong on our side; the request id helps us find it'),
  );
}

export function notFoundHandler(c: Context<AppEnv>): Response {
  return problem(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`));
}
