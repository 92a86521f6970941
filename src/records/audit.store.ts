import type { Db, Sql, TransactionSql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import { type AuditEntry, type AuditRow, chainHash, GENESIS, normalized } from './audit-chain.js';

export type { AuditEntry } from './audit-chain.js';

/** The advisory lock that serializes appends: one chain, one writer at a time, held to COMMIT only. */
const AUDIT_LOCK = 0x617564_6974; // "audit"

type Pool = Sql | TransactionSql | Db;

/**
 * Appends one entry to the audit log. With the pool it runs in a transaction of its own; given a
 * transaction (`sql.begin`'s, or `transaction()`'s connection) it joins it, and the entry commits or
 * rolls back with the caller's work.
 */
export async function appendAudit(sql: Pool, entry: AuditEntry): Promise<void> {
  await appendAuditBatch(sql, [entry]);
}

/**
 * Appends entries in order, chained: takes the lock, reads the last row, inserts them all in one
 * statement. Concurrent appenders queue on the lock for the few milliseconds of one insert.
 */
export async function appendAuditBatch(sql: Pool, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  /** The chained rows after `last`, as an insert statement. */
  const insertAfter = (tx: Db, last: { id: string; hash: Buffer } | undefined) => {
    let id = last ? BigInt(last.id) : 0n;
    let prevHash = last?.hash ?? GENESIS;
    const at = new Date();
    const rows = entries.map((e) => {
      id += 1n;
      const row = { ...normalized(e), id, at };
      const hash = chainHash(prevHash, row);
      const stored = {
        id: id.toString(),
        at,
        actor_id: row.actorId,
        actor_role: row.actorRole,
        patient_id: row.patientId,
        action: row.action,
        resource: row.resource,
        reason: row.reason,
        outcome: row.outcome,
        request_id: row.requestId,
        break_glass: row.breakGlass,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return stored;
    });
    return tx`insert into audit_log ${tx(rows)}`;
  };
  // The lock, then the last row read in a statement of its own (its snapshot is taken once the lock is
  // held), sent together; the insert then goes with COMMIT: two round trips with the pool.
  const lastRow = async (tx: Db) => {
    const [, [last]] = await Promise.all([
      tx`select pg_advisory_xact_lock(${AUDIT_LOCK})`,
      tx<
        { id: string; hash: Buffer }[]
      >`select id::text, hash from audit_log order by audit_log.id desc limit 1`,
    ]);
    return last;
  };
  // Inside a transaction already (sql.begin's TransactionSql has savepoint, transaction()'s reserved
  // connection has release): join it. The pool: a transaction of its own.
  if ('savepoint' in sql || 'release' in sql) await insertAfter(sql as Db, await lastRow(sql as Db));
  else await transaction(sql as Sql, async (tx, commit) => commit(insertAfter(tx, await lastRow(tx))));
}

/** A row as the API shows it (no hashes), with the actor's name when the account still exists. */
export interface AuditListItem {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string;
  patientId: string | null;
  action: string;
  resource: string;
  reason: string | null;
  outcome: 'allowed' | 'denied';
  requestId: string | null;
  breakGlass: boolean;
}

/** Newest first, `before` an id for the next page; one patient's, or everyone's (the admin's view). */
export async function listAudit(
  db: Db,
  f: {
    patientId?: string | undefined;
    actorId?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<AuditListItem[]> {
  return db<AuditListItem[]>`
    select l.id::text, l.at, l.actor_id, u.name as actor_name, l.actor_role, l.patient_id, l.action,
           l.resource, l.reason, l.outcome, l.request_id, l.break_glass
    from audit_log l left join users u on u.id = l.actor_id
    where true
      ${f.patientId ? db`and l.patient_id = ${f.patientId}` : db``}
      ${f.actorId ? db`and l.actor_id = ${f.actorId}` : db``}
      ${f.before ? db`and l.id < ${f.before}` : db``}
    order by l.id desc limit ${f.limit}`;
}

/** The whole chain in id order, `batch` rows at a time (verify-audit reads it with a cursor). */
export async function* auditChain(sql: Sql, batch = 1000): AsyncGenerator<AuditRow> {
  let after = '0';
  for (;;) {
    const rows = await sql<(Omit<AuditRow, 'id'> & { id: string })[]>`
      select id::text, at, actor_id, actor_role, patient_id, action, resource, reason, outcome, request_id,
             break_glass, prev_hash, hash
      from audit_log where audit_log.id > ${after} order by audit_log.id limit ${batch}`;
    for (const r of rows) yield { ...r, id: BigInt(r.id) };
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The hub's audit writer, with group commit: appends are serialized by the chain's lock anyway, so while
 * one batch is being committed, every entry that arrives waits for the next batch, which then goes in
 * one transaction (one lock, one insert, one commit). Under load the batches grow instead of the queue;
 * each caller's promise settles when its own entries are committed.
 */
export function auditWriter(sql: Sql): (entries: readonly AuditEntry[]) => Promise<void> {
  let next: { entries: AuditEntry[]; done: Promise<void> } | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  return (entries) => {
    if (entries.length === 0) return Promise.resolve();
    if (next) {
      next.entries.push(...entries);
      return next.done;
    }
    const batch = { entries: [...entries], done: Promise.resolve() };
    batch.done = inFlight.then(() => {
      // From here on, new entries start the batch after this one.
      if (next === batch) next = undefined;
      return appendAuditBatch(sql, batch.entries);
    });
    next = batch;
    inFlight = batch.done.catch(() => {});
    return batch.done;
  };
}
