import * as v from 'valibot';
import { DisplayViewSchema, DoctorQueueSchema } from './queue-event-data.js';

/** Every event a client can receive, each with its schema; `data` of an event is parsed before it is stored. */
const Instant = v.string();
const SlotData = v.object({ doctorId: v.string(), start: Instant, end: Instant });

export const AppointmentData = v.object({
  id: v.string(),
  doctorId: v.string(),
  patientId: v.string(),
  clinicId: v.string(),
  start: Instant,
  end: Instant,
  status: v.string(),
  feeCents: v.number(),
  currency: v.string(),
  createdAt: Instant,
  updatedAt: Instant,
  ticket: v.optional(v.string()),
  arrivedAt: v.optional(Instant),
  walkIn: v.optional(v.boolean()),
});
const WithPeople = {
  appointment: AppointmentData,
  patient: v.object({ id: v.string(), name: v.string() }),
  doctor: v.object({ id: v.string(), name: v.string() }),
};

export const EVENT_SCHEMAS = {
  'slot.held': v.object({ ...SlotData.entries, expiresAt: Instant }),
  'slot.released': SlotData,
  'slot.booked': SlotData,
  'slot.freed': SlotData,
  'availability.changed': v.object({ doctorId: v.string() }),
  'appointment.booked': v.object(WithPeople),
  'appointment.cancelled': v.object({ ...WithPeople, cancelledBy: v.string() }),
  'appointment.rescheduled': v.object({
    ...WithPeople,
    previous: v.object({ start: Instant, end: Instant }),
  }),
  'appointment.status_changed': v.object({ ...WithPeople, from: v.string(), to: v.string() }),
  'notification.created': v.object({
    id: v.string(),
    kind: v.string(),
    title: v.string(),
    body: v.string(),
    data: v.record(v.string(), v.unknown()),
    createdAt: Instant,
  }),
  /** A freed slot offered to a waitlisted patient (to `user:<patientId>`): an exclusive hold to book with. */
  'waitlist.offered': v.object({
    offerId: v.string(),
    entryId: v.string(),
    doctorId: v.string(),
    holdId: v.string(),
    start: Instant,
    end: Instant,
    expiresAt: Instant,
  }),
  /** A waitlist offer ended (to `user:<patientId>`): booked, lapsed, declined or withdrawn. */
  'waitlist.closed': v.object({
    offerId: v.string(),
    entryId: v.string(),
    doctorId: v.string(),
    status: v.picklist(['accepted', 'lapsed', 'declined', 'withdrawn']),
  }),
  /**
   * A change to a clinic's day: to `queue:<clinicId>` with the changed doctor's row (names), and to
   * `display:<clinicId>` with the whole display view (tickets only, its own strict schema).
   */
  'queue.updated': v.union([
    v.strictObject({
      clinicId: v.string(),
      date: v.string(),
      revision: v.number(),
      doctor: DoctorQueueSchema,
    }),
    v.strictObject({
      clinicId: v.string(),
      date: v.string(),
      revision: v.number(),
      display: DisplayViewSchema,
    }),
  ]),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventData<T extends EventType> = v.InferOutput<(typeof EVENT_SCHEMAS)[T]>;

/**
 * One message for one room, before it has an id. A union with one member per event type (of `T`, every
 * type by default), so `type` tells what `data` is.
 */
export type RoomMessage<T extends EventType = EventType> = {
  [K in T]: { room: string; type: K; data: EventData<K> };
}[T];

/**
 * As clients receive it (README "Live updates": `event` → `{ id, type, room, occurredAt, data }`); hold
 * events have id null. A discriminated union derived from EVENT_SCHEMAS: switching on `type` narrows
 * `data` to that event's schema. `LiveEvent<'slot.held'>` is the one member.
 */
export type LiveEvent<T extends EventType = EventType> = {
  [K in T]: { id: number | null; type: K; room: string; occurredAt: string; data: EventData<K> };
}[T];

export function message<T extends EventType>(room: string, type: T, data: EventData<T>): RoomMessage<T> {
  return { room, type, data: v.parse(EVENT_SCHEMAS[type], data) } as RoomMessage<T>;
}
