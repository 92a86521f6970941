import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';
import type { Keys } from './redis.js';

/** A named limit: `points` per `durationSeconds` for one key (an IP, an account). */
export interface Bucket {
  name: string;
  points: number;
  durationSeconds: number;
}

export interface RateLimiter {
  /** Spends one point; throws 429 rate_limited (with Retry-After) when the bucket is empty. */
  consume(bucket: Bucket, key: string): Promise<void>;
  /** Throws 429 if the bucket is already empty, without spending a point. */
  check(bucket: Bucket, key: string): Promise<void>;
  /** Forgets a key (e.g. failed logins after a successful one). */
  reset(bucket: Bucket, key: string): Promise<void>;
}

/** Where the counters live: Redis (shared by every hub process), or this process's memory (embedded mode). */
export type RateLimitStore = { redis: Redis; keys: Keys } | 'memory';

/**
 * Fixed-window counters (rate-limiter-flexible: atomic in Redis, or in memory for the single-process
 * embedded mode; both limiters share one API). `enabled: false` (RATE_LIMITS=off) makes every call a
 * no-op, for load tests.
 */
export function createRateLimiter(store: RateLimitStore, enabled: boolean): RateLimiter {
  const limiters = new Map<string, RateLimiterRedis | RateLimiterMemory>();
  const limiterFor = (b: Bucket) => {
    let limiter = limiters.get(b.name);
    if (!limiter) {
      const options = { points: b.points, duration: b.durationSeconds };
      limiter =
        store === 'memory'
          ? new RateLimiterMemory({ ...options, keyPrefix: `rl:${b.name}` })
          : new RateLimiterRedis({
              ...options,
              storeClient: store.redis,
              keyPrefix: store.keys('rl', b.name),
            });
      limiters.set(b.name, limiter);
    }
    return limiter;
  };
  const tooMany = (res: RateLimiterRes) =>
    new AppError('rate_limited', 'Too many requests; try again later', {
      retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });

  return {
    async consume(bucket, key) {
      if (!enabled) return;
      try {
        await limiterFor(bucket).consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw tooMany(err);
        throw err;
      }
    },
    async check(bucket, key) {
      if (!enabled) return;
      const res = await limiterFor(bucket).get(key);
      if (res && res.remainingPoints <= 0) throw tooMany(res);
    },
    async reset(bucket, key) {
      if (!enabled) return;
      await limiterFor(bucket).delete(key);
    },
  };
}
