import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

/**
 * Refuses request bodies over `maxSize` bytes with 413 `payload_too_large`. A request that declares its
 * length is judged by the header alone (Node's parser holds the body to that length); only a chunked one
 * goes through hono's bodyLimit, which counts the bytes as they stream in.
 *
 * Why not hono's middleware for every request: it starts by reading `c.req.raw.body`, which makes
 * @hono/node-server build a full WHATWG Request and body stream for each request instead of its direct
 * read of the socket. In the booking benchmark that was a sixth of the hub's CPU.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (): never => {
    throw new AppError('payload_too_large', `The body is larger than ${maxSize} bytes`);
  };
  const streaming = streamingBodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxSize) tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
