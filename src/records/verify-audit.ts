import type { Sql } from '../infra/postgres.js';
import { auditChain } from './audit.store.js';
import { type AuditRow, chainProblem } from './audit-chain.js';

/** The verdict on the chain: how many rows were checked, and the first broken one if any. */
export type ChainVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: string; problem: string };

/** Walks the whole audit log in id order and stops at the first row that breaks the chain. */
export async function verifyAuditChain(sql: Sql): Promise<ChainVerdict> {
  let previous: AuditRow | undefined;
  let rows = 0;
  for await (const row of auditChain(sql)) {
    const problem = chainProblem(row, previous);
    if (problem) return { ok: false, rows, brokenAt: row.id.toString(), problem };
    previous = row;
    rows++;
  }
  return { ok: true, rows };
}
