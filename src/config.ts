import * as v from 'valibot';
import { parseDuration } from './shared/durations.js';

/** Thrown when the environment does not describe a runnable hub; `problems` lists every issue at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalString = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1)));
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const integer = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    String(fallback),
  );

const flag = (fallback: 'on' | 'off') =>
  v.optional(
    v.pipe(
      v.picklist(['on', 'off', 'true', 'false', '1', '0']),
      v.transform((s) => s === 'on' || s === 'true' || s === '1'),
    ),
    fallback,
  );

const base64Key = (bytes: number) =>
  v.pipe(
    v.string(),
    v.check((s) => Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes, base64-encoded`),
  );

/** `id:base64key` or a bare base64 key (its id then derived, as records/cipher.ts does). */
function previousKey(entry: string): { id: string | undefined; key: Buffer } | undefined {
  const [id, encoded] = entry.includes(':') ? entry.split(':', 2) : [undefined, entry];
  const key = Buffer.from(encoded ?? '', 'base64');
  if (key.length !== 32 || (id !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(id))) return undefined;
  return { id, key };
}

const EnvSchema = v.object({
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test']), 'development'),
  PORT: integer(3000, 0, 65535),
  HOST: v.optional(v.string(), '127.0.0.1'),
  PUBLIC_URL: optionalString,
  DATA_DIR: v.optional(v.string(), './data'),
  DATABASE_URL: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'))),
  DATABASE_POOL_SIZE: integer(20, 1, 500),
  /** A redis:// URL, or `none` for the single-process embedded mode (no Redis at all). */
  REDIS_URL: v.optional(
    v.pipe(v.string(), v.regex(/^(rediss?:\/\/|none$)/, 'must be a redis:// URL or none')),
  ),
  REDIS_PREFIX: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')),
    'bh',
  ),
  JWT_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  JWT_PREVIOUS_SECRETS: optionalString,
  JWT_ISSUER: v.optional(v.string(), 'booking-hub'),
  JWT_AUDIENCE: v.optional(v.string(), 'booking-hub-api'),
  ACCESS_TOKEN_TTL_SECONDS: integer(900, 30, 86_400),
  REFRESH_TOKEN_TTL_DAYS: integer(30, 1, 365),
  ENCRYPTION_KEY: v.optional(base64Key(32)),
  ENCRYPTION_KEY_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')),
  ),
  ENCRYPTION_PREVIOUS_KEYS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      ),
      v.check(
        (list) => list.every((entry) => previousKey(entry) !== undefined),
        'must be a comma-separated list of base64 32-byte keys, each optionally as id:key',
      ),
    ),
  ),
  ADMIN_EMAIL: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'))),
  ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(10, 'must be at least 10 characters'))),
  CORS_ORIGINS: v.optional(v.string(), ''),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  HOLD_TTL_SECONDS: integer(300, 1, 3600),
  OFFER_TTL_SECONDS: integer(600, 1, 86_400),
  CANCEL_CUTOFF_MINUTES: integer(120, 0, 10_080),
  RELAY_SWEEP_MS: integer(1000, 10, 60_000),
  REMINDER_OFFSETS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((part) => parseDuration(part))),
      v.check(
        (list) => list.length > 0 && list.every((n) => n !== undefined),
        'must be durations like 24h,2h,30m,90s,1d',
      ),
      v.transform((list) => [...new Set(list as number[])].sort((a, b) => b - a)),
    ),
    '24h,2h',
  ),
  SMTP_URL: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'))),
  SMTP_FROM: v.optional(v.string(), 'booking-hub <no-reply@booking-hub.invalid>'),
  ALLOW_PRIVATE_WEBHOOKS: flag('off'),
  WEBHOOK_ATTEMPTS: integer(8, 1, 50),
  WEBHOOK_BACKOFF_MS: integer(2000, 1, 3_600_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: integer(20, 1, 10_000),
  RECONCILE_EVERY_SECONDS: integer(300, 1, 86_400),
  WAITLIST_SWEEP_SECONDS: integer(60, 1, 86_400),
  JOB_BACKOFF_MS: integer(1000, 1, 3_600_000),
  JOB_LOCK_MS: integer(30_000, 500, 600_000),
  DELIVERY_LEASE_SECONDS: integer(120, 1, 3600),
  EVENT_RETENTION_HOURS: integer(72, 1, 8760),
  SESSION_CHECK_SECONDS: integer(30, 1, 60),
  BOOKING_LIMIT_PER_USER: integer(30, 1, 100_000),
  BODY_LIMIT_BYTES: integer(100_000, 1_000, 10_000_000),
  RATE_LIMITS: flag('on'),
  LOGIN_LIMIT_PER_ACCOUNT: integer(10, 1, 10_000),
  LOGIN_LIMIT_PER_IP: integer(100, 1, 100_000),
  REGISTER_LIMIT_PER_IP: integer(30, 1, 100_000),
  TRUST_PROXY: flag('off'),
  DEMO_SEED: v.optional(v.picklist(['auto', 'never']), 'auto'),
  REQUEST_DEADLINE_MS: integer(2000, 100, 60_000),
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
});

