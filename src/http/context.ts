import type { Principal } from '../auth/principal.js';
import type { Logger } from '../logger.js';

/** Hono environment of every request: values set by middleware, read by routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal | undefined;
  };
}
