import type { Db, Sql } from '../infra/postgres.js';
import { notifyAfterCommit, type Statement, type Tx, transaction } from '../infra/transaction.js';
import type { LiveEvent, RoomMessage } from './event-types.js';

/** NOTIFY channel the relay listens on; the payload is empty, the table is the truth. */
export const OUTBOX_CHANNEL = 'bh_events';

/**
 * Appends messages to the outbox inside the caller's transaction (invariant 3) as one statement, to
 * await or to hand to `commit()`: append_events (migrations/0010) takes the per-room locks that keep ids
 * in commit order and inserts the rows. The relay hears of them by a NOTIFY sent right after the
 * transaction commits (notifyAfterCommit), registered here before the statement is sent. Call it last in
 * the transaction, so the room locks are held only briefly. Undefined when there is nothing to append.
 */
export function appendEvents(tx: Tx, messages: readonly RoomMessage[]): Statement | undefined {
  if (messages.length === 0) return undefined;
  if (!notifyAfterCommit(tx, OUTBOX_CHANNEL)) throw new Error('appendEvents runs inside transaction()');
  const events = messages.map((m) => ({ room: m.room, type: m.type, data: m.data }));
  return tx`select append_events(${tx.json(events as never)})`;
}

/** Id of the newest event of a room (0 if none): part of the slots revision. */
export async function lastEventId(db: Db, room: string): Promise<number> {
  const [row] = await db<{ id: string | null }[]>`select max(id) as id from events where room = ${room}`;
  return Number(row?.id ?? 0);
}

interface EventRow {
  id: string;
  room: string;
  type: LiveEvent['type'];
  data: unknown;
  occurredAt: Date;
}

/**
 * A stored row as clients receive it. Its data was parsed against its type's schema before it was
 * stored (message()), so the row is taken to be the member of LiveEvent its type names.
 */
export const toLiveEvent = (r: EventRow): LiveEvent =>
  ({
    id: Number(r.id),
    type: r.type,
    room: r.room,
    occurredAt: r.occurredAt.toISOString(),
    data: r.data,
  }) as LiveEvent;

/** Published events of a room after an id, oldest first (resync). */
export async function eventsAfter(
  db: Db,
  room: string,
  afterId: number,
  limit: number,
): Promise<LiveEvent[]> {
  const rows = await db<EventRow[]>`
    select id, room, type, data, occurred_at from events
    where room = ${room} and id > ${afterId} and published_at is not null
    order by id limit ${limit}`;
  return rows.map(toLiveEvent);
}

/** Events with ids up to this were pruned; a resync from before it must refetch instead. */
export async function prunedThrough(db: Db): Promise<number> {
  const [row] = await db<{ prunedThrough: string }[]>`select pruned_through from outbox_state`;
  return Number(row?.prunedThrough ?? 0);
}

/**
 * Claims up to `limit` unpublished events (FOR UPDATE SKIP LOCKED: concurrent relays take disjoint
 * sets), lets `emit` send them, and marks them published, all in one transaction: two round trips, the
 * claim riding with BEGIN and the marking (with `within`'s writes) with COMMIT. The events are sent
 * before that commit is answered, so if it fails or the process dies first they stay unpublished and are
 * sent again: at least once, deduplicated by id.
 */
export async function relayBatch(
  sql: Sql,
  limit: number,
  emit: (events: LiveEvent[]) => void,
  /** Durable side effects of the batch (e.g. webhook deliveries), in the same transaction. */
  within?: (tx: Db, events: LiveEvent[]) => Promise<void>,
): Promise<number> {
  return transaction(sql, async (tx, commit) => {
    const rows = await tx<EventRow[]>`
      select id, room, type, data, occurred_at from events
      where published_at is null order by id limit ${limit}
      for update skip locked`;
    if (rows.length === 0) return 0;
    const events = rows.map(toLiveEvent);
    emit(events);
    // `within` sends its one statement now, before the marking that travels with COMMIT.
    await Promise.all([
      within?.(tx, events),
      // One statement text for every batch size (`in (…)` would prepare one per size).
      commit(tx`update events set published_at = now() where id = any(${rows.map((r) => r.id)}::bigint[])`),
    ]);
    return rows.length;
  });
}

/**
 * Deletes published events older than the retention, by id: up to the newest such id that has no
 * unpublished event below it (those must still be sent), and records that watermark for resync.
 */
export async function pruneEvents(sql: Sql, olderThan: Date): Promise<number> {
  return transaction(sql, async (tx) => {
    const [mark] = await tx<{ id: string | null }[]>`
      select max(id) as id from events
      where published_at is not null and occurred_at < ${olderThan}
        and id < coalesce((select min(id) from events where published_at is null), 9223372036854775807)`;
    if (!mark?.id) return 0;
    const deleted = await tx`delete from events where id <= ${mark.id} returning 1`;
    await tx`update outbox_state set pruned_through = greatest(pruned_through, ${mark.id})`;
    return deleted.length;
  });
}
