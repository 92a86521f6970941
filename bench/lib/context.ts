import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createTokenService, type TokenService } from '../../src/auth/tokens.js';
import { migrate } from '../../src/infra/migrate.js';
import { connectPostgres, type Sql } from '../../src/infra/postgres.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The Node flags `npm start` and the Dockerfile run the hub with (see README, Performance). */
const HUB_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Where the bench finds Postgres and Redis: DATABASE_URL / REDIS_URL, else the local defaults. */
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchEnv {
  /** A fresh, migrated database for one scenario, and a Redis prefix nobody else uses. */
  databaseUrl: string;
  database: string;
  prefix: string;
  sql: Sql;
}

export interface BenchHub {
  url: string;
  pid: number;
  /** Resident memory of the hub process, bytes. */
  rss(): number;
  stop(): Promise<void>;
}

const JWT = {
  secret: randomBytes(32).toString('base64url'),
  previousSecrets: [],
  issuer: 'booking-hub',
  audience: 'booking-hub-api',
  accessTtlSeconds: 3600,
};
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

/** Everything scenarios share: fresh databases, hub processes, token minting. Cleans up after itself. */
export class BenchContext {
  readonly runId = `bench_${Date.now().toString(36)}`;
  readonly admin = postgres(ADMIN_URL, { max: 2, onnotice: () => {} });
  readonly redis = new Redis(REDIS_URL, { lazyConnect: false });
  readonly tokens: TokenService = createTokenService(JWT);
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(readonly quick: boolean) {}

  async freshEnv(name: string): Promise<BenchEnv> {
    const database = `${this.runId}_${name}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
    await this.admin.unsafe(`create database ${database}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    const sql = connectPostgres(url.toString(), 20);
    await migrate(sql);
    const prefix = `${this.runId}-${name}`;
    this.cleanups.push(async () => {
      await sql.end({ timeout: 5 });
      await this.admin.unsafe(`drop database if exists ${database} with (force)`);
      await this.deleteKeys(prefix);
    });
    return { databaseUrl: url.toString(), database, prefix, sql };
  }

  /** Starts `node src/main.ts` as its own process (its own event loop and file descriptors). */
  async startHub(env: BenchEnv, extra: Record<string, string> = {}, args: string[] = []): Promise<BenchHub> {
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [...HUB_NODE_FLAGS, ...profileArgs(), '--import', 'tsx', 'src/main.ts', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: env.databaseUrl,
          DATABASE_POOL_SIZE: '20',
          REDIS_URL,
          REDIS_PREFIX: env.prefix,
          JWT_SECRET: JWT.secret,
          ENCRYPTION_KEY,
          RATE_LIMITS: 'off',
          LOG_LEVEL: 'warn',
          DEMO_SEED: 'never',
          ...extra,
        },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`hub exited (${child.exitCode}): ${stderr}`);
      if (
        await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`hub did not become ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const stop = async () => {
      // A child killed by a signal has signalCode set and exitCode null: it is gone all the same.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    this.cleanups.push(stop);
    return {
      url,
      pid: child.pid!,
      rss: () => readRss(child.pid!),
      stop,
    };
  }

  async mint(
    user: { id: string; role: 'patient' | 'doctor' | 'staff' | 'admin'; clinicId?: string },
    familyId: string,
  ): Promise<string> {
    return (
      await this.tokens.signAccess({ userId: user.id, role: user.role, clinicId: user.clinicId, familyId })
    ).token;
  }

  private async deleteKeys(prefix: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  /** Undoes a change to shared state (e.g. a Redis setting) when the scenario ends, or on Ctrl-C. */
  defer(undo: () => Promise<unknown>): void {
    this.cleanups.push(undo);
  }

  /** Stops what the scenario started (hubs, databases, keys) so scenarios never pile up. */
  async endScenario(): Promise<void> {
    while (this.cleanups.length > 0) await this.cleanups.pop()!().catch(() => {});
  }

  async close(): Promise<void> {
    for (const c of this.cleanups.reverse()) await c().catch(() => {});
    await this.admin.end();
    this.redis.disconnect();
  }
}

/** BENCH_PROFILE=<dir> starts every hub under the V8 profiler; .cpuprofile files land in <dir> on exit. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
