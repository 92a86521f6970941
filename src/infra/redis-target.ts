import type { Logger } from '../logger.js';
import { RedisUnavailableError, startPrivateRedis } from './private-redis.js';
import { type RedisTarget, redisAnswers } from './redis.js';

const LOCAL_DEFAULT = 'redis://127.0.0.1:6379';

/**
 * REDIS_URL when set; otherwise a Redis already answering on 127.0.0.1:6379; otherwise a private
 * redis-server from PATH (stopped by `close`). Fails with a message naming the ways to get one.
 */
export async function resolveRedisTarget(
  redisUrl: string | undefined,
  logger: Logger,
): Promise<{ target: RedisTarget; describe: string; close: () => Promise<void> }> {
  const none = async () => {};
  if (redisUrl) {
    if (!(await redisAnswers({ url: redisUrl })))
      throw new RedisUnavailableError(`nothing answers at REDIS_URL`);
    return { target: { url: redisUrl }, describe: 'REDIS_URL', close: none };
  }
  if (await redisAnswers({ url: LOCAL_DEFAULT })) {
    return { target: { url: LOCAL_DEFAULT }, describe: LOCAL_DEFAULT, close: none };
  }
  logger.warn('no REDIS_URL and nothing on 127.0.0.1:6379: starting a private redis-server (no persistence)');
  const priv = await startPrivateRedis();
  return { target: { path: priv.path }, describe: `private redis-server at ${priv.path}`, close: priv.close };
}
