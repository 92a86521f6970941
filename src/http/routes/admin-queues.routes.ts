import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { Hono, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { AuthService } from '../../auth/auth.service.js';
import type { TokenService } from '../../auth/tokens.js';
import type { AppEnv } from '../context.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const CACHE_MS = 60_000;
/** Verified Basic logins remembered at once (a few admins' browsers), least recently used dropped first. */
const CACHE_MAX = 1_000;

/**
 * Admins only: a Bearer access token with the admin role, or HTTP Basic with an admin's email and
 * password (so a browser can open the dashboard). Verified Basic headers are remembered for a minute
 * by their hash, so the page's many asset requests do not each pay for argon2.
 */
function adminGate(tokens: TokenService, auth: AuthService): MiddlewareHandler<AppEnv> {
  const verified = new LRUCache<string, true>({ max: CACHE_MAX, ttl: CACHE_MS });
  return async (c, next) => {
    // Through the context, so the headers middleware set (CORS, request id, security) go out too.
    const deny = () => {
      c.header('www-authenticate', 'Basic realm="booking-hub admin", charset="UTF-8"');
      return c.text('Admins only', 401);
    };
    const header = c.req.header('authorization') ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer') {
      const principal = await tokens.verifyAccess(value).catch(() => undefined);
      if (principal?.role !== 'admin') return deny();
    } else if (scheme?.toLowerCase() === 'basic') {
      const key = createHash('sha256').update(value).digest('base64url');
      if (!verified.get(key)) {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0 || !(await auth.isAdminLogin(decoded.slice(0, colon), decoded.slice(colon + 1))))
          return deny();
        verified.set(key, true);
      }
    } else {
      return deny();
    }
    await next();
  };
}

/** Bull Board at /admin/queues: every queue's jobs, delays, failures and retries. */
export function adminQueueRoutes(
  app: Hono<AppEnv>,
  queues: readonly Queue[],
  tokens: TokenService,
  auth: AuthService,
): void {
  const board = new HonoAdapter(serveStatic);
  board.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  const gate = adminGate(tokens, auth);
  app.use(ADMIN_QUEUES_PATH, gate);
  app.use(`${ADMIN_QUEUES_PATH}/*`, gate);
  app.route(ADMIN_QUEUES_PATH, board.registerPlugin());
}
