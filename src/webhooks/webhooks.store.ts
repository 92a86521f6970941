import type { Db } from '../infra/postgres.js';

export interface EndpointRow {
  id: string;
  clinicId: string;
  url: string;
  secretCiphertext: Buffer;
  secretKeyId: string;
  events: string[];
  consecutiveFailures: number;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface DeliveryRow {
  id: string;
  endpointId: string;
  sourceId: string;
  eventType: string;
  payload: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export async function insertEndpoint(
  db: Db,
  e: {
    id: string;
    clinicId: string;
    url: string;
    secretCiphertext: Buffer;
    secretKeyId: string;
    events: string[];
    createdBy: string;
  },
): Promise<EndpointRow> {
  const [row] = await db<EndpointRow[]>`
    insert into webhook_endpoints (id, clinic_id, url, secret_ciphertext, secret_key_id, events, created_by)
    values (${e.id}, ${e.clinicId}, ${e.url}, ${e.secretCiphertext}, ${e.secretKeyId}, ${e.events}, ${e.createdBy})
    returning *`;
  return row!;
}

export async function listEndpoints(db: Db, clinicId: string): Promise<EndpointRow[]> {
  return db<
    EndpointRow[]
  >`select * from webhook_endpoints where clinic_id = ${clinicId} order by created_at, id`;
}

export async function findEndpoint(db: Db, clinicId: string, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db<
    EndpointRow[]
  >`select * from webhook_endpoints where id = ${id} and clinic_id = ${clinicId}`;
  return row;
}

export async function deleteEndpoint(db: Db, clinicId: string, id: string): Promise<boolean> {
  return (
    (await db`delete from webhook_endpoints where id = ${id} and clinic_id = ${clinicId} returning id`)
      .length > 0
  );
}

/**
 * A pending delivery per enabled endpoint of the item's clinic subscribed to its event type, for all items
 * in one statement; returns their ids.
 */
export async function createDeliveries(
  db: Db,
  items: readonly { clinicId: string; eventType: string; sourceId: string; payload: unknown }[],
): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await db<{ id: string }[]>`
    insert into webhook_deliveries (endpoint_id, source_id, event_type, payload)
    select e.id, d."sourceId", d."eventType", d.payload
    from jsonb_to_recordset(${db.json(items as never)})
      as d("clinicId" uuid, "eventType" text, "sourceId" text, payload jsonb)
    join webhook_endpoints e
      on e.clinic_id = d."clinicId" and e.disabled_at is null and d."eventType" = any(e.events)
    on conflict (endpoint_id, source_id) do nothing
    returning id`;
  return rows.map((r) => r.id);
}

export async function findDelivery(
  db: Db,
  id: string,
): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow } | undefined> {
  const [delivery] = await db<DeliveryRow[]>`select * from webhook_deliveries where id = ${id}`;
  if (!delivery) return undefined;
  const [endpoint] = await db<
    EndpointRow[]
  >`select * from webhook_endpoints where id = ${delivery.endpointId}`;
  return endpoint ? { delivery, endpoint } : undefined;
}

export async function listDeliveries(
  db: Db,
  endpointId: string,
  limit: number,
  offset: number,
): Promise<DeliveryRow[]> {
  return db<DeliveryRow[]>`
    select * from webhook_deliveries where endpoint_id = ${endpointId}
    order by created_at desc, id desc limit ${limit} offset ${offset}`;
}

export async function recordSuccess(
  db: Db,
  deliveryId: string,
  endpointId: string,
  status: number,
): Promise<void> {
  await db`update webhook_deliveries set status = 'delivered', attempts = attempts + 1, response_status = ${status},
           delivered_at = now(), last_error = null where id = ${deliveryId}`;
  await db`update webhook_endpoints set consecutive_failures = 0 where id = ${endpointId}`;
}

/** Records a failed attempt; disables the endpoint once its consecutive failures reach the limit. */
export async function recordFailure(
  db: Db,
  f: {
    deliveryId: string;
    endpointId: string;
    status: number | null;
    error: string;
    final: boolean;
    disableAfter: number;
  },
): Promise<{ disabled: boolean }> {
  await db`update webhook_deliveries set attempts = attempts + 1, response_status = ${f.status}, last_error = ${f.error.slice(0, 500)},
           status = ${f.final ? 'failed' : 'pending'} where id = ${f.deliveryId}`;
  const [row] = await db<{ disabled: boolean }[]>`
    update webhook_endpoints set consecutive_failures = consecutive_failures + 1,
      disabled_at = case when consecutive_failures + 1 >= ${f.disableAfter} then coalesce(disabled_at, now()) else disabled_at end
    where id = ${f.endpointId} returning disabled_at is not null as disabled`;
  return { disabled: row?.disabled ?? false };
}

export async function failDelivery(db: Db, deliveryId: string, error: string): Promise<void> {
  await db`update webhook_deliveries set status = 'failed', last_error = ${error} where id = ${deliveryId}`;
}

/** Pending deliveries older than a minute: their job may have been lost (Redis flushed). */
export async function stalePending(db: Db, limit: number): Promise<string[]> {
  const rows = await db<{ id: string }[]>`
    select id from webhook_deliveries where status = 'pending' and created_at < now() - interval '1 minute'
    order by created_at limit ${limit}`;
  return rows.map((r) => r.id);
}
