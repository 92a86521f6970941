import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/principal.js';
import { buildConfig, type Config, parseEnv } from '../../src/config.js';
import { type Hub, type Role as HubRole, startHub } from '../../src/hub.js';
import { createLogger } from '../../src/logger.js';
import { databaseUrl, TEST_POSTGRES_URL, TEST_REDIS_URL } from './env.js';

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;

export interface TestHub extends Hub {
  config: Config;
  database: string;
}

export interface TestHubOptions {
  /** Start on this existing database (e.g. one an earlier hub kept) instead of a fresh copy. */
  database?: string;
  /** Leave the database in place when the hub closes, so another hub can start on it. */
  keepDatabase?: boolean;
  /** What the hub runs (default `all`); `api` leaves background jobs to worker processes the test starts. */
  role?: HubRole;
}

/**
 * A hub on port 0 with its own database (copied from the migrated template) and its own Redis prefix,
 * so test files run in parallel without seeing each other. `env` overrides any setting. The Redis
 * prefix follows the database name, so a second hub on the same database shares it too.
 */
export async function startTestHub(
  env: Record<string, string> = {},
  options: TestHubOptions = {},
): Promise<TestHub> {
  const database = options.database ?? `${inject('runId')}_${randomBytes(5).toString('hex')}`;
  if (!options.database) {
    const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(
      `create database ${database} template ${inject('templateDatabase')} strategy file_copy`,
    );
    await admin.end();
  }

  const parsed = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl(database),
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `t-${database}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMITS: 'off',
    DEMO_SEED: 'never',
    // The 2 s default sheds load in production; on a machine shared by several suites a correct but slow
    // answer must not become a 503. The outage tests set the real deadline.
    REQUEST_DEADLINE_MS: '15000',
    ...env,
  });
  const config = buildConfig(parsed, {
    jwtSecret: parsed.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    encryptionKey: parsed.ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  });
  const hub = await startHub(config, createLogger(config.logLevel), options.role);
  return {
    ...hub,
    config,
    database,
    async close() {
      await hub.close();
      if (options.keepDatabase) return;
      const drop = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      await drop.unsafe(`drop database if exists ${database} with (force)`);
      await drop.end();
    },
  };
}

/**
 * The test hub of one describe block: started (startTestHub) in its beforeAll, closed in its afterAll.
 * The object is filled in when that beforeAll has run, so use it in hooks and tests, never while the
 * file is collected; `client(hub)` may be made at once, as it reads the hub's address per request.
 */
export function useTestHub(env: Record<string, string> = {}, options: TestHubOptions = {}): TestHub {
  const hub = {} as TestHub;
  beforeAll(async () => {
    Object.assign(hub, await startTestHub(env, options));
  });
  afterAll(async () => {
    await hub.close?.();
  });
  return hub;
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small fetch wrapper: JSON in, JSON (or problem+json) out, optional bearer token. */
export function client(hub: { url: string }) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string | undefined; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    } else if (opts.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${hub.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
  return {
    call,
    get: <T = Record<string, unknown>>(path: string, token?: string) => call<T>('GET', path, { token }),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, token?: string) =>
      call<T>('POST', path, { body, token }),
    patch: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>('PATCH', path, { body, token }),
    put: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>('PUT', path, { body, token }),
    delete: <T = Record<string, unknown>>(path: string, token?: string) => call<T>('DELETE', path, { token }),
  };
}

export interface TestAccount {
  id: string;
  email: string;
  role: Role;
  clinicId: string | null;
  token: string;
}

/**
 * An account inserted directly (password TEST_PASSWORD) with an access token minted by the hub's own
 * token service: fast enough for hundreds of patients, and the same tokens the API would issue.
 */
export async function createAccount(
  hub: Hub,
  role: Role,
  opts: { clinicId?: string; name?: string; email?: string } = {},
): Promise<TestAccount> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = opts.email ?? `${role}-${randomUUID()}@example.com`;
  const [user] = await hub.sql<{ id: string }[]>`
    insert into users (email, password_hash, name, role, clinic_id)
    values (${email}, ${await passwordHash}, ${opts.name ?? `Test ${role}`}, ${role}, ${opts.clinicId ?? null})
    returning id`;
  const [family] = await hub.sql<
    { id: string }[]
  >`insert into refresh_families (user_id) values (${user!.id}) returning id`;
  const { token } = await hub.services.tokens.signAccess({
    userId: user!.id,
    role,
    clinicId: opts.clinicId,
    familyId: family!.id,
  });
  return { id: user!.id, email, role, clinicId: opts.clinicId ?? null, token };
}

/** A clinic created through the service (defaults: Berlin). */
export async function createClinic(
  hub: Hub,
  overrides: Partial<{ name: string; city: string; timezone: string; lat: number; lon: number }> = {},
) {
  return hub.services.directory.createClinic({
    name: overrides.name ?? `Clinic ${randomUUID().slice(0, 8)}`,
    address: '1 Test Street',
    city: overrides.city ?? 'Berlin',
    timezone: overrides.timezone ?? 'Europe/Berlin',
    lat: overrides.lat ?? 52.52,
    lon: overrides.lon ?? 13.405,
  });
}

/** A doctor account with a profile at the clinic. */
export async function createDoctor(
  hub: Hub,
  clinicId: string,
  overrides: Partial<{
    name: string;
    specialties: string[];
    feeCents: number;
    currency: string;
    languages: string[];
  }> = {},
) {
  const account = await createAccount(hub, 'doctor', {
    name: overrides.name ?? `Dr. ${randomUUID().slice(0, 6)}`,
  });
  const doctor = await hub.services.directory.createDoctor({
    userId: account.id,
    clinicId,
    specialties: overrides.specialties ?? ['general-practice'],
    feeCents: overrides.feeCents ?? 5000,
    currency: overrides.currency ?? 'EUR',
    languages: overrides.languages ?? ['en'],
    minNoticeMinutes: 60,
    horizonDays: 90,
  });
  return { account, doctor };
}

/** useTestHub and an HTTP client for it: the usual first lines of a describe block. */
export function useTestApi(env: Record<string, string> = {}, options: TestHubOptions = {}) {
  const hub = useTestHub(env, options);
  return { hub, api: client(hub) };
}
