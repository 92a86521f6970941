import { seedDemoData } from '../seed/seed.js';
import { runWithDatabase } from './run-with-database.js';

/** `npm run seed`: load the demo data set (idempotent) into DATABASE_URL or the embedded database. */
await runWithDatabase('seed', seedDemoData);
