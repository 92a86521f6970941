import type { MiddlewareHandler } from 'hono';
import type { TokenService } from '../../auth/tokens.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

/**
 * Verifies a Bearer access token when one is sent and puts the Principal on the context. A present but
 * bad token is refused everywhere (401); each endpoint's `access` rule decides whether none is fine.
 */
export function authenticate(tokens: TokenService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(header.trim());
      if (!match?.[1]) throw new AppError('unauthorized', 'Missing or invalid access token');
      c.set('principal', await tokens.verifyAccess(match[1]));
    }
    await next();
  };
}
