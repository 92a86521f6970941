import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { RedisUnavailableError, startPrivateRedis } from './private-redis.js';
import { type RedisTarget, redisAnswers } from './redis.js';

const LOCAL_DEFAULT = 'redis://127.0.0.1:6379';

/**
 * Where the Redis duties (holds, rate limits, idempotency, hold expiry, jobs, Socket.IO fan-out) run,
 * decided before anything is created: a Redis at a URL, a private redis-server to start from PATH, or
 * none (the single-process embedded mode: memory and the database).
 */
export type RedisPlan =
  | { kind: 'url'; url: string; describe: string }
  | { kind: 'private' }
  | { kind: 'none'; why: string };

/** What a process runs; only `all` can run without Redis. */
type Role = 'api' | 'worker' | 'all';

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparseable URL';
  }
}

/**
 * REDIS_URL when set (`none` → embedded); else a Redis answering on 127.0.0.1:6379; else a private
 * redis-server when one is on PATH; else the embedded mode. Split roles (`--role api|worker`) share
 * their state through Redis, so they refuse to run without one.
 */
export async function planRedis(redisUrl: string | undefined, role: Role): Promise<RedisPlan> {
  const needsRedis = (why: string) => {
    if (role === 'all') return { kind: 'none', why } as const;
    throw new RedisUnavailableError(
      `${why}; --role ${role} runs beside other processes, which share holds, jobs and live events through Redis`,
    );
  };
  if (redisUrl === 'none') return needsRedis('REDIS_URL=none');
  if (redisUrl) {
    if (!(await redisAnswers({ url: redisUrl })))
      throw new RedisUnavailableError(`nothing answers at REDIS_URL=${redactedUrl(redisUrl)}`);
    return { kind: 'url', url: redisUrl, describe: 'REDIS_URL' };
  }
  if (await redisAnswers({ url: LOCAL_DEFAULT })) {
    return { kind: 'url', url: LOCAL_DEFAULT, describe: LOCAL_DEFAULT };
  }
  if (await onPath('redis-server')) return { kind: 'private' };
  return needsRedis(`no REDIS_URL, nothing answers at ${LOCAL_DEFAULT} and no redis-server on PATH`);
}

/** Connects the plan: the target to create clients for, and what stops it (a private server). */
export async function openRedisTarget(
  plan: Exclude<RedisPlan, { kind: 'none' }>,
): Promise<{ target: RedisTarget; describe: string; close: () => Promise<void> }> {
  if (plan.kind === 'url')
    return { target: { url: plan.url }, describe: plan.describe, close: async () => {} };
  const priv = await startPrivateRedis();
  return { target: { path: priv.path }, describe: `private redis-server at ${priv.path}`, close: priv.close };
}

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
