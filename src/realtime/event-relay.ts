import type { LiveEvent } from '../events/event-types.js';
import { OUTBOX_CHANNEL, pruneEvents, relayBatch } from '../events/outbox.js';
import { outageLog } from '../infra/outage-log.js';
import type { Db, Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';

export interface RelayOptions {
  sql: Sql;
  logger: Logger;
  /** Sends one event to its room (Socket.IO through the Redis adapter). */
  emit: (event: LiveEvent) => void;
  /**
   * Durable work per batch inside the claiming transaction (webhook deliveries); its result runs after
   * commit (enqueueing their jobs). If it throws, the batch stays unpublished and is retried.
   */
  within?: (tx: Db, events: LiveEvent[]) => Promise<() => Promise<void>>;
  /** Called after each event is emitted, with commit→emit lag in seconds. */
  onRelayed?: (lagSeconds: number) => void;
  /** Safety-net sweep for anything NOTIFY missed (a dropped listen connection, an embedded database). */
  sweepMs: number;
  /** Published events older than this are deleted; resync past them answers `reset`. */
  retentionMs: number;
  batchSize?: number;
}

export interface EventRelay {
  /** Drains everything unpublished now; resolves when the table has nothing left to claim. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The outbox relay (invariant 3): LISTENs for the commit-time NOTIFY, claims unpublished events with
 * FOR UPDATE SKIP LOCKED so several hub processes share the work, emits them, marks them published.
 * A periodic sweep catches anything missed; a slower timer prunes old events.
 */
export async function startEventRelay(o: RelayOptions): Promise<EventRelay> {
  const batchSize = o.batchSize ?? 500;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // A drain fails each sweep while Postgres is away: one line then, one when it is back.
  const outage = outageLog(o.logger, 'event relay');

  const emitAll = (events: LiveEvent[]) => {
    const now = Date.now();
    for (const e of events) {
      o.emit(e);
      o.onRelayed?.(Math.max(0, (now - Date.parse(e.occurredAt)) / 1000));
    }
  };

  async function loop(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (stopped) break;
        const after: (() => Promise<void>)[] = [];
        const n = await relayBatch(
          o.sql,
          batchSize,
          emitAll,
          o.within && (async (tx, events) => void after.push(await o.within!(tx, events))),
        );
        for (const task of after)
          await task().catch((err) =>
            o.logger.error({ err }, 'relay after-commit task failed; the reconciler repairs it'),
          );
        if (n < batchSize) break;
      }
    } while (again && !stopped);
  }

  /** Coalesces triggers: one drain at a time, re-run once if triggered meanwhile. */
  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = loop()
      .then(() => outage.recovered())
      .catch((err) => outage.failed(err))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const listener = await o.sql
    .listen(OUTBOX_CHANNEL, () => void drain())
    .catch((err) => {
      o.logger.warn({ err }, 'LISTEN unavailable; relying on the periodic sweep');
      return undefined;
    });
  const sweep = setInterval(() => void drain(), o.sweepMs);
  const prune = setInterval(
    () =>
      void pruneEvents(o.sql, new Date(Date.now() - o.retentionMs))
        .then((n) => n > 0 && o.logger.info({ pruned: n }, 'old events pruned'))
        .catch((err) => o.logger.warn({ err }, 'event pruning failed')),
    Math.min(o.retentionMs, 10 * 60_000),
  );
  sweep.unref();
  prune.unref();
  void drain();

  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      clearInterval(prune);
      await listener?.unlisten();
      await running;
    },
  };
}
