import type { MiddlewareHandler } from 'hono';
import { unavailable } from '../../infra/dependency-errors.js';
import type { AppEnv } from '../context.js';

/**
 * Every request is answered within `ms`: a handler still waiting on Postgres or Redis by then gets
 * 503 `unavailable` with Retry-After instead of holding the client. The handler itself runs on to its
 * own end (a write it started either commits or not; an Idempotency-Key retry finds out which).
 */
export function deadline(ms: number): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ms);
    });
    const handled = next().then(() => 'done' as const);
    try {
      if ((await Promise.race([handled, late])) === 'late') {
        handled.catch(() => {});
        throw unavailable('The hub could not answer within its deadline; retry shortly');
      }
    } finally {
      clearTimeout(timer);
    }
  };
}
