import * as v from 'valibot';

/*
 * What `queue.updated` carries, and what the queue routes answer: the staff view (with names) and the
 * waiting-room display. The display has its own schema, written from scratch with only non-identifying
 * fields, rather than the staff view minus names: a field added to the staff view later cannot reach the
 * wall by forgetting to delete it. Display schemas are strict, so a payload with any field more fails.
 */

/** The staff view: one patient in the queue (instants in the clinic's offset). */
export const QueueEntrySchema = v.object({
  appointmentId: v.string(),
  ticket: v.nullable(v.string()),
  patientName: v.string(),
  status: v.string(),
  slotStart: v.string(),
  arrivedAt: v.optional(v.string()),
  startedAt: v.optional(v.string()),
  /** 0 for the patient inside, 1 for the next to be called. */
  position: v.number(),
  estimatedStart: v.string(),
  walkIn: v.boolean(),
  late: v.boolean(),
});
export type QueueEntryView = v.InferOutput<typeof QueueEntrySchema>;

/** A booked patient who has not arrived yet. */
export const ExpectedEntrySchema = v.object({
  appointmentId: v.string(),
  patientName: v.string(),
  slotStart: v.string(),
  estimatedStart: v.string(),
  overdue: v.boolean(),
});
export type ExpectedEntryView = v.InferOutput<typeof ExpectedEntrySchema>;

export const DoctorQueueSchema = v.object({
  doctorId: v.string(),
  name: v.string(),
  room: v.optional(v.string()),
  delayMinutes: v.number(),
  delayNote: v.optional(v.string()),
  paceMinutes: v.number(),
  current: v.nullable(QueueEntrySchema),
  waiting: v.array(QueueEntrySchema),
  expected: v.array(ExpectedEntrySchema),
  done: v.number(),
});
export type DoctorQueueView = v.InferOutput<typeof DoctorQueueSchema>;

export const QueueViewSchema = v.object({
  clinicId: v.string(),
  date: v.string(),
  timezone: v.string(),
  revision: v.number(),
  doctors: v.array(DoctorQueueSchema),
});
export type QueueView = v.InferOutput<typeof QueueViewSchema>;

/** The waiting-room display: tickets, rooms, doctors' names and waits; never a patient's name, id, contact or reason. */
export const DisplayViewSchema = v.strictObject({
  clinicId: v.string(),
  date: v.string(),
  revision: v.number(),
  now: v.array(v.strictObject({ ticket: v.string(), room: v.optional(v.string()), doctorName: v.string() })),
  next: v.array(v.strictObject({ ticket: v.string(), doctorName: v.string(), estimatedStart: v.string() })),
  delays: v.array(v.strictObject({ doctorName: v.string(), delayMinutes: v.number() })),
});
export type DisplayView = v.InferOutput<typeof DisplayViewSchema>;
