import { type Config, ConfigError } from '../config.js';
import { startEmbeddedPostgres } from '../infra/embedded-postgres.js';
import { migrate } from '../infra/migrate.js';
import { connectPostgres, type Sql } from '../infra/postgres.js';
import { loadConfig } from '../load-config.js';
import { createLogger, type Logger } from '../logger.js';

/**
 * For one-shot commands: opens DATABASE_URL (or the embedded database in DATA_DIR), applies migrations,
 * runs the task, closes everything; a bad environment or a failure exits 1 with the reason.
 */
export async function runWithDatabase(
  task: string,
  fn: (sql: Sql, logger: Logger, config: Config) => Promise<void>,
): Promise<void> {
  try {
    const { config } = await loadConfig(process.env);
    const logger = createLogger(config.logLevel, { task });
    const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, 2);
    const sql = connectPostgres(config.databaseUrl ?? embedded!.url, 1);
    try {
      const applied = await migrate(sql, logger);
      logger.info(
        { applied: applied.length },
        applied.length ? 'migrations applied' : 'database is up to date',
      );
      await fn(sql, logger, config);
    } finally {
      await sql.end();
      await embedded?.close();
    }
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
}
