import type { Logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';

/** Hono environment of every request: values set by middleware, read by routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal | undefined;
  };
}
