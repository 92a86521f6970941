import * as v from 'valibot';

/** Events a clinic can subscribe its endpoints to. */
export const WEBHOOK_EVENTS = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.status_changed',
  'appointment.reminder',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WebhookBody = v.strictObject({
  url: v.pipe(v.string(), v.maxLength(2000), v.url('must be a URL')),
  events: v.pipe(
    v.array(v.picklist(WEBHOOK_EVENTS, `must be one of ${WEBHOOK_EVENTS.join(', ')}`)),
    v.minLength(1),
    v.maxLength(WEBHOOK_EVENTS.length),
  ),
});

export const WebhookSchema = v.object({
  id: v.string(),
  clinicId: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  active: v.boolean(),
  consecutiveFailures: v.number(),
  disabledAt: v.nullable(v.string()),
  createdAt: v.string(),
});
/** Only the create answer carries the signing secret; it is never shown again. */
export const CreatedWebhookSchema = v.object({ ...WebhookSchema.entries, secret: v.string() });

export const DeliverySchema = v.object({
  id: v.string(),
  eventType: v.string(),
  status: v.picklist(['pending', 'delivered', 'failed']),
  attempts: v.number(),
  responseStatus: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  createdAt: v.string(),
  deliveredAt: v.nullable(v.string()),
});
