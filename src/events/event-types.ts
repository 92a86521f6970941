import * as v from 'valibot';

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
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventData<T extends EventType> = v.InferOutput<(typeof EVENT_SCHEMAS)[T]>;

/** One message for one room, before it has an id. */
export interface RoomMessage<T extends EventType = EventType> {
  room: string;
  type: T;
  data: EventData<T>;
}

/** As clients receive it (API.md: `event` → `{ id, type, room, occurredAt, data }`). Holds have id null. */
export interface LiveEvent {
  id: number | null;
  type: EventType;
  room: string;
  occurredAt: string;
  data: unknown;
}

export function message<T extends EventType>(room: string, type: T, data: EventData<T>): RoomMessage<T> {
  return { room, type, data: v.parse(EVENT_SCHEMAS[type], data) as EventData<T> };
}
