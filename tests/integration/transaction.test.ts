import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, PG, pgCode, type Sql } from '../../src/infra/postgres.js';
import { notifyAfterCommit, transaction } from '../../src/infra/transaction.js';
import { TEST_POSTGRES_URL } from '../helpers/env.js';

// One connection: whatever a transaction leaves behind on it, the next statement sees.
let sql: Sql;
let other: Sql;
const table = `tx_test_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sql = connectPostgres(TEST_POSTGRES_URL, 1);
  other = connectPostgres(TEST_POSTGRES_URL, 1);
  await sql.unsafe(`create table ${table} (id int primary key)`);
});

afterAll(async () => {
  await sql.unsafe(`drop table if exists ${table}`);
  await Promise.all([sql.end(), other.end()]);
});

const ids = async () =>
  (await other.unsafe<{ id: number }[]>(`select id from ${table} order by id`)).map((r) => r.id);
const insert = (db: Sql, id: number) => db`insert into ${db(table)} (id) values (${id})`;
/** True when the connection is outside any transaction block: SAVEPOINT is refused there (25P01). */
const outsideTransaction = () =>
  sql`savepoint probe`.then(
    () => false,
    (err: unknown) => pgCode(err) === '25P01',
  );

describe('transaction', () => {
  it('commits statements pipelined with BEGIN and with COMMIT, and hands back what the body returned', async () => {
    const result = await transaction(sql, async (tx, commit) => {
      await Promise.all([insert(tx, 1), insert(tx, 2)]);
      // Not visible elsewhere before the commit.
      expect(await ids()).toEqual([]);
      await commit(insert(tx, 3));
      return 'done';
    });
    expect(result).toBe('done');
    expect(await ids()).toEqual([1, 2, 3]);
    expect(await outsideTransaction()).toBe(true);
  });

  it('commits a body that never calls commit() once it returns', async () => {
    await transaction(sql, async (tx) => {
      await insert(tx, 10);
    });
    expect(await ids()).toContain(10);
  });

  it('rolls back everything when a statement pipelined with COMMIT fails, and surfaces that error', async () => {
    const err = await transaction(sql, async (tx, commit) => {
      await insert(tx, 20);
      await commit(insert(tx, 1), insert(tx, 21));
    }).catch((e: unknown) => e);
    expect(pgCode(err)).toBe(PG.uniqueViolation);
    const now = await ids();
    expect(now).not.toContain(20);
    expect(now).not.toContain(21);
    expect(await outsideTransaction()).toBe(true);
  });

  it('rolls back when a statement pipelined with BEGIN fails', async () => {
    const err = await transaction(sql, async (tx) => {
      await Promise.all([insert(tx, 30), insert(tx, 30)]);
    }).catch((e: unknown) => e);
    expect(pgCode(err)).toBe(PG.uniqueViolation);
    expect(await ids()).not.toContain(30);
    expect(await outsideTransaction()).toBe(true);
  });

  it('rolls back when the body throws between statements, and the connection serves the next one', async () => {
    await expect(
      transaction(sql, async (tx) => {
        await insert(tx, 40);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await ids()).not.toContain(40);
    await transaction(sql, async (tx, commit) => {
      await commit(insert(tx, 41));
    });
    expect(await ids()).toContain(41);
  });

  it('NOTIFYs what the body asked for once COMMIT is done, and a rolled-back body notifies nothing', async () => {
    const channel = `tx_test_${randomBytes(4).toString('hex')}`;
    const heard: number[][] = [];
    let firstHeard!: () => void;
    const first = new Promise<void>((resolve) => {
      firstHeard = resolve;
    });
    const listening = await other.listen(channel, () => {
      // What a listener reads when told: the committed rows must already be there.
      void ids().then((now) => {
        heard.push(now);
        firstHeard();
      });
    });
    try {
      await expect(
        transaction(sql, async (tx) => {
          notifyAfterCommit(tx, channel);
          await insert(tx, 50);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await transaction(sql, async (tx, commit) => {
        expect(notifyAfterCommit(tx, channel)).toBe(true);
        await commit(insert(tx, 51));
      });
      await first;
      // Notifications arrive in commit order: had the rollback sent one, it would have come first.
      expect(heard).toHaveLength(1);
      expect(heard[0]).toContain(51);
      expect(heard[0]).not.toContain(50);
    } finally {
      await listening.unlisten();
    }
    // Outside transaction() there is nothing to defer to.
    expect(notifyAfterCommit(sql, channel)).toBe(false);
  });
});
