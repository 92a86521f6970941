/**
 * Gathers what concurrent callers hand in during one turn of the event loop and sends it together:
 * every `add` of the turn resolves (or rejects) with the one `flush` of their combined items. On a busy
 * hub this turns a round trip per request into one per turn (e.g. the reminder jobs of every booking
 * that committed in the same turn go to Redis in one write).
 *
 * The flush runs on setImmediate, after the I/O callbacks of the current turn, so it waits for nothing
 * but the work already queued: an idle hub sends at once.
 */
export function batcher<T>(flush: (items: T[]) => Promise<void>): (items: readonly T[]) => Promise<void> {
  let pending: { items: T[]; done: Promise<void> } | undefined;
  return (items) => {
    if (items.length === 0) return Promise.resolve();
    if (pending) {
      pending.items.push(...items);
      return pending.done;
    }
    const batch: T[] = [...items];
    const done = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        pending = undefined;
        flush(batch).then(resolve, reject);
      });
    });
    pending = { items: batch, done };
    return done;
  };
}
