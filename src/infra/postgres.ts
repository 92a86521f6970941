import postgres from 'postgres';

/** The postgres.js client used everywhere: camelCase rows, notices muted (CREATE … IF NOT EXISTS chatter). */
export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;
/** What store functions take: the pool or a transaction, so callers decide the transaction boundary. */
export type Db = postgres.ISql<Record<string, never>>;

export function connectPostgres(url: string, max: number): Sql {
  return postgres(url, {
    max,
    transform: postgres.camel,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 60,
    // Seconds before a connection that failed tries again; postgres.js's default grows to 20 s over an
    // outage, so the hub stayed away that long after Postgres was back. At most half a second here.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  }) as unknown as Sql;
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
