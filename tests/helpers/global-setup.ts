import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/infra/migrate.js';
import { connectPostgres } from '../../src/infra/postgres.js';
import { databaseUrl, TEST_POSTGRES_URL } from './env.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** A migrated database each test file copies (CREATE DATABASE … TEMPLATE), so no file migrates. */
    templateDatabase: string;
    /** Prefix of every database this run creates; teardown drops what is left. */
    runId: string;
  }
}

let admin: postgres.Sql | undefined;
let runId = '';

export async function setup(project: TestProject): Promise<void> {
  runId = `bht_${randomBytes(4).toString('hex')}`;
  admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (err) {
    throw new Error(
      `Tests need Postgres at ${TEST_POSTGRES_URL} (set TEST_DATABASE_URL) and Redis (TEST_REDIS_URL): ${(err as Error).message}`,
    );
  }
  const template = `${runId}_template`;
  await admin.unsafe(`create database ${template}`);
  const sql = connectPostgres(databaseUrl(template), 1);
  await migrate(sql);
  await sql.end();
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
}

export async function teardown(): Promise<void> {
  if (!admin) return;
  const leftovers = await admin<
    { datname: string }[]
  >`select datname from pg_database where datname like ${`${runId}%`}`;
  for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
  await admin.end();
}
