import * as v from 'valibot';
import type { NotificationService } from '../../notifications/notifications.service.js';
import { decodeCursor, encodeCursor, Pagination } from '../../shared/pagination.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

const NotificationSchema = v.object({
  id: v.string(),
  kind: v.string(),
  title: v.string(),
  body: v.string(),
  data: v.record(v.string(), v.unknown()),
  readAt: v.nullable(v.string()),
  createdAt: v.string(),
});

export function notificationRoutes(r: Router, notifications: NotificationService): void {
  const tag = 'Notifications';

  r.add(
    {
      method: 'get',
      path: '/v1/notifications',
      tag,
      summary: 'Your in-app notifications, newest first (?unread=true for unread only)',
      access: 'signed-in',
      query: v.strictObject({ unread: v.optional(v.picklist(['true', 'false'])), ...Pagination }),
      responses: { 200: { description: 'A page of notifications', schema: pageOf(NotificationSchema) } },
    },
    async (c, { query, principal }) => {
      const offset = decodeCursor(query.cursor);
      const page = await notifications.list(principal.userId, {
        unread: query.unread === 'true',
        limit: query.limit,
        offset,
      });
      return c.json({ items: page.items, nextCursor: page.more ? encodeCursor(offset + query.limit) : null });
    },
  );

  r.add(
    {
      method: 'post',
      path: '/v1/notifications/:id/read',
      tag,
      summary: 'Mark a notification read',
      access: 'signed-in',
      params: IdParams,
      responses: { 200: { description: 'The notification', schema: NotificationSchema } },
    },
    async (c, { params, principal }) => c.json(await notifications.markRead(principal.userId, params.id)),
  );
}
