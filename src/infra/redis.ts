import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a URL, or the unix socket of a private redis-server. */
export type RedisTarget = { url: string } | { path: string };

/**
 * A new client for one purpose (commands, pub/sub, BullMQ). Separate clients keep a blocking or
 * subscribed connection from stalling ordinary commands.
 */
export function createRedis(target: RedisTarget, name: string, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = { connectionName: name, enableAutoPipelining: true, ...extra };
  return 'url' in target ? new Redis(target.url, options) : new Redis({ ...options, path: target.path });
}

/** True when a Redis answers PING at the target within a second. */
export async function redisAnswers(target: RedisTarget): Promise<boolean> {
  const probe = createRedis(target, 'probe', {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Builds namespaced keys: REDIS_PREFIX keeps deployments and test runs apart on one Redis. */
export function keyBuilder(prefix: string) {
  return (...parts: string[]) => [prefix, ...parts].join(':');
}
export type Keys = ReturnType<typeof keyBuilder>;

/**
 * The server's `hz`: how often Redis runs its cron, which is when it notices blocking-command timeouts
 * (so how late a BullMQ delayed job can fire). Undefined where CONFIG is refused (managed Redis).
 */
export async function redisHz(redis: Redis): Promise<number | undefined> {
  const reply = (await redis.config('GET', 'hz').catch(() => undefined)) as string[] | undefined;
  const hz = Number(reply?.[1]);
  return hz > 0 ? hz : undefined;
}
