import { randomUUID } from 'node:crypto';
import { notFound } from '../errors.js';
import { message, type RoomMessage } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import type { Db, Sql } from '../infra/postgres.js';
import * as store from './notifications.store.js';

export type NotificationService = ReturnType<typeof createNotificationService>;

export function notificationView(n: store.NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** A notification to write, and the outbox message that announces it to the user's room. */
export interface Notice {
  row: Omit<store.NotificationRow, 'readAt'>;
  message: RoomMessage;
}

/**
 * Builds a notification with its id and time chosen here, not by Postgres, so the message announcing it
 * is known before the insert and both can go to Postgres in one write (see infra/transaction.ts).
 */
export function newNotification(n: store.NewNotification): Notice {
  const row = { id: randomUUID(), ...n, createdAt: new Date() };
  const { readAt: _unread, ...data } = notificationView({ ...row, readAt: null });
  return { row, message: message(rooms.user(n.userId), 'notification.created', data) };
}

/**
 * Writes an in-app notification inside the caller's transaction and returns the outbox message that
 * announces it to the user's room; the caller appends it with the rest of its messages.
 */
export async function notify(tx: Db, n: store.NewNotification): Promise<RoomMessage> {
  const notice = newNotification(n);
  await store.insertNotification(tx, notice.row);
  return notice.message;
}

export function createNotificationService({ sql }: { sql: Sql }) {
  return {
    async list(userId: string, f: { unread: boolean; limit: number; offset: number }) {
      const rows = await store.listNotifications(sql, userId, { ...f, limit: f.limit + 1 });
      return { items: rows.slice(0, f.limit).map(notificationView), more: rows.length > f.limit };
    },
    async markRead(userId: string, id: string) {
      const row = await store.markRead(sql, userId, id);
      if (!row) throw notFound('Notification');
      return notificationView(row);
    },
  };
}
