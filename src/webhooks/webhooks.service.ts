import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import type { LiveEvent } from '../events/event-types.js';
import type { Db, Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import type { Cipher } from '../records/cipher.js';
import { postJson } from './post.js';
import { SIGNATURE_HEADER, sign } from './signature.js';
import { webhookUrlProblem } from './url-guard.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhooks.schemas.js';
import * as store from './webhooks.store.js';

export type WebhookService = ReturnType<typeof createWebhookService>;

const DELIVERY_TIMEOUT_MS = 10_000;

function endpointView(e: store.EndpointRow) {
  return {
    id: e.id,
    clinicId: e.clinicId,
    url: e.url,
    events: e.events,
    active: e.disabledAt === null,
    consecutiveFailures: e.consecutiveFailures,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

function deliveryView(d: store.DeliveryRow) {
  return {
    id: d.id,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}

/** Appointment changes reach webhooks from the doctor's room: exactly one message per change. */
const isWebhookEvent = (e: LiveEvent): e is LiveEvent & { type: WebhookEvent } =>
  e.room.startsWith('doctor:') && (WEBHOOK_EVENTS as readonly string[]).includes(e.type);

/** Where delivery jobs go (jobs/webhooks.queue.ts implements it); ids are deterministic per delivery. */
export interface DeliveryQueue {
  add(deliveryIds: readonly string[]): Promise<unknown>;
}

export function createWebhookService(d: {
  sql: Sql;
  cipher: Cipher;
  queue: DeliveryQueue;
  config: Config['webhooks'];
  logger: Logger;
}) {
  const { sql, cipher, queue, config, logger } = d;

  /** Admins, and the clinic's own staff. */
  function authorize(principal: Principal, clinicId: string): void {
    if (principal.role === 'admin') return;
    if (principal.role === 'staff' && principal.clinicId === clinicId) return;
    throw forbidden("Only an admin or this clinic's staff may manage its webhooks");
  }

  async function endpointOf(principal: Principal, clinicId: string, id: string) {
    authorize(principal, clinicId);
    const endpoint = await store.findEndpoint(sql, clinicId, id);
    if (!endpoint) throw notFound('Webhook');
    return endpoint;
  }

  return {
    async register(principal: Principal, clinicId: string, input: { url: string; events: WebhookEvent[] }) {
      authorize(principal, clinicId);
      const problem = await webhookUrlProblem(input.url, config.allowPrivate);
      if (problem) throw validationFailed([{ path: 'body.url', message: problem }]);
      const [clinic] = await sql`select 1 from clinics where id = ${clinicId}`;
      if (!clinic) throw notFound('Clinic');
      const id = randomUUID();
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const row = await store.insertEndpoint(sql, {
        id,
        clinicId,
        url: input.url,
        secretCiphertext: cipher.encrypt(secret, id),
        secretKeyId: cipher.keyId,
        events: [...new Set(input.events)],
        createdBy: principal.userId,
      });
      logger.info({ webhookId: id, clinicId }, 'webhook registered');
      return { ...endpointView(row), secret };
    },

    async list(principal: Principal, clinicId: string) {
      authorize(principal, clinicId);
      return (await store.listEndpoints(sql, clinicId)).map(endpointView);
    },

    async remove(principal: Principal, clinicId: string, id: string): Promise<void> {
      authorize(principal, clinicId);
      if (!(await store.deleteEndpoint(sql, clinicId, id))) throw notFound('Webhook');
    },

    async deliveries(principal: Principal, clinicId: string, id: string, limit: number, offset: number) {
      const endpoint = await endpointOf(principal, clinicId, id);
      const rows = await store.listDeliveries(sql, endpoint.id, limit + 1, offset);
      return { items: rows.slice(0, limit).map(deliveryView), more: rows.length > limit };
    },

    /** In the relay's transaction: a pending delivery per subscribed endpoint for each appointment event. */
    async fanOut(tx: Db, events: readonly LiveEvent[]): Promise<string[]> {
      const items = events.filter(isWebhookEvent).flatMap((e) => {
        const clinicId = (e.data as { appointment?: { clinicId?: string } }).appointment?.clinicId;
        return clinicId ? [{ clinicId, eventType: e.type, sourceId: `event-${e.id}`, payload: e.data }] : [];
      });
      return store.createDeliveries(tx, items);
    },

    /** Pending deliveries of a reminder (the ledger id is the source, so a retry adds nothing). */
    createReminderDeliveries: (tx: Db, clinicId: string, sourceId: string, payload: unknown) =>
      store.createDeliveries(tx, [{ clinicId, eventType: 'appointment.reminder', sourceId, payload }]),

    enqueue: async (deliveryIds: readonly string[]) => {
      if (deliveryIds.length > 0) await queue.add(deliveryIds);
    },

    /** Re-enqueues pending deliveries whose job may be gone; ids are deterministic so nothing doubles. */
    async requeueStale(): Promise<number> {
      const ids = await store.stalePending(sql, 1000);
      if (ids.length > 0) await queue.add(ids);
      return ids.length;
    },

    /**
     * One attempt: POST the JSON with an HMAC-SHA256 signature over "<timestamp>.<body>". 2xx delivers;
     * anything else throws to retry with backoff. Redirects are not followed (they could lead inside).
     */
    async deliver(deliveryId: string, final: boolean): Promise<'delivered' | 'skipped' | 'stop'> {
      const found = await store.findDelivery(sql, deliveryId);
      if (found?.delivery.status !== 'pending') return 'skipped';
      const { delivery, endpoint } = found;
      if (endpoint.disabledAt) {
        await store.failDelivery(sql, delivery.id, 'endpoint disabled');
        return 'stop';
      }
      const problem = await webhookUrlProblem(endpoint.url, config.allowPrivate);
      if (problem) {
        await store.failDelivery(sql, delivery.id, `url refused: ${problem}`);
        return 'stop';
      }
      const body = JSON.stringify({
        id: delivery.id,
        type: delivery.eventType,
        createdAt: delivery.createdAt.toISOString(),
        data: delivery.payload,
      });
      const secret = cipher.decrypt(endpoint.secretCiphertext, endpoint.secretKeyId, endpoint.id);
      let status: number | null = null;
      let error: string;
      try {
        status = await postJson(
          endpoint.url,
          {
            'content-type': 'application/json',
            'user-agent': 'booking-hub-webhooks/1',
            'x-bookinghub-event': delivery.eventType,
            'x-bookinghub-delivery': delivery.id,
            [SIGNATURE_HEADER]: sign(secret, Math.floor(Date.now() / 1000), body),
          },
          body,
          { allowPrivate: config.allowPrivate, timeoutMs: DELIVERY_TIMEOUT_MS },
        );
        if (status >= 200 && status < 300) {
          await store.recordSuccess(sql, delivery.id, endpoint.id, status);
          return 'delivered';
        }
        error = `HTTP ${status}`;
      } catch (err) {
        error = (err as Error).message;
      }
      const { disabled } = await store.recordFailure(sql, {
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        status,
        error,
        final,
        disableAfter: config.disableAfterFailures,
      });
      if (disabled) {
        logger.warn({ webhookId: endpoint.id }, 'webhook endpoint disabled after repeated failures');
        await store.failDelivery(
          sql,
          delivery.id,
          `endpoint disabled after repeated failures (last: ${error})`,
        );
        return 'stop';
      }
      throw new Error(`webhook delivery failed: ${error}`);
    },
  };
}