export type Env = v.InferOutput<typeof EnvSchema>;

/** Fully resolved, frozen settings of one hub process. Secrets are always present here. */
export interface Config {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  /** Base URL printed in logs and used in links; defaults to http://HOST:PORT. */
  publicUrl: string | undefined;
  dataDir: string;
  /** Absent → embedded PGlite in DATA_DIR. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /**
   * Absent → 127.0.0.1:6379 if it answers, else a private redis-server from PATH, else the
   * single-process embedded mode; `none` → the embedded mode even where a Redis answers.
   */
  redisUrl: string | undefined;
  redisPrefix: string;
  jwt: {
    secret: string;
    previousSecrets: string[];
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
  };
  refreshTokenTtlDays: number;
  /** 32-byte master key for clinical text (AES-256-GCM): wraps each patient's data key. */
  encryptionKey: Buffer;
  /** The master key's id (ENCRYPTION_KEY_ID); undefined → derived from the key. */
  encryptionKeyId: string | undefined;
  /** Earlier master keys, still accepted for unwrapping until `rotate-keys` re-wrapped everything. */
  previousEncryptionKeys: { id: string | undefined; key: Buffer }[];
  admin: { email: string; password: string } | undefined;
  corsOrigins: string[];
  logLevel: Env['LOG_LEVEL'];
  holdTtlSeconds: number;
  /** How long a waitlist offer's exclusive hold lasts. */
  offerTtlSeconds: number;
  /** Patients may cancel up to this long before the start. */
  cancelCutoffMinutes: number;
  /** The outbox relay's safety-net sweep interval. */
  relaySweepMs: number;
  /** Published events are kept this long for resync. */
  eventRetentionHours: number;
  /** Connected sockets' tokens and sessions are re-checked this often. */
  sessionCheckSeconds: number;
  /** Reminder offsets before an appointment, seconds, longest first. */
  reminderOffsets: number[];
  /** Email is sent only when set. */
  smtp: { url: string; from: string } | undefined;
  webhooks: { allowPrivate: boolean; attempts: number; backoffMs: number; disableAfterFailures: number };
  /** How often the reminder reconciler runs. */
  reconcileEverySeconds: number;
  /** The waitlist sweep (expiries, unseen freed slots, stale offers) runs this often. */
  waitlistSweepSeconds: number;
  /** First retry delay of reminder jobs (exponential after that). */
  jobBackoffMs: number;
  /** BullMQ job lock; a worker that dies holding one is detected as stalled after about this long. */
  jobLockMs: number;
  /** How long a claimed delivery is assumed to be mid-send before a retry may take it over. */
  deliveryLeaseSeconds: number;
  bodyLimitBytes: number;
  rateLimits: {
    enabled: boolean;
    loginPerAccount: number;
    loginPerIp: number;
    registerPerIp: number;
    /** Holds and bookings per user per minute. */
    bookingPerUser: number;
  };
  trustProxy: boolean;
  demoSeed: Env['DEMO_SEED'];
  /** Every request is answered within this long: a dependency that has not answered by then → 503. */
  requestDeadlineMs: number;
  /** Bearer token Prometheus sends for GET /metrics; absent → /metrics is not served. */
  metricsToken: string | undefined;
}

