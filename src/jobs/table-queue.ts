import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';

/**
 * A small job queue in a Postgres table (`jobs`, migration 0050), for the single-process embedded mode
 * where there is no Redis for BullMQ. What the hub's jobs need and no more: deterministic ids (adding an
 * id twice adds nothing), a delay, removal, retries with exponential backoff, "run later without
 * spending an attempt", and a lease so an attempt that died with its process runs again. The worker
 * sleeps until the next job is due (a timer, woken at once by an add in this process), so a delayed job
 * fires on time without polling.
 */

/** One attempt of a job, as the processor sees it. */
export interface TableJob<T> {
  id: string;
  data: T;
  /** This attempt's number, from 1. */
  attempt: number;
  /** True on the last attempt the job has. */
  final: boolean;
}

/** Thrown by a processor: try again after `afterMs` without spending an attempt. */
export class RunLater extends Error {
  constructor(readonly afterMs: number) {
    super(`run again in ${afterMs} ms`);
  }
}

/** Thrown by a processor: no further attempt can succeed. */
export class GiveUp extends Error {}

export interface NewTableJob<T> {
  id: string;
  data: T;
  delayMs?: number;
}

export type TableQueue<T> = ReturnType<typeof createTableQueue<T>>;

export function createTableQueue<T>(sql: Sql, name: string, o: { attempts: number; backoffMs: number }) {
  const wakers = new Set<() => void>();
  return {
    name,
    /** Adds jobs whose ids are new; an id already queued is kept as it is. */
    async add(jobs: readonly NewTableJob<T>[]): Promise<void> {
      if (jobs.length === 0) return;
      const rows = jobs.map((j) => ({
        id: j.id,
        data: j.data,
        run_at: new Date(Date.now() + Math.max(0, j.delayMs ?? 0)).toISOString(),
      }));
      await sql`
        insert into jobs (queue, id, data, run_at, max_attempts, backoff_ms)
        select ${name}, id, data, run_at, ${o.attempts}, ${o.backoffMs}
        from jsonb_to_recordset(${sql.json(rows as never)}) as r(id text, data jsonb, run_at timestamptz)
        on conflict (queue, id) do nothing`;
      for (const wake of wakers) wake();
    },
    async remove(id: string): Promise<void> {
      await sql`delete from jobs where queue = ${name} and id = ${id}`;
    },
    /** The job if it is queued (waiting, running or failed). */
    async get(id: string): Promise<{ id: string; data: T; runAt: Date; failedAt: Date | null } | undefined> {
      const [row] = await sql<{ id: string; data: T; runAt: Date; failedAt: Date | null }[]>`
        select id, data, run_at, failed_at from jobs where queue = ${name} and id = ${id}`;
      return row;
    },
    /** For the worker: called after every add. */
    onAdd(wake: () => void): () => void {
      wakers.add(wake);
      return () => wakers.delete(wake);
    },
  };
}

/** Longest sleep between looks at the table (a safety net; adds and finished attempts wake it anyway). */
const MAX_SLEEP_MS = 30_000;

/** Runs the queue's due jobs, at most `concurrency` at a time; stop() waits for running attempts. */
export function startTableWorker<T>(
  sql: Sql,
  queue: TableQueue<T>,
  process: (job: TableJob<T>) => Promise<unknown>,
  o: { concurrency: number; leaseMs: number; logger: Logger },
) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;
  let again = false;
  const running = new Set<Promise<void>>();

  async function look(): Promise<void> {
    const capacity = o.concurrency - running.size;
    if (capacity > 0) {
      const claimed = await sql<{ id: string; data: T; attempts: number; maxAttempts: number }[]>`
        update jobs set attempts = attempts + 1, locked_until = now() + ${o.leaseMs} * interval '1 millisecond'
        where (queue, id) in (
          select queue, id from jobs
          where queue = ${queue.name} and failed_at is null and run_at <= now()
            and (locked_until is null or locked_until < now())
          order by run_at
          limit ${capacity}
          for update skip locked)
        returning id, data, attempts, max_attempts`;
      for (const row of claimed) {
        const attempt = run({
          id: row.id,
          data: row.data,
          attempt: row.attempts,
          final: row.attempts >= row.maxAttempts,
        }).finally(() => {
          running.delete(attempt);
          wake();
        });
        running.add(attempt);
      }
    }
    const [next] = await sql<{ at: Date | null }[]>`
      select min(greatest(run_at, coalesce(locked_until, run_at))) as at
      from jobs where queue = ${queue.name} and failed_at is null`;
    const inMs = next?.at ? next.at.getTime() - Date.now() : MAX_SLEEP_MS;
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(wake, Math.min(MAX_SLEEP_MS, Math.max(0, inMs) + 1));
  }

  async function run(job: TableJob<T>): Promise<void> {
    try {
      await process(job);
      await sql`delete from jobs where queue = ${queue.name} and id = ${job.id}`;
    } catch (err) {
      if (err instanceof RunLater) {
        await sql`
          update jobs set attempts = attempts - 1, locked_until = null,
            run_at = now() + ${err.afterMs} * interval '1 millisecond'
          where queue = ${queue.name} and id = ${job.id}`;
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      o.logger.warn(
        { queue: queue.name, jobId: job.id, attempt: job.attempt, err: message },
        'job attempt failed',
      );
      if (job.final || err instanceof GiveUp) {
        await sql`
          update jobs set failed_at = now(), locked_until = null, last_error = ${message}
          where queue = ${queue.name} and id = ${job.id}`;
      } else {
        await sql`
          update jobs set locked_until = null, last_error = ${message},
            run_at = now() + backoff_ms * power(2, attempts - 1) * interval '1 millisecond'
          where queue = ${queue.name} and id = ${job.id}`;
      }
    }
  }

  /** One look at a time; a wake during one runs another after it. */
  function wake(): void {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    looking = look()
      .catch((err) => {
        o.logger.error({ err, queue: queue.name }, 'job queue look failed; looking again in 1 s');
        clearTimeout(timer);
        if (!stopped) timer = setTimeout(wake, 1000);
      })
      .finally(() => {
        looking = undefined;
        if (again && !stopped) {
          again = false;
          wake();
        }
      });
  }

  const stopWaking = queue.onAdd(wake);
  wake();
  return {
    async close() {
      stopped = true;
      stopWaking();
      clearTimeout(timer);
      await looking;
      await Promise.allSettled([...running]);
    },
  };
}
