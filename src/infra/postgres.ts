import postgres from 'postgres';

/** The postgres.js client used everywhere: camelCase rows, notices muted (CREATE … IF NOT EXISTS chatter). */
export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;
/** What store functions take: the pool or a transaction, so callers decide the transaction boundary. */
export type Db = postgres.ISql<Record<string, never>>;

/** When each pool last saw one of its connections close (an outage, a restart, an idle timeout). */
const lastClose = new WeakMap<object, number>();

/** Epoch ms of the last connection close in this pool, if any (see transaction.ts's reserveWithin). */
export function lastConnectionClose(sql: Sql): number | undefined {
  return lastClose.get(sql);
}

export function connectPostgres(url: string, max: number): Sql {
  const sql: Sql = postgres(url, {
    onclose: () => lastClose.set(sql, Date.now()),
    max,
    transform: postgres.camel,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 60,
    // Seconds before a connection that failed tries again; postgres.js's default grows to 20 s over an
    // outage, so the hub stayed away that long after Postgres was back. At most half a second here.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  }) as unknown as Sql;
  return sql;
}

/** SQLSTATE codes the application tells apart; postgres-errors.ts maps them to domain errors. */
export const PG = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlock: '40P01',
} as const;

export function pgCode(err: unknown): string | undefined {
  return err instanceof postgres.PostgresError ? err.code : undefined;
}

/** Name of the violated constraint, to tell which rule a 23505/23P01 broke. */
export function pgConstraint(err: unknown): string | undefined {
  return err instanceof postgres.PostgresError ? err.constraint_name : undefined;
}
