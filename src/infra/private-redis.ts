import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from './redis.js';

export interface PrivateRedis {
  path: string;
  close(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `No Redis: ${detail}\n` +
        'Set REDIS_URL, or start one: `docker compose up -d redis`, or `apt-get install redis-server`.',
    );
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Starts a redis-server from PATH listening only on a unix socket (no TCP port, no persistence), for a
 * hub run with no REDIS_URL and nothing on 127.0.0.1:6379. It is stopped by close().
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  // A unix socket path must stay under ~100 bytes, so it lives in a short temp folder, not DATA_DIR.
  const dir = await mkdtemp(join(tmpdir(), 'bh-redis-'));
  const path = join(dir, 'redis.sock');
  let child: ChildProcess;
  try {
    child = await spawnRedis(path, dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const deadline = Date.now() + 5000;
  while (!(await redisAnswers({ path }))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new RedisUnavailableError('redis-server started but did not answer');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    path,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function spawnRedis(socketPath: string, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--unixsocket',
        socketPath,
        '--unixsocketperm',
        '700',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new RedisUnavailableError(err.code === 'ENOENT' ? 'redis-server is not on PATH' : err.message)),
    );
    child.once('spawn', () => resolve(child));
  });
}
