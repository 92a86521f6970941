import { readdir, readFile } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import type { Sql } from './postgres.js';

const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);
/** Arbitrary constant: every hub process takes this advisory lock before migrating. */
const MIGRATION_LOCK_ID = 727_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.slice(0, 4),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(new URL(file, dir), 'utf8'),
    })),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction, recorded in schema_migrations.
 * A session advisory lock on a reserved connection keeps two processes starting together from racing.
 * Returns the names applied by this call.
 */
export async function migrate(sql: Sql, logger?: Logger): Promise<string[]> {
  const migrations = await readMigrations();
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await lock`
      create table if not exists schema_migrations (
        version text primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`;
    const done = new Set(
      (await lock<{ version: string }[]>`select version from schema_migrations`).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await lock.unsafe('begin');
      try {
        await lock.unsafe(m.sql);
        await lock`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
        await lock.unsafe('commit');
      } catch (err) {
        await lock.unsafe('rollback');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      logger?.info({ migration: m.name }, 'migration applied');
      applied.push(m.name);
    }
    return applied;
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    lock.release();
  }
}
