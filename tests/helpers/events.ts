import type { LiveEvent } from '../../src/events/event-types.js';
import type { Publisher } from '../../src/events/publisher.js';

interface Waiter {
  match: (event: LiveEvent) => boolean;
  resolve: (event: LiveEvent) => void;
}

/**
 * Records every event the hub's publisher sends from now on. Subscribe before acting, then `waitFor`
 * the event: one already seen resolves at once, otherwise the promise waits for it or rejects after
 * `timeoutMs` (no sleeps).
 */
export function recordEvents(publisher: Publisher) {
  const seen: LiveEvent[] = [];
  const waiters = new Set<Waiter>();
  const stop = publisher.onEvent((event) => {
    seen.push(event);
    for (const waiter of waiters) {
      if (waiter.match(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  });

  function waitFor(
    match: (event: LiveEvent) => boolean,
    timeoutMs = 5000,
    what = 'a matching event',
  ): Promise<LiveEvent> {
    const already = seen.find(match);
    if (already) return Promise.resolve(already);
    return new Promise<LiveEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; saw ${seen.map((e) => e.type).join(', ') || 'nothing'}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      waiters.add(waiter);
    });
  }

  return { seen, waitFor, stop };
}

/** Matches an event of one type in one room whose data carries this slot start (as an instant). */
export function slotEvent(type: LiveEvent['type'], doctorId: string, start: string) {
  const at = Date.parse(start);
  return (event: LiveEvent): boolean => {
    if (event.type !== type || event.room !== `slots:${doctorId}`) return false;
    const data = event.data as { start?: unknown };
    return typeof data.start === 'string' && Date.parse(data.start) === at;
  };
}
