import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { throwawayRedisArgs } from '../../src/infra/private-redis.js';
import { redisAnswers } from '../../src/infra/redis.js';
import { freePort } from './process.js';

/**
 * The Postgres and Redis the integration tests use, found or made: TEST_DATABASE_URL / TEST_REDIS_URL
 * when set; else the machine's own on 127.0.0.1:5432 / 6379 when they answer; else private servers
 * started from the installed binaries in a temporary folder (stopped, and the folder removed, after the
 * run). Only when neither runs nor is installed does the run go without them (vitest.config.ts).
 */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** What cannot be had, as one line for the person running `npm test`; undefined when everything can. */
export async function missingTestServers(): Promise<string | undefined> {
  const missing: string[] = [];
  if (!process.env.TEST_DATABASE_URL && !(await answers(5432)) && !postgresBinaries())
    missing.push('Postgres (apt-get install postgresql, or set TEST_DATABASE_URL)');
  if (!process.env.TEST_REDIS_URL && !(await answers(6379)) && !onPath('redis-server'))
    missing.push('Redis (apt-get install redis-server, or set TEST_REDIS_URL)');
  return missing.length > 0 ? `the integration tests need ${missing.join(' and ')}` : undefined;
}

export interface TestServers {
  postgresUrl: string;
  redisUrl: string;
  /** What was started, for the log line; empty when everything was already running. */
  started: string[];
  stop(): Promise<void>;
}

export async function provideTestServers(): Promise<TestServers> {
  const stops: (() => Promise<void>)[] = [];
  const started: string[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    let postgresUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
    if (!process.env.TEST_DATABASE_URL && !(await postgresAnswers(postgresUrl))) {
      const pg = await startPrivatePostgres();
      stops.push(pg.stop);
      started.push(`Postgres at ${pg.url}`);
      postgresUrl = pg.url;
    }
    let redisUrl = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL;
    if (!process.env.TEST_REDIS_URL && !(await redisAnswers({ url: redisUrl }))) {
      const redis = await startPrivateRedisServer();
      stops.push(redis.stop);
      started.push(`Redis at ${redis.url}`);
      redisUrl = redis.url;
    }
    return { postgresUrl, redisUrl, started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The folder of initdb and postgres: PATH, else Debian's /usr/lib/postgresql/<newest>/bin. */
function postgresBinaries(): string | undefined {
  const initdb = onPath('initdb');
  if (initdb && onPath('postgres')) return join(initdb, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

/** Runs a child to its end; rejects with its output when it fails. */
function run(command: string, args: string[], options: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed:\n${out}`))));
  });
}

/** Waits for `check`, at most 20 s, failing early if the server exited. */
async function waitFor(check: () => Promise<boolean>, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the private ${what} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess, signal: NodeJS.Signals, dir: string) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
}

/** initdb (trust, no fsync) and postgres on a free port, as the `postgres` user when running as root. */
async function startPrivatePostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('no initdb found');
  const dir = await mkdtemp(join(tmpdir(), 'bh-test-pg-'));
  // initdb refuses root: run the server as the `postgres` account the package created.
  const owner = process.getuid?.() === 0 ? accountIds('postgres') : {};
  if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid!);
  const data = join(dir, 'data');
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync'], owner);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { ...owner, stdio: 'ignore' },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = stopper(child, 'SIGINT', dir); // SIGINT: Postgres's fast shutdown
  try {
    await waitFor(() => postgresAnswers(url), child, 'Postgres');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

async function startPrivateRedisServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bh-test-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    throwawayRedisArgs(['--port', String(port), '--bind', '127.0.0.1'], dir),
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = stopper(child, 'SIGTERM', dir);
  try {
    await waitFor(() => redisAnswers({ url }), child, 'Redis');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

function accountIds(name: string): { uid?: number; gid?: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
    return { uid, gid };
  } catch {
    return {};
  }
}
