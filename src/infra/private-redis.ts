import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
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
 * hub run with no REDIS_URL and nothing on 127.0.0.1:6379. It runs in a process group of its own, so a
 * Ctrl-C in the terminal reaches the hub alone: the hub closes its clients first, then stops this server
 * (close()) and removes its folder. A server stopped under live clients made them retry a vanished
 * socket (`connect ENOENT`) until a command failed uncaught.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  // A unix socket path must stay under ~100 bytes, so it lives in a short temp folder, not DATA_DIR.
  const dir = await mkdtemp(join(tmpdir(), 'bh-redis-'));
  const path = join(dir, 'redis.sock');
  const removeDir = () => rm(dir, { recursive: true, force: true });
  let child: ChildProcess;
  try {
    child = await spawnRedis(path, dir);
  } catch (err) {
    await removeDir();
    throw err;
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // A hub that exits without closing (a crash, a forced exit) still takes its server and folder along.
  const killOnExit = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await removeDir();
  };
  const deadline = Date.now() + 5000;
  while (!(await redisAnswers({ path }))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      process.off('exit', killOnExit);
      child.kill('SIGKILL');
      await exited;
      await removeDir();
      throw new RedisUnavailableError('a private redis-server started but did not answer');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let closing: Promise<void> | undefined;
  return {
    path,
    close: () => {
      closing ??= stop();
      return closing;
    },
  };
}

/** A throwaway redis-server's arguments: where it listens, then no persistence, hz 100, its folder. */
export function throwawayRedisArgs(listen: string[], dir: string): string[] {
  return [...listen, '--save', '', '--appendonly', 'no', '--hz', '100', '--dir', dir];
}

function spawnRedis(socketPath: string, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      throwawayRedisArgs(['--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700'], dir),
      // detached: its own process group, out of reach of the terminal's Ctrl-C (see startPrivateRedis).
      { stdio: 'ignore', detached: true },
    );
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new RedisUnavailableError(err.code === 'ENOENT' ? 'redis-server is not on PATH' : err.message)),
    );
    child.once('spawn', () => resolve(child));
  });
}
