import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a URL, or the unix socket of a private redis-server. */
export type RedisTarget = { url: string } | { path: string };

/**
 * A new client for one purpose (commands, pub/sub, BullMQ). Separate clients keep a blocking or
 * subscribed connection from stalling ordinary commands.
 */
export function createRedis(target: RedisTarget, name: string, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = {
    connectionName: name,
    enableAutoPipelining: true,
    retryStrategy: reconnectDelay,
    ...extra,
  };
  return 'url' in target ? new Redis(target.url, options) : new Redis({ ...options, path: target.path });
}

/**
 * Reconnect attempts come quickly and stay frequent (at most 500 ms apart): a Redis that returns is
 * back in use within half a second, where ioredis's default waits up to 2 s.
 */
export const reconnectDelay = (attempt: number) => Math.min(attempt * 50, 500);

/**
 * For the connection requests use: a command waits at most `deadlineMs` (then "Command timed out"),
 * and while Redis is away a queued command fails at the next failed reconnect attempt instead of
 * waiting for Redis to return; both answer 503 (dependency-errors.ts). Not for blocking connections
 * (BullMQ workers), whose commands wait on purpose.
 */
export function boundedCommands(deadlineMs: number): RedisOptions {
  return { commandTimeout: deadlineMs, maxRetriesPerRequest: 0 };
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
