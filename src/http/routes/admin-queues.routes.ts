import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { Hono, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { Services } from '../../services.js';
import { clientIp } from '../client-ip.js';
import type { AppEnv } from '../context.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const CACHE_MS = 60_000;
/** Verified Basic logins remembered at once (a few admins' browsers), least recently used dropped first. */
const CACHE_MAX = 1_000;

type GateServices = Pick<Services, 'tokens' | 'sessions' | 'auth'>;

/**
 * Admins only: a Bearer access token with the admin role (and a live session), or HTTP Basic with an
 * admin's email and password (so a browser can open the dashboard). Verified Basic headers are
 * remembered for a minute by their hash, so the page's many asset requests do not each pay for argon2;
 * a password that has to be checked goes through the login's rate limits and lockout first.
 */
function adminGate({ tokens, sessions, auth }: GateServices, trustProxy: boolean): MiddlewareHandler<AppEnv> {
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
      await sessions.check(principal);
    } else if (scheme?.toLowerCase() === 'basic') {
      const key = createHash('sha256').update(value).digest('base64url');
      if (!verified.get(key)) {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) return deny();
        const login = { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
        if (!(await auth.isAdminLogin(login, clientIp(c, trustProxy)))) return deny();
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
  services: GateServices,
  trustProxy: boolean,
): void {
  const board = new HonoAdapter(serveStatic);
  board.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  const gate = adminGate(services, trustProxy);
  app.use(ADMIN_QUEUES_PATH, gate);
  app.use(`${ADMIN_QUEUES_PATH}/*`, gate);
  app.route(ADMIN_QUEUES_PATH, board.registerPlugin());
}
