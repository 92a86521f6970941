import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config.js';
import { resolveSecrets } from '../../src/load-config.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JWT_SECRET = 'x'.repeat(48);
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** The ConfigError parseEnv throws for `env`; fails the test when it does not throw one. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(env)}`);
}
const keysOf = (problems: string[]) => problems.map((p) => p.split(':')[0]).sort();

describe('an operator configures the hub through the environment', () => {
  it('an empty environment gives the documented defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '127.0.0.1',
      HOLD_TTL_SECONDS: 300,
      BODY_LIMIT_BYTES: 100_000,
      RATE_LIMITS: true,
      LOG_LEVEL: 'info',
      REDIS_PREFIX: 'bh',
      REQUEST_DEADLINE_MS: 2000,
    });
  });

  it('an empty string counts as unset', () => {
    expect(parseEnv({ PORT: '', HOLD_TTL_SECONDS: '' })).toMatchObject({ PORT: 3000, HOLD_TTL_SECONDS: 300 });
  });

  it('every bad value is reported at once, one problem per variable', () => {
    const problems = problemsOf({
      PORT: 'abc',
      REDIS_URL: 'http://x',
      LOG_LEVEL: 'loud',
      HOLD_TTL_SECONDS: '0',
    });
    expect(keysOf(problems)).toEqual(['HOLD_TTL_SECONDS', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    expect(problems.find((p) => p.startsWith('HOLD_TTL_SECONDS'))).toContain('must be at least');
    expect(problems.find((p) => p.startsWith('REDIS_URL'))).toContain('redis://');
  });

  it('the error message lists each problem on its own line', () => {
    try {
      parseEnv({ PORT: '99999', DATABASE_URL: 'mysql://db' });
      expect.unreachable('parseEnv accepted a bad PORT and DATABASE_URL');
    } catch (err) {
      expect((err as Error).message).toMatch(/^Invalid configuration:\n {2}- PORT: .+\n {2}- DATABASE_URL: /);
    }
  });

  it('never echoes secret values in the problems', () => {
    const problems = problemsOf({
      JWT_SECRET: 'short-secret',
      ENCRYPTION_KEY: 'not-32-bytes',
      ADMIN_EMAIL: 'a@b.co',
      ADMIN_PASSWORD: 'tiny',
      METRICS_TOKEN: 'scrape-me',
    });
    expect(keysOf(problems)).toEqual(['ADMIN_PASSWORD', 'ENCRYPTION_KEY', 'JWT_SECRET', 'METRICS_TOKEN']);
    const text = problems.join('\n');
    for (const secret of ['short-secret', 'not-32-bytes', 'tiny', 'scrape-me'])
      expect(text).not.toContain(secret);
  });

  it('production refuses to start without its secrets, database and Redis', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(keysOf(problems)).toEqual(['DATABASE_URL', 'ENCRYPTION_KEY', 'JWT_SECRET', 'REDIS_URL']);
    for (const p of problems) expect(p).toContain('required when NODE_ENV=production');
  });

  it('production refuses RATE_LIMITS=off; development allows it', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET,
      ENCRYPTION_KEY,
      DATABASE_URL: 'postgres://db/hub',
      REDIS_URL: 'redis://cache:6379',
    };
    expect(parseEnv(production).RATE_LIMITS).toBe(true);
    expect(keysOf(problemsOf({ ...production, RATE_LIMITS: 'off' }))).toEqual(['RATE_LIMITS']);
    expect(parseEnv({ RATE_LIMITS: 'off' }).RATE_LIMITS).toBe(false);
  });

  it('ADMIN_EMAIL without ADMIN_PASSWORD (or the reverse) is an error', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'root@clinic.example' }).join()).toContain(
      'ADMIN_EMAIL and ADMIN_PASSWORD',
    );
    expect(problemsOf({ ADMIN_PASSWORD: 'long enough password' }).join()).toContain(
      'ADMIN_EMAIL and ADMIN_PASSWORD',
    );
    expect(
      parseEnv({ ADMIN_EMAIL: ' Root@Clinic.Example ', ADMIN_PASSWORD: 'long enough password' }).ADMIN_EMAIL,
    ).toBe('root@clinic.example');
  });
});

describe('development secrets are generated once and kept in DATA_DIR', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'booking-hub-secrets-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('generates them on the first call and reads the same ones back on the second', async () => {
    const env = parseEnv({ DATA_DIR: join(dataDir, 'nested', 'dir') });
    const first = await resolveSecrets(env);
    expect(first.source).toBe('generated');
    expect(first.secrets.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(first.secrets.encryptionKey, 'base64')).toHaveLength(32);

    const second = await resolveSecrets(env);
    expect(second.source).toBe('data-dir');
    expect(second.secrets).toEqual(first.secrets);

    const file = join(dataDir, 'nested', 'dir', 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(first.secrets);
  });

  it('secrets from the environment win and nothing is written', async () => {
    const dir = join(dataDir, 'from-env');
    const { secrets, source } = await resolveSecrets(parseEnv({ DATA_DIR: dir, JWT_SECRET, ENCRYPTION_KEY }));
    expect(source).toBe('environment');
    expect(secrets).toEqual({ jwtSecret: JWT_SECRET, encryptionKey: ENCRYPTION_KEY });
    await expect(stat(join(dir, 'secrets.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a secrets.json it did not write instead of silently replacing it', async () => {
    const dir = await mkdtemp(join(dataDir, 'corrupt-'));
    await writeFile(join(dir, 'secrets.json'), '{"something": "else"}');
    await expect(resolveSecrets(parseEnv({ DATA_DIR: dir }))).rejects.toThrow(/not a secrets file/);
  });
});

describe('the hub process with a bad environment', () => {
  it('exits with code 1 and lists the problems on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) =>
      child.once('close', (exitCode) => resolve(exitCode)),
    );
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL'])
      expect(stderr).toContain(name);
  });
});
