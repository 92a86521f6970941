import * as v from 'valibot';
import { Uuid } from '../../auth/auth.schemas.js';
import { decodeCursor, encodeCursor, Pagination } from '../../shared/pagination.js';
import {
  CreatedWebhookSchema,
  DeliverySchema,
  WebhookBody,
  WebhookSchema,
} from '../../webhooks/webhooks.schemas.js';
import type { WebhookService } from '../../webhooks/webhooks.service.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

const EndpointParams = v.strictObject({ id: Uuid, webhookId: Uuid });

export function webhookRoutes(r: Router, webhooks: WebhookService): void {
  const tag = 'Webhooks';
  const access = ['admin', 'staff'] as const;

  r.add(
    {
      method: 'post',
      path: '/v1/clinics/:id/webhooks',
      tag,
      summary:
        "Register an endpoint for the clinic's appointment events and reminders; the signing secret is shown once",
      access,
      params: IdParams,
      body: WebhookBody,
      responses: { 201: { description: 'Registered', schema: CreatedWebhookSchema } },
    },
    async (c, { params, body, principal }) =>
      c.json(await webhooks.register(principal, params.id, body), 201),
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/webhooks',
      tag,
      summary: "The clinic's webhook endpoints",
      access,
      params: IdParams,
      responses: { 200: { description: 'Endpoints', schema: v.object({ items: v.array(WebhookSchema) }) } },
    },
    async (c, { params, principal }) => c.json({ items: await webhooks.list(principal, params.id) }),
  );

  r.add(
    {
      method: 'delete',
      path: '/v1/clinics/:id/webhooks/:webhookId',
      tag,
      summary: 'Remove an endpoint',
      access,
      params: EndpointParams,
      responses: { 204: { description: 'Removed' } },
    },
    async (c, { params, principal }) => {
      await webhooks.remove(principal, params.id, params.webhookId);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/clinics/:id/webhooks/:webhookId/deliveries',
      tag,
      summary: 'Delivery log of an endpoint, newest first',
      access,
      params: EndpointParams,
      query: v.strictObject(Pagination),
      responses: { 200: { description: 'A page of deliveries', schema: pageOf(DeliverySchema) } },
    },
    async (c, { params, query, principal }) => {
      const offset = decodeCursor(query.cursor);
      const page = await webhooks.deliveries(principal, params.id, params.webhookId, query.limit, offset);
      return c.json({ items: page.items, nextCursor: page.more ? encodeCursor(offset + query.limit) : null });
    },
  );
}
