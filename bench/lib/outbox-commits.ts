import { OUTBOX_CHANNEL } from '../../src/events/outbox.js';
import type { Sql } from '../../src/infra/postgres.js';
import { monoMs } from './child-rpc.js';

/** An outbox row and when the bench heard its transaction commit (monotonic ms). */
export interface CommittedEvent {
  room: string;
  type: string;
  /** `data.revision` (queue.updated), null for events without one. */
  revision: number | null;
  tCommit: number;
}

export interface OutboxCommits {
  /** The event with this outbox id, once its commit has been heard. */
  get(id: number): CommittedEvent | undefined;
  close(): Promise<void>;
}

/**
 * Commit times per outbox event, for a stream of writes several of which may be in flight at once.
 *
 * commitClock (live-bookings.ts) pairs each write with the next NOTIFY, which is right only while one
 * write is in flight: the NOTIFY carries no payload, so when two overlap and commit in the other order,
 * each takes the other's commit, and a receipt can even come out "before" its commit. Here the same NOTIFY, heard on the bench's own LISTEN connection, makes the
 * bench read the outbox rows it has not seen yet (on another connection, right away), and each new row
 * is dated by the NOTIFY that woke that read. Its transaction had committed before the read, so it is
 * never dated later than its own NOTIFY; one that committed while the read was on its way is dated by an
 * earlier NOTIFY, early by at most the read's latency (a millisecond). Ids are taken at insert, not at
 * commit, so a row below the newest one seen may still turn up: the read starts above the highest id
 * below which every id has been seen.
 */
export async function outboxCommits(sql: Sql): Promise<OutboxCommits> {
  const seen = new Map<number, CommittedEvent>();
  const [top] = await sql<{ id: string }[]>`select coalesce(max(id), 0) as id from events`;
  let floor = Number(top!.id);
  /** When the first NOTIFY not yet followed by a read was heard. */
  let pending: number | undefined;
  let reading = false;
  let failure: Error | undefined;

  const read = async () => {
    reading = true;
    try {
      while (pending !== undefined) {
        const t = pending;
        pending = undefined;
        const rows = await sql<{ id: string; room: string; type: string; revision: number | null }[]>`
          select id, room, type, (data->>'revision')::int as revision from events where id > ${floor} order by id`;
        for (const r of rows) {
          const id = Number(r.id);
          if (!seen.has(id)) seen.set(id, { room: r.room, type: r.type, revision: r.revision, tCommit: t });
        }
        while (seen.has(floor + 1)) floor++;
      }
    } catch (err) {
      failure = err as Error;
    } finally {
      reading = false;
    }
  };
  const listener = await sql.listen(OUTBOX_CHANNEL, () => {
    pending ??= monoMs();
    if (!reading) void read();
  });
  return {
    get(id) {
      if (failure) throw new Error(`reading the outbox after a NOTIFY failed: ${failure.message}`);
      return seen.get(id);
    },
    close: () => listener.unlisten(),
  };
}
