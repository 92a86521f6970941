import * as v from 'valibot';
import { Email, PersonName, Phone, Uuid } from '../auth/auth.schemas.js';
import { STATUSES } from '../booking/status-machine.js';
import { IsoDate } from '../schedule/schedule.schemas.js';
import { DISPLAY_TOKEN_PATTERN } from './tickets.js';

/*
 * Request bodies and answers of the front desk, queue and display. The display's answer has its
 * own schema, written from scratch with only non-identifying fields, rather than the staff view minus
 * names: a field added to the staff view later cannot reach the waiting-room wall by forgetting to
 * delete it. Display schemas are strict, so a payload with any field more fails to parse.
 */

const Reason = v.pipe(v.string(), v.trim(), v.maxLength(1000, 'must be at most 1000 characters'));
const Label = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

/** A walk-in for a known patient, or for one the desk registers now (no login until they claim it). */
export const WalkInBody = v.union(
  [
    v.strictObject({ doctorId: Uuid, patientId: Uuid, reason: v.optional(Reason) }),
    v.strictObject({
      doctorId: Uuid,
      patient: v.strictObject({ name: PersonName, phone: v.optional(Phone), email: v.optional(Email) }),
      reason: v.optional(Reason),
    }),
  ],
  'send {doctorId, patientId} or {doctorId, patient: {name, phone?, email?}}',
);
export type WalkInInput = v.InferOutput<typeof WalkInBody>;

export const DelayBody = v.strictObject({
  minutes: v.pipe(
    v.number(),
    v.integer('must be a whole number of minutes'),
    v.minValue(0, 'must be from 0 to 240'),
    v.maxValue(240, 'must be from 0 to 240'),
  ),
  note: v.optional(Label(500)),
});
export type DelayInput = v.InferOutput<typeof DelayBody>;

/** The doctor's room label; null clears it. */
export const RoomBody = v.strictObject({ room: v.nullable(Label(40)) });

export const DisplayTokenBody = v.strictObject({ label: Label(100) });

export const DisplayTokenParams = v.strictObject({
  id: Uuid,
  tokenId: Uuid,
});

/** A display token as presented (query string, socket handshake): refused before any hashing or SQL. */
export const DisplayTokenString = v.pipe(
  v.string(),
  v.regex(DISPLAY_TOKEN_PATTERN, 'must be a display token'),
);

export const QueueQuery = v.strictObject({ date: v.optional(IsoDate) });

/** The staff view: one patient in the queue (instants in the clinic's offset). */
export const QueueEntrySchema = v.object({
  appointmentId: v.string(),
  ticket: v.nullable(v.string()),
  patientName: v.string(),
  status: v.picklist(STATUSES),
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

export const DisplayTokenSchema = v.object({
  id: v.string(),
  label: v.string(),
  createdAt: v.string(),
  lastSeenAt: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
});

/** The answer to creating a display token: the only time the token itself is shown. */
export const DisplayTokenCreatedSchema = v.object({
  id: v.string(),
  label: v.string(),
  token: v.string(),
  url: v.string(),
});
