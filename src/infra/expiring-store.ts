import type { Redis } from 'ioredis';
import type { Keys } from './redis.js';

/**
 * Short-lived string values under a key, each with its own time to live: what idempotency keys need.
 * One Redis implementation (shared by every hub process) and one in memory (the single-process
 * embedded mode); tests/integration/contract/* run the same contract against both.
 */
export interface ExpiringStore {
  /** Sets the value only if the key is absent; true when it was set. */
  claim(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
  forget(key: string): Promise<void>;
}

export function redisExpiringStore(redis: Redis, keys: Keys): ExpiringStore {
  return {
    async claim(key, value, ttlSeconds) {
      return (await redis.set(keys(key), value, 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async get(key) {
      return (await redis.get(keys(key))) ?? undefined;
    },
    async put(key, value, ttlSeconds) {
      await redis.set(keys(key), value, 'EX', ttlSeconds);
    },
    async forget(key) {
      await redis.del(keys(key));
    },
  };
}

/** In memory; expired entries are dropped when read and by a sweep once a minute. */
export function memoryExpiringStore(now: () => number = Date.now): ExpiringStore & { close(): void } {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, 60_000);
  sweep.unref();
  return {
    async claim(key, value, ttlSeconds) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      return true;
    },
    async get(key) {
      return live(key)?.value;
    },
    async put(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async forget(key) {
      entries.delete(key);
    },
    close: () => clearInterval(sweep),
  };
}
