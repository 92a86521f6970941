import { defineConfig } from 'vitest/config';
import { missingTestServers } from './tests/helpers/test-servers.js';

// Unit tests need nothing; the integration and browser tests need Postgres and Redis, which the global
// setup finds or starts (tests/helpers/test-servers.ts). Where neither runs nor is installed, only the
// unit tests run, and one line says what the rest needs.
const missing = await missingTestServers();
if (missing) console.warn(`\nOnly the unit tests run: ${missing}.\n`);

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/web/**/*.test.ts'] },
      },
      ...(missing
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'integration',
                include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
                globalSetup: ['tests/helpers/global-setup.ts'],
              },
            },
          ]),
    ],
    // postgres.js's own unawaited array-type lookup fails when a private Postgres is stopped under it
    // (the outage tests); src/main.ts ignores the same in the hub. Every other unhandled error counts.
    onUnhandledError: (err) =>
      !(
        /^(CONNECTION_CLOSED|ECONNRESET|ECONNREFUSED)$/.test(String((err as { code?: unknown }).code)) &&
        String((err as { query?: unknown }).query).includes('pg_catalog.pg_type')
      ),
  },
});
