import { parseArgs } from 'node:util';
import { seedHistory } from '../seed/history.js';
import { seedDemoData } from '../seed/seed.js';
import { runWithDatabase } from './run-with-database.js';

/**
 * `npm run seed`: load the demo data set (idempotent) into DATABASE_URL or the embedded database.
 * `npm run seed -- --history 365` also fills the demo doctors' past year with appointments.
 */
const { values } = parseArgs({ options: { history: { type: 'string' } } });
const historyDays = values.history === undefined ? 0 : Number(values.history);
if (!Number.isInteger(historyDays) || historyDays < 0 || historyDays > 3660) {
  console.error('--history takes a number of days (0–3660)');
  process.exit(1);
}
await runWithDatabase('seed', async (sql, logger) => {
  await seedDemoData(sql, logger);
  if (historyDays > 0) await seedHistory(sql, logger, historyDays);
});
