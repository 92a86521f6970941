import { verifyAuditChain } from '../records/verify-audit.js';
import { runWithDatabase } from './run-with-database.js';

/**
 * `npm run verify-audit`: walks the audit log's hash chain; exits 0 when every row links to the one
 * before it and matches its hash, 1 naming the first row that does not.
 */
await runWithDatabase('verify-audit', async (sql) => {
  const verdict = await verifyAuditChain(sql);
  if (verdict.ok) {
    console.log(`audit log intact: ${verdict.rows} rows verified`);
    return;
  }
  console.log(
    `audit log broken at row ${verdict.brokenAt}: ${verdict.problem} (${verdict.rows} rows before it verified)`,
  );
  process.exitCode = 1;
});
