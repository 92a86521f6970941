import { existsSync } from 'node:fs';
import { ConfigError } from './config.js';
import { type Hub, type Role, startHub } from './hub.js';
import { isDependencyDown } from './infra/dependency-errors.js';
import { RedisUnavailableError } from './infra/private-redis.js';
import { loadConfig } from './load-config.js';
import { createLogger } from './logger.js';
import { DEMO_PASSWORD } from './seed/demo-data.js';
import { existingDemoLogins } from './seed/seed.js';

function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  if (value === undefined) return 'all';
  if (value === 'api' || value === 'worker' || value === 'all') return value;
  console.error(`--role must be api, worker or all (got ${value})`);
  process.exit(1);
}

/** `.env` in the working directory, when present; variables already set win over the file's. */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  try {
    process.loadEnvFile('.env');
  } catch (err) {
    console.error(`.env could not be read: ${(err as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const role = parseRole(process.argv);
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const { config, secretsSource } = loaded;
  const logger = createLogger(config.logLevel, { role });
  if (secretsSource !== 'environment') {
    logger.warn(
      { file: `${config.dataDir}/secrets.json`, generated: secretsSource === 'generated' },
      'JWT_SECRET/ENCRYPTION_KEY not set: using development secrets kept in DATA_DIR (never do this in production)',
    );
  }

  // Signals are handled from here on, also while the hub starts: a Ctrl-C then closes what the start
  // had opened (a private redis-server, the embedded database) instead of leaving it behind.
  let hub: Hub | undefined;
  let stopping: string | undefined;
  let stoppingAt = 0;
  const stop = (signal: string) => {
    if (stopping) {
      // One Ctrl-C reaches npm and the hub alike, and npm passes it on: a repeat within a second is that
      // same press. A later one is someone insisting: exit now (a private redis-server goes too).
      if (Date.now() - stoppingAt > 1000) process.exit(1);
      return;
    }
    stopping = signal;
    stoppingAt = Date.now();
    logger.info({ signal }, 'shutting down');
    if (!hub) return; // the start below sees `stopping` and closes what it opened
    hub.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // postgres.js leaves a rejection of its own unawaited (its array-type lookup on a fresh connection)
  // when Postgres drops at that moment: an outage the hub rides out, not a reason to exit. Anything
  // else unhandled still ends the process, as Node would.
  process.on('unhandledRejection', (err) => {
    if (isDependencyDown(err)) return;
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });

  try {
    hub = await startHub(config, logger, role);
  } catch (err) {
    if (err instanceof RedisUnavailableError) console.error(err.message);
    else logger.fatal({ err }, 'hub failed to start');
    process.exit(1);
  }
  if (stopping) {
    await hub.close();
    process.exit(0);
  }
  if (hub.url) printBanner(hub.url, config.databaseUrl ? [] : await existingDemoLogins(hub.sql));
}

function printBanner(url: string, demoLogins: { role: string; email: string }[]): void {
  const lines = [
    '',
    `  booking-hub is running`,
    `  API   ${url}/v1`,
    `  Docs  ${url}/docs`,
    `  Live  ${url} (Socket.IO)`,
  ];
  if (demoLogins.length > 0) {
    lines.push('', `  Demo logins (password: ${DEMO_PASSWORD})`);
    for (const l of demoLogins) lines.push(`    ${l.role.padEnd(18)} ${l.email}`);
  }
  console.log(`${lines.join('\n')}\n`);
}

await main();
