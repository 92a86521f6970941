import type { Logger } from '../logger.js';
import { isDependencyDown } from './dependency-errors.js';

export interface OutageLog {
  /** A failure: the first one of an outage logs one warning line; the rest are counted, not logged. */
  failed(err: unknown): void;
  /** Things work again: one info line with how long it lasted and how many failures were swallowed. */
  recovered(): void;
}

/**
 * One log line when a dependency goes away and one when it is back, whatever retries happen in
 * between (reconnect attempts, a worker's polling, the relay's sweep). Errors that do not mean an
 * outage are logged as errors each time, as before.
 */
export function outageLog(logger: Logger, what: string): OutageLog {
  let since: number | undefined;
  let failures = 0;
  return {
    failed(err) {
      if (!isDependencyDown(err)) {
        logger.error({ err, component: what }, `${what} error`);
        return;
      }
      failures++;
      if (since !== undefined) return;
      since = Date.now();
      logger.warn(
        { component: what, cause: err instanceof Error ? err.message : String(err) },
        `${what}: dependency unavailable; retrying quietly until it is back`,
      );
    },
    recovered() {
      if (since === undefined) return;
      logger.info({ component: what, outageMs: Date.now() - since, failures }, `${what}: dependency back`);
      since = undefined;
      failures = 0;
    },
  };
}

/**
 * A BullMQ worker's errors through an outage log: while Redis is away it retries by itself (one line),
 * and the line saying it is back comes when its connection is ready again.
 */
export function quietOutages(
  worker: { on(event: 'error', fn: (err: Error) => void): unknown },
  connection: { on(event: 'ready', fn: () => void): unknown },
  logger: Logger,
  what: string,
): void {
  const log = outageLog(logger, what);
  worker.on('error', (err) => log.failed(err));
  connection.on('ready', () => log.recovered());
}
