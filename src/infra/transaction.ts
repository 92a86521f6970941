import type postgres from 'postgres';
import type { Sql } from './postgres.js';

/** The connection a transaction runs on; store functions take it as a `Db`. */
export type Tx = postgres.ReservedSql<Record<string, never>>;
/** COMMIT as a statement, to send in the same write as the transaction's last statements. */
export type Commit = () => Promise<unknown>;

/**
 * Runs `body` in one transaction on one connection, with BEGIN sent in the same write as the body's
 * first statements and, when the body calls `commit()` alongside its last ones
 * (`await Promise.all([lastWrite(tx), commit()])`), COMMIT in the same write as those. postgres.js
 * pipelines statements issued in the same tick, so a body of `[a, b]` then `[c, d]` costs two round trips
 * instead of `sql.begin`'s four: on a busy hub every round trip is a wake-up on both sides and a
 * connection held idle in transaction meanwhile.
 *
 * Pipeline only calls that each send one statement at once (a store function's single query): a call that
 * awaits one statement before sending the next would send it after COMMIT, outside the transaction. When
 * in doubt, leave `commit()` out; the body is then committed after it returns, one round trip later.
 *
 * If a statement fails, Postgres aborts the transaction and answers the statements pipelined after it
 * with 25P02 (a pipelined COMMIT then only ends it); the body's `await` sees the first error, and this
 * rolls back. A body that never calls `commit()` is committed after it returns.
 */
export async function transaction<T>(sql: Sql, body: (tx: Tx, commit: Commit) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  let committed = false;
  const commit: Commit = () => {
    committed = true;
    return tx`commit`;
  };
  try {
    // Queries run when awaited: this one is queued first, the body's first statements join its write.
    const began = tx`begin`.execute();
    // If BEGIN fails, the body's first statement fails too and is what the caller sees.
    began.catch(() => {});
    const result = await body(tx, commit);
    await began;
    if (!committed) await tx`commit`;
    return result;
  } catch (err) {
    // Also right after a pipelined COMMIT failed to commit: `rollback` outside a transaction only warns.
    await tx`rollback`.catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}
