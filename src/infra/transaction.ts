import type postgres from 'postgres';
import type { Sql } from './postgres.js';

/** NOTIFY channels each open transaction() sends right after its COMMIT (see notifyAfterCommit). */
const notifyOnCommit = new WeakMap<object, Set<string>>();

/**
 * Has the transaction running on `tx` send `NOTIFY channel` once it has committed, as a statement of its
 * own pipelined after COMMIT. A body that throws sends nothing; when a statement pipelined with COMMIT
 * fails, COMMIT ends the transaction as a rollback and the NOTIFY still goes out, a wake-up that finds
 * nothing new (listeners read the table, never the notification). Why not NOTIFY inside the
 * transaction: Postgres serializes the commits of all transactions that NOTIFY, holding a lock on the
 * notification queue until their commit record is flushed to disk, so every booking's fsync waited for
 * the previous one's. A NOTIFY after the commit writes no WAL and holds that lock only for a moment; a
 * process that dies between the two leaves the listener to its periodic sweep.
 *
 * Returns false when `tx` is not a transaction() connection, and the caller must notify itself.
 */
export function notifyAfterCommit(tx: object, channel: string): boolean {
  const channels = notifyOnCommit.get(tx);
  channels?.add(channel);
  return channels !== undefined;
}

/** The connection a transaction runs on; store functions take it as a `Db`. */
export type Tx = postgres.ReservedSql<Record<string, never>>;
/**
 * One statement, not yet sent: what a store function returns when it is a single tagged template
 * (`return db\`…\``, not an async function). Only these may travel with COMMIT (see transaction()).
 */
export type Statement = postgres.PendingQuery<postgres.Row[]>;
/**
 * COMMIT, sent in the same write as the transaction's last statements: `await commit(a(tx), b(tx))`.
 * Each argument must be a single pending statement (an async function could send a second statement
 * after COMMIT, outside the transaction), which the type enforces; `false`/`undefined` are skipped.
 * Resolves to the statements' results, in order.
 */
export type Commit = (...last: (Statement | false | undefined)[]) => Promise<unknown[]>;

/**
 * Runs `body` in one transaction on one connection, with BEGIN sent in the same write as the body's
 * first statements and, when the body ends with `commit(lastA, lastB)`, COMMIT in the same write as
 * those. postgres.js pipelines statements issued in the same tick, so a body of `[a, b]` then `[c, d]`
 * costs two round trips instead of `sql.begin`'s four: on a busy hub every round trip is a wake-up on
 * both sides and a connection held idle in transaction meanwhile. A body that never calls `commit()`
 * is committed after it returns, one round trip later.
 *
 * If a statement fails, Postgres aborts the transaction and answers the statements pipelined after it
 * with 25P02 (a pipelined COMMIT then only ends it); `commit` rejects with the first error, and this
 * rolls back.
 */
export async function transaction<T>(sql: Sql, body: (tx: Tx, commit: Commit) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  const channels = new Set<string>();
  notifyOnCommit.set(tx, channels);
  let committed = false;
  const commit: Commit = async (...last) => {
    committed = true;
    // Issued in one tick, in order: the statements, COMMIT, then the NOTIFYs, which run once COMMIT has
    // finished. Best effort: a NOTIFY lost with the connection leaves the listener to its sweep.
    const statements = last.filter((s): s is Statement => Boolean(s)).map((s) => s.execute());
    const done = tx`commit`.execute();
    const notified = [...channels].map((channel) =>
      tx`select pg_notify(${channel}, '')`.execute().catch(() => {}),
    );
    const results = await Promise.all([...statements, done, ...notified]);
    return results.slice(0, statements.length);
  };
  try {
    // Queries run when awaited: this one is queued first, the body's first statements join its write.
    const began = tx`begin`.execute();
    // If BEGIN fails, the body's first statement fails too and is what the caller sees.
    began.catch(() => {});
    const result = await body(tx, commit);
    await began;
    if (!committed) await commit();
    return result;
  } catch (err) {
    // Also right after a pipelined COMMIT failed to commit: `rollback` outside a transaction only warns.
    await tx`rollback`.catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}