/** Secrets that may be generated outside production (see secrets.ts). */
export interface Secrets {
  jwtSecret: string;
  encryptionKey: string;
}

/** Parses the environment; every problem is collected into one ConfigError. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(env).map(([k, val]) => [k, emptyToUndefined(val)]));
  const result = v.safeParse(EnvSchema, cleaned);
  if (result.success) {
    const problems = crossFieldProblems(result.output);
    if (problems.length > 0) throw new ConfigError(problems);
    return result.output;
  }
  const problems = result.issues.map((issue) => {
    const key = v.getDotPath(issue) ?? '(environment)';
    // Never echo values that may hold credentials (secrets, keys, passwords, URLs with user:pass@).
    const received = /SECRET|KEY|PASSWORD|URL|TOKEN/.test(key) ? '' : ` (got ${issue.received})`;
    return `${key}: ${issue.message}${received}`;
  });
  throw new ConfigError(problems);
}

function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
    if (!env.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY: required when NODE_ENV=production');
    if (!env.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (!env.REDIS_URL) problems.push('REDIS_URL: required when NODE_ENV=production');
    if (!env.RATE_LIMITS) problems.push('RATE_LIMITS: cannot be off when NODE_ENV=production');
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither');
  }
  return problems;
}

/** Builds the Config from a parsed environment and the secrets (given or generated). */
export function buildConfig(env: Env, secrets: Secrets): Config {
  return Object.freeze({
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    jwt: {
      secret: secrets.jwtSecret,
      previousSecrets:
        env.JWT_PREVIOUS_SECRETS?.split(',')
          .map((s) => s.trim())
          .filter(Boolean) ?? [],
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    encryptionKey: Buffer.from(secrets.encryptionKey, 'base64'),
    encryptionKeyId: env.ENCRYPTION_KEY_ID,
    previousEncryptionKeys: (env.ENCRYPTION_PREVIOUS_KEYS ?? []).map((entry) => previousKey(entry)!),
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }
        : undefined,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL,
    holdTtlSeconds: env.HOLD_TTL_SECONDS,
    offerTtlSeconds: env.OFFER_TTL_SECONDS,
    cancelCutoffMinutes: env.CANCEL_CUTOFF_MINUTES,
    relaySweepMs: env.RELAY_SWEEP_MS,
    eventRetentionHours: env.EVENT_RETENTION_HOURS,
    sessionCheckSeconds: env.SESSION_CHECK_SECONDS,
    reminderOffsets: env.REMINDER_OFFSETS,
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM } : undefined,
    webhooks: {
      allowPrivate: env.ALLOW_PRIVATE_WEBHOOKS,
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    reconcileEverySeconds: env.RECONCILE_EVERY_SECONDS,
    waitlistSweepSeconds: env.WAITLIST_SWEEP_SECONDS,
    jobBackoffMs: env.JOB_BACKOFF_MS,
    jobLockMs: env.JOB_LOCK_MS,
    deliveryLeaseSeconds: env.DELIVERY_LEASE_SECONDS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    rateLimits: {
      enabled: env.RATE_LIMITS,
      loginPerAccount: env.LOGIN_LIMIT_PER_ACCOUNT,
      loginPerIp: env.LOGIN_LIMIT_PER_IP,
      registerPerIp: env.REGISTER_LIMIT_PER_IP,
      bookingPerUser: env.BOOKING_LIMIT_PER_USER,
    },
    trustProxy: env.TRUST_PROXY,
    demoSeed: env.DEMO_SEED,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    metricsToken: env.METRICS_TOKEN,
  });
}
