import type { MiddlewareHandler } from 'hono';
import type { SessionGate } from '../../auth/session-gate.js';
import type { TokenService } from '../../auth/tokens.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

/**
 * Verifies a Bearer access token when one is sent and puts the Principal on the context. A present but
 * bad token, or one whose session was revoked (logout, password change: session-gate.ts), is refused
 * everywhere (401); each endpoint's `access` rule decides whether none is fine. What a signed-in
 * caller gets back is theirs: no cache keeps it (Cache-Control: no-store unless a route says otherwise).
 */
export function authenticate(tokens: TokenService, sessions: SessionGate): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(header.trim());
      if (!match?.[1]) throw new AppError('unauthorized', 'Missing or invalid access token');
      const principal = await tokens.verifyAccess(match[1]);
      await sessions.check(principal);
      c.set('principal', principal);
      await next();
      if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
      return;
    }
    await next();
  };
}
