import { ConfigError } from './config.js';
import { type Hub, type Role, startHub } from './hub.js';
import { isDependencyDown } from './infra/dependency-errors.js';
import { RedisUnavailableError } from './infra/private-redis.js';
import { loadConfig } from './load-config.js';
import { createLogger } from './logger.js';
import { DEMO_PASSWORD, demoLogins } from './seed/demo-data.js';

function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  if (value === undefined) return 'all';
  if (value === 'api' || value === 'worker' || value === 'all') return value;
  console.error(`--role must be api, worker or all (got ${value})`);
  process.exit(1);
}

async function main(): Promise<void> {
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

  let hub: Hub;
  try {
    hub = await startHub(config, logger, role);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(err.message);
      process.exit(1);
    }
    logger.fatal({ err }, 'hub failed to start');
    process.exit(1);
  }

  if (hub.url) printBanner(hub.url, !config.databaseUrl && config.demoSeed === 'auto');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    hub.close().then(
      () => process.exit(0),
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
}

function printBanner(url: string, demo: boolean): void {
  const lines = [
    '',
    `  booking-hub is running`,
    `  API   ${url}/v1`,
    `  Docs  ${url}/docs`,
    `  Live  ${url} (Socket.IO)`,
  ];
  if (demo) {
    lines.push('', `  Demo logins (password: ${DEMO_PASSWORD})`);
    for (const l of demoLogins()) lines.push(`    ${l.role.padEnd(18)} ${l.email}`);
  }
  console.log(`${lines.join('\n')}\n`);
}

await main();
