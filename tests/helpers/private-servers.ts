import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort, waitUntil } from './process.js';

const run = promisify(execFile);

/**
 * A Postgres or Redis server process of a test's own, to stop and start again (an outage) without
 * touching the shared ones. Each starts on a free port and is killed by its own PID, never by name.
 */
export interface PrivateServer {
  readonly url: string;
  /** Starts the server (again), and resolves once it answers. */
  start(): Promise<void>;
  /** Kills the process at once (SIGKILL for Redis, `pg_ctl stop -m immediate` for Postgres). */
  stop(): Promise<void>;
  /** Stops it and removes its files. */
  remove(): Promise<void>;
}

function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', name))) return join(base, v, 'bin', name);
  return name; // on PATH (CI images that install Postgres elsewhere)
}

/** initdb refuses to run as root: as root, the server's files and processes belong to `postgres`. */
const asRoot = process.getuid?.() === 0;
function pgCommand(name: string, args: string[]): [string, string[]] {
  return asRoot
    ? ['runuser', ['-u', 'postgres', '--', postgresBin(name), ...args]]
    : [postgresBin(name), args];
}

/** A throwaway Postgres cluster (initdb once, fsync off) on a free port, trust auth on 127.0.0.1. */
export async function privatePostgres(): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bh-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const [initdb, initArgs] = pgCommand('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  await run(initdb, initArgs);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (args: string[]) => {
    const [cmd, all] = pgCommand('pg_ctl', ['-D', data, ...args]);
    return run(cmd, all);
  };
  const answers = async () => {
    const probe = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
    try {
      await probe`select 1`;
      return true;
    } catch {
      return undefined;
    } finally {
      await probe.end({ timeout: 0 });
    }
  };
  const stop = async () => {
    await ctl(['stop', '-m', 'immediate', '-w']).catch(() => {});
  };
  return {
    url,
    async start() {
      await ctl(['-o', options, '-l', join(dir, 'log'), 'start', '-w', '-t', '30']);
      await waitUntil('the private Postgres to answer', answers, { timeoutMs: 30_000, intervalMs: 50 });
    },
    stop,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server without persistence on a free port. */
export async function privateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--hz', '100'],
        { stdio: 'ignore' },
      );
      const { Redis } = await import('ioredis');
      await waitUntil(
        'the private Redis to answer',
        async () => {
          const probe = new Redis(url, {
            lazyConnect: true,
            retryStrategy: () => null,
            maxRetriesPerRequest: 0,
          });
          probe.on('error', () => {});
          try {
            await probe.connect();
            return (await probe.ping()) === 'PONG' ? true : undefined;
          } finally {
            probe.disconnect();
          }
        },
        { timeoutMs: 10_000, intervalMs: 20 },
      );
    },
    stop,
    remove: stop,
  };
}
