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

export async function insertNotification(db: Db, n: NewNotification): Promise<NotificationRow> {
  const [row] = await db<NotificationRow[]>`
    insert into notifications (user_id, kind, title, body, data)
    values (${n.userId}, ${n.kind}, ${n.title}, ${n.body}, ${db.json(n.data as never)})
    returning *`;
  return row!;
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
