import { runWithDatabase } from './run-with-database.js';

/** `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit. */
await runWithDatabase('migrate', async () => {});
