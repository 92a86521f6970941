import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from './env.js';
import type { TestHub } from './harness.js';

/** The repository root: where `npm start` runs. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The only variables a child process inherits from the test runner: nothing that configures a hub leaks in. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ'];

/** The test runner's INHERITED variables, for a child process to start from. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(INHERITED.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
}

/**
 * The environment of another hub process (as `npm start` runs it) on `hub`'s database, Redis prefix and
 * secrets; `settings` add to it or override it.
 */
export function hubProcessEnv(hub: TestHub, settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  return Object.assign(inheritedEnv(), {
    NODE_ENV: 'test',
    DATABASE_URL: hub.config.databaseUrl,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: hub.config.redisPrefix,
    JWT_SECRET: hub.config.jwt.secret,
    ENCRYPTION_KEY: hub.config.encryptionKey.toString('base64'),
    LOG_LEVEL: 'warn',
    RATE_LIMITS: 'off',
    DEMO_SEED: 'never',
    REQUEST_DEADLINE_MS: hub.config.requestDeadlineMs.toString(),
    ...settings,
  });
}

/** A port nothing listens on right now: bind port 0, read what the kernel gave, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

/**
 * Polls `check` until it returns a value other than undefined, at most `timeoutMs`; the one place a
 * test may wait on a clock. The last error thrown by `check` is kept for the timeout message.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Everything the process printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`; rejects when the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited(): Promise<number | string>;
  /** Sends `signal` and waits for the exit, at most `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  /** SIGKILL if still running; for afterAll, never throws. */
  kill(): Promise<void>;
}

/** Spawns `node <args>` in the repository root with exactly `env`, keeping its output for assertions. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): NodeProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exit = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (e) => resolve(`spawn error: ${e.message}`));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const tail = () => `\n--- stdout ---\n${out.slice(-3000)}\n--- stderr ---\n${err.slice(-3000)}`;

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,

    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          child.stdout.off('data', onData);
          finish();
        };
        const onData = () => {
          const match = out.match(pattern);
          if (match) settle(() => resolve(match));
        };
        const timer = setTimeout(
          () => settle(() => reject(new Error(`no ${pattern} on stdout within ${timeoutMs} ms${tail()}`))),
          timeoutMs,
        );
        child.stdout.on('data', onData);
        void exit.then((code) =>
          settle(() => reject(new Error(`process exited (${code}) before printing ${pattern}${tail()}`))),
        );
        onData();
      });
    },

    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (running()) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`process did not exit within ${timeoutMs} ms of ${signal}${tail()}`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async kill() {
      if (running()) child.kill('SIGKILL');
      await exit;
    },
  };
}

/**
 * Resolves with what `register` hands over, or rejects after `ms`: waits for the thing itself (an event, a
 * callback), never sleeps.
 */
export function within<T>(
  what: string,
  ms: number,
  register: (done: (value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
