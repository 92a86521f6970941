import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyDown } from '../../src/infra/dependency-errors.js';
import { connectPostgres, type Sql } from '../../src/infra/postgres.js';
import { transaction } from '../../src/infra/transaction.js';
import { type PrivateServer, privatePostgres } from '../helpers/private-servers.js';
import { waitUntil } from '../helpers/process.js';

/**
 * postgres.js 3.4 under an outage, reproduced on a Postgres of the test's own: a `sql.reserve()` queued
 * while its connection closes never settles, and a ROLLBACK or release() on a connection that dropped
 * writes to a socket that is gone, from a timer — the process crashes. transaction() bounds the wait
 * and leaves a dropped connection to the pool: every transaction settles, with its result or an error
 * that means "Postgres is away" (a 503), and the pool works again once Postgres is back.
 */
describe('transactions through a Postgres outage', () => {
  let pg: PrivateServer;
  let sql: Sql;
  beforeAll(async () => {
    pg = await privatePostgres();
    await pg.start();
    sql = connectPostgres(pg.url, 4);
    await sql`create table outage_rows (id serial primary key, n int not null)`;
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await pg?.remove();
  });

  it('every transaction settles within the bound, as committed or unavailable; the pool recovers', async () => {
    let n = 0;
    for (let round = 0; round < 3; round++) {
      const outcomes: { ms: number; ok: boolean; err?: unknown }[] = [];
      const pending = new Set<Promise<void>>();
      const fire = () => {
        const started = performance.now();
        const i = n++;
        const p = transaction(sql, async (tx, commit) => {
          await tx`select pg_sleep(0.005)`;
          await commit(tx`insert into outage_rows (n) values (${i})`);
        })
          .then(
            () => void outcomes.push({ ms: performance.now() - started, ok: true }),
            (err: unknown) => void outcomes.push({ ms: performance.now() - started, ok: false, err }),
          )
          .finally(() => pending.delete(p));
        pending.add(p);
      };
      const load = setInterval(fire, 10);
      await waitUntil('some commits', () => (outcomes.filter((o) => o.ok).length > 5 ? true : undefined));
      await pg.stop();
      await new Promise((resolve) => setTimeout(resolve, 700));
      await pg.start();
      const back = Date.now();
      await waitUntil(
        'a commit after the restart',
        async () => {
          await transaction(sql, (tx) => tx`select 1`);
          return true;
        },
        { timeoutMs: 5000, intervalMs: 50 },
      );
      expect(Date.now() - back, 'recovery after Postgres is back').toBeLessThan(2000);
      clearInterval(load);
      await Promise.all([...pending]);

      const failures = outcomes.filter((o) => !o.ok);
      expect(failures.length, 'the outage was felt').toBeGreaterThan(0);
      for (const f of failures) expect(isDependencyDown(f.err), String(f.err)).toBe(true);
      expect(Math.max(...outcomes.map((o) => o.ms)), 'slowest settle (ms)').toBeLessThan(2500);
    }
    // What committed is there once.
    const [row] = await sql<{ dupes: number }[]>`
      select count(*)::int - count(distinct n)::int as dupes from outage_rows`;
    expect(row?.dupes).toBe(0);
  }, 60_000);
});
