import type { Db } from '../infra/postgres.js';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** Inserts a notification whose id and time were chosen by the caller (see newNotification). One statement. */
export function insertNotification(db: Db, n: Omit<NotificationRow, 'readAt'>) {
  return db`
    insert into notifications (id, user_id, kind, title, body, data, created_at)
    values (${n.id}, ${n.userId}, ${n.kind}, ${n.title}, ${n.body}, ${db.json(n.data as never)}, ${n.createdAt})`;
}

export async function listNotifications(
  db: Db,
  userId: string,
  f: { unread: boolean; limit: number; offset: number },
): Promise<NotificationRow[]> {
  return db<NotificationRow[]>`
    select * from notifications
    where user_id = ${userId} ${f.unread ? db`and read_at is null` : db``}
    order by created_at desc, id desc
    limit ${f.limit} offset ${f.offset}`;
}

export async function markRead(db: Db, userId: string, id: string): Promise<NotificationRow | undefined> {
  const [row] = await db<NotificationRow[]>`
    update notifications set read_at = coalesce(read_at, now())
    where id = ${id} and user_id = ${userId} returning *`;
  return row;
}
