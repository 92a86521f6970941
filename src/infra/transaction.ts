import type postgres from 'postgres';
import { isConnectionLost, unavailable } from './dependency-errors.js';
import { lastConnectionClose, type Sql } from './postgres.js';

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
  const tx = await reserveWithin(sql, RESERVE_WAIT_MS);
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
  let result: T;
  try {
    // Queries run when awaited: this one is queued first, the body's first statements join its write.
    const began = tx`begin`.execute();
    // If BEGIN fails, the body's first statement fails too and is what the caller sees.
    began.catch(() => {});
    result = await body(tx, commit);
    await began;
    if (!committed) await commit();
  } catch (err) {
    // The connection is gone (postgres.js moves it to its closed queue and reconnects it itself): a
    // ROLLBACK written to it, or a release() that hands it to the next query, would write to a socket
    // that no longer exists and crash the process from a timer (postgres.js 3.4). The server rolls
    // back a transaction whose connection dropped.
    if (isConnectionLost(err)) {
      suspect.add(sql);
      throw err;
    }
    // Also right after a pipelined COMMIT failed to commit: `rollback` outside a transaction only warns.
    await tx`rollback`.catch(() => {});
    tx.release();
    throw err;
  }
  tx.release();
  return result;
}

/** Pools whose last transaction lost its connection or could not get one. */
const suspect = new WeakSet<Sql>();

/**
 * How often a transaction waiting for a connection looks whether the wait is an outage's: a pool that
 * lost a connection since the wait began answers 503; a pool that is merely busy keeps waiting, up to
 * RESERVE_GIVE_UP_MS (the request deadline answers the client long before that).
 */
const RESERVE_WAIT_MS = 2_000;
const RESERVE_GIVE_UP_MS = 30_000;

/**
 * `sql.reserve()`, bounded: a reservation queued while its connection closes may never settle
 * (postgres.js 3.4 leaves it in its queue after rejecting its first connection attempt), so a wait
 * that outlasts `ms` while the pool has lost a connection ends with 503 `unavailable`. A reservation
 * that arrives after that is given back at once.
 */
export async function reserveWithin(sql: Sql, ms: number): Promise<Tx> {
  const started = Date.now();
  const lostSinceStart = () => (lastConnectionClose(sql) ?? 0) >= started - ms;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    const look = () => {
      if (lostSinceStart() || Date.now() - started >= RESERVE_GIVE_UP_MS)
        reject(unavailable('No database connection within the deadline'));
      else timer = setTimeout(look, ms);
    };
    timer = setTimeout(look, ms);
  });
  // While Postgres seemed away, ask it with a plain query first (the pool's ordinary path, which
  // settles): a reservation is then only queued once connections open again, which keeps stranded
  // ones (and the connection each may later hold) to the moment an outage begins.
  if (suspect.has(sql)) {
    try {
      await Promise.race([sql`select 1`.execute(), late]);
    } catch (err) {
      clearTimeout(timer);
      throw isConnectionLost(err) ? unavailable() : err;
    }
    suspect.delete(sql);
  }
  const reserving = sql.reserve();
  try {
    return await Promise.race([reserving, late]);
  } catch (err) {
    reserving.then((tx) => tx.release()).catch(() => {});
    suspect.add(sql);
    throw isConnectionLost(err) ? unavailable() : err;
  } finally {
    clearTimeout(timer);
  }
}
