/**
 * Request coalescing for reads: while a read for `key` is in flight, further calls with the same key
 * share its promise instead of sending the same query again. Nothing is kept once it settles, so the
 * answer a caller gets is at most one query's duration older than its request. A crowd of patients on
 * one slot costs one Postgres round trip, not a thousand queued on the pool.
 *
 * Only for reads whose answer is the same for every caller and where that staleness is harmless (a
 * write still checks its own constraint); decisions that depend on the caller stay outside.
 */
export function singleFlight<K, V>(): (key: K, read: () => Promise<V>) => Promise<V> {
  const inFlight = new Map<K, Promise<V>>();
  return (key, read) => {
    const running = inFlight.get(key);
    if (running) return running;
    const started = read().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
