import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/infra/migrate.js';
import { connectPostgres } from '../../src/infra/postgres.js';
import { provideTestServers, type TestServers } from './test-servers.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** A migrated database each test file copies (CREATE DATABASE … TEMPLATE), so no file migrates. */
    templateDatabase: string;
    /** Prefix of every database this run creates; teardown drops what is left. */
    runId: string;
  }
}

let admin: postgres.Sql | undefined;
let servers: TestServers | undefined;
let runId = '';

/**
 * Finds or starts Postgres and Redis (test-servers.ts) and hands their URLs to the test processes
 * through TEST_DATABASE_URL / TEST_REDIS_URL (helpers/env.ts reads them); then the migrated template.
 */
export async function setup(project: TestProject): Promise<void> {
  servers = await provideTestServers();
  if (servers.started.length > 0)
    console.log(`npm test started private servers: ${servers.started.join(', ')}`);
  process.env.TEST_DATABASE_URL = servers.postgresUrl;
  process.env.TEST_REDIS_URL = servers.redisUrl;
  runId = `bht_${randomBytes(4).toString('hex')}`;
  admin = postgres(servers.postgresUrl, { max: 1, onnotice: () => {} });
  const template = `${runId}_template`;
  await admin.unsafe(`create database ${template}`);
  const url = new URL(servers.postgresUrl);
  url.pathname = `/${template}`;
  const sql = connectPostgres(url.toString(), 1);
  await migrate(sql);
  await sql.end();
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
}

export async function teardown(): Promise<void> {
  if (admin) await dropLeftovers(admin);
  await servers?.stop();
}

async function dropLeftovers(admin: postgres.Sql): Promise<void> {
  const leftovers = await admin<
    { datname: string }[]
  >`select datname from pg_database where datname like ${`${runId}%`}`;
  for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
  await admin.end();
}
