import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, titleFor } from '../../errors.js';
import type { AppEnv } from '../context.js';

/** RFC 9457 problem+json for an AppError, carrying the headers set before the handler (request id, CORS). */
export function problem(c: Context<AppEnv>, err: AppError): Response {
  const body = {
    type: `https://booking-hub.dev/problems/${err.code}`,
    title: titleFor(err.code),
    status: err.status,
    code: err.code,
    detail: err.message,
    requestId: c.get('requestId'),
    ...(err.extra.errors ? { errors: err.extra.errors } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (err.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.extra.retryAfterSeconds);
  return c.body(JSON.stringify(body), err.status as ContentfulStatusCode, headers);
}

/** The one place errors become responses. Unknown errors are logged with their stack and answer 500. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) return problem(c, err);
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'validation_failed';
    return problem(c, new AppError(code, err.message || titleFor(code)));
  }
  c.get('log').error({ err }, 'unhandled error');
  return problem(
    c,
    new AppError('internal', 'Something went wrong on our side; the request id helps us find it'),
  );
}

export function notFoundHandler(c: Context<AppEnv>): Response {
  return problem(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`));
}
