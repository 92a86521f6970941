import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_POSTGRES_URL } from '../helpers/env.js';
import { REPO_ROOT } from '../helpers/process.js';

/**
 * The hub on a machine with no Redis, made real: a network namespace of its own (`unshare -n`, only a
 * loopback in it, so nothing answers on 127.0.0.1:6379 nor 5432) and a PATH of chosen commands. The
 * drivers in tests/helpers/*-scenario.ts run inside it, start the hub as `npm start` does, and report.
 */
const whichOrUndefined = (command: string) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};
/** Root (or a user namespace) may make a network namespace; elsewhere these tests are skipped. */
const canUnshare = (() => {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return whichOrUndefined('ip') !== undefined;
  } catch {
    return false;
  }
})();

const tools = {
  unshare: whichOrUndefined('unshare'),
  sh: whichOrUndefined('sh'),
  ip: whichOrUndefined('ip'),
};

/** Runs a scenario script in a fresh network namespace with PATH = a folder holding only `commands`. */
async function inNamespace(
  script: string,
  commands: Record<string, string>,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const bin = await mkdtemp(join(tmpdir(), 'bh-path-'));
  try {
    for (const [name, target] of Object.entries(commands)) await symlink(target, join(bin, name));
    // unshare, sh and ip by their full paths: the child's PATH has only `commands`.
    const child = spawn(
      tools.unshare!,
      ['-n', tools.sh!, '-c', `${tools.ip} link set lo up && exec node --import tsx ${script}`],
      { cwd: REPO_ROOT, env: { PATH: bin, HOME: process.env.HOME ?? '/tmp', ...env }, stdio: 'pipe' },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${script} did not finish within ${timeoutMs} ms:\n${out.slice(-3000)}`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`${script} exited ${code} without a result:\n${out.slice(-3000)}`);
    return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
}

describe.skipIf(!canUnshare)('a machine with Node alone: `npm start` runs the embedded mode', () => {
  let dataDir: string;
  let result: Record<string, unknown>;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bh-no-redis-'));
    result = await inNamespace(
      'tests/helpers/no-redis-scenario.ts',
      { node: process.execPath },
      { SCENARIO_DATA_DIR: dataDir },
      400_000,
    );
  }, 420_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says once that it runs without Redis, seeds the demo and prints its logins', () => {
    expect(result.error, String(result.stdout)).toBeUndefined();
    expect(result.withoutRedisLine).toBe(true);
    expect(result.bannerHasDemoLogins).toBe(true);
  });

  it('a patient holds and books; another patient is kept off the held slot', () => {
    expect(result.otherPatientOnHeldSlot).toBe(409);
    expect(result.booked).toBe(10);
  });

  it('a watcher sees every booking live, within 50 ms of its 201 at the median', () => {
    const live = [...(result.liveMs as number[])].sort((a, b) => a - b);
    expect(live).toHaveLength(10);
    // The median of ten, on a shared two-core machine; before the fix each took ~640 ms (the 1 s sweep).
    expect(live[5]).toBeLessThan(50);
    expect(live[9]).toBeLessThan(500);
  });

  it('a hold nobody books is released on time, and watchers hear it', () => {
    expect(result.releasedAfterExpiryMs).toBeGreaterThanOrEqual(0);
    expect(result.releasedAfterExpiryMs).toBeLessThan(1000);
  });

  it('a restart keeps the data and does not seed again; a reminder fires once; both runs exit 0', () => {
    expect(result.keptAfterRestart).toBe(10);
    expect(result.secondStartSeeded).toBe(false);
    expect(result.reminderDueInMs, 'booked before the reminder was due').toBeGreaterThan(0);
    expect(result.reminders, JSON.stringify(result.secondHubProblems)).toBe(1);
    expect(result.firstExit).toBe(0);
    expect(result.secondExit).toBe(0);
  });
});

const redisServer = whichOrUndefined('redis-server');
const npm = whichOrUndefined('npm');
describe.skipIf(!canUnshare || !redisServer || !npm)('Ctrl-C with a private redis-server', () => {
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  const database = `${inject('runId')}_ctrl_c`;
  /** The test server's unix socket, reachable from the namespace (a file): the rounds skip PGlite's start. */
  let socket: string | undefined;
  beforeAll(async () => {
    await admin.unsafe(`create database ${database} template ${inject('templateDatabase')}`);
    const [dirs] = await admin<{ setting: string }[]>`
      select setting from pg_settings where name = 'unix_socket_directories'`;
    const [port] = await admin<{ setting: string }[]>`select setting from pg_settings where name = 'port'`;
    const path = `${dirs?.setting.split(',')[0]?.trim()}/.s.PGSQL.${port?.setting}`;
    socket = existsSync(path) ? path : undefined;
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('20 times in a row: 20 clean exits, no folder nor process left behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bh-ctrl-c-'));
    try {
      const result = await inNamespace(
        'tests/helpers/ctrl-c-scenario.ts',
        // npm runs the start script with `sh`.
        { node: process.execPath, npm: npm!, sh: tools.sh!, 'redis-server': redisServer! },
        {
          SCENARIO_DATA_DIR: dataDir,
          SCENARIO_ROUNDS: '20',
          ...(socket && { SCENARIO_PG_SOCKET: socket, SCENARIO_PG_DATABASE: database }),
        },
        860_000,
      );
      const rounds = result.rounds as {
        exit: unknown;
        stopped: boolean;
        private: boolean;
        troubles: string[];
      }[];
      expect(rounds).toHaveLength(20);
      expect(
        rounds.filter((r) => !r.private),
        'every round used a private redis-server',
      ).toEqual([]);
      // npm itself ends by the SIGINT (as in a terminal); the hub must have closed everything first.
      expect(
        rounds.filter((r) => !r.stopped || r.troubles.length > 0 || ![0, 'SIGINT'].includes(r.exit as never)),
      ).toEqual([]);
      expect(result.leftFolders).toEqual([]);
      expect(result.leftProcesses).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 900_000);
});
