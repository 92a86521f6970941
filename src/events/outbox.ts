import type { Db } from '../infra/postgres.js';
import type { RoomMessage } from './event-types.js';

/** NOTIFY channel the relay listens on; the payload is empty, the table is the truth. */
export const OUTBOX_CHANNEL = 'bh_events';

/**
 * Appends messages to the outbox inside the caller's transaction (invariant 3) and announces them.
 * NOTIFY is transactional: listeners hear it only if the transaction commits.
 */
export async function appendEvents(tx: Db, messages: readonly RoomMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx`insert into events ${tx(messages.map((m) => ({ room: m.room, type: m.type, data: tx.json(m.data as never) })))}`;
  await tx`select pg_notify(${OUTBOX_CHANNEL}, '')`;
}

/** Id of the newest event of a room (0 if none): part of the slots revision. */
export async function lastEventId(db: Db, room: string): Promise<number> {
  const [row] = await db<{ id: string | null }[]>`select max(id) as id from events where room = ${room}`;
  return Number(row?.id ?? 0);
}
