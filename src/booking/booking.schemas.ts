import * as v from 'valibot';
import { Email, PersonName, Phone, Uuid } from '../auth/auth.schemas.js';
import { Instant, IsoDate } from '../schedule/schedule.schemas.js';
import { Pagination } from '../shared/pagination.js';
import { STATUSES } from './status-machine.js';

/** A patient the front desk registers: a name and a way to reach them. */
export const DeskPatientBody = v.strictObject({
  name: PersonName,
  phone: v.optional(Phone),
  email: v.optional(Email),
});

const Reason = v.pipe(v.string(), v.trim(), v.maxLength(1000, 'must be at most 1000 characters'));

/** The appointment type to book (GET /v1/doctors/:id/appointment-types); the doctor's default when left out. */
const TypeId = v.optional(Uuid);

export const HoldBody = v.strictObject({ doctorId: Uuid, start: Instant, typeId: TypeId });
export const HoldSchema = v.object({
  holdId: v.string(),
  doctorId: v.string(),
  start: v.string(),
  end: v.string(),
  expiresAt: v.string(),
  typeId: v.optional(v.string()),
});

/**
 * Book with a hold, or straight into a free slot. The front desk books for a patient (a phone caller):
 * an existing one by `patientId`, or one it registers now from `patient` (no login until they register
 * with that email or phone).
 */
export const BookBody = v.union(
  [
    v.strictObject({ holdId: Uuid, reason: v.optional(Reason) }),
    v.strictObject({ doctorId: Uuid, start: Instant, typeId: TypeId, reason: v.optional(Reason) }),
    v.strictObject({
      doctorId: Uuid,
      start: Instant,
      typeId: TypeId,
      patientId: Uuid,
      reason: v.optional(Reason),
    }),
    v.strictObject({
      doctorId: Uuid,
      start: Instant,
      typeId: TypeId,
      patient: DeskPatientBody,
      reason: v.optional(Reason),
    }),
  ],
  'send {holdId} or {doctorId, start}; the front desk adds patientId or patient: {name, phone?, email?}',
);
export type BookInput = v.InferOutput<typeof BookBody>;

export const RescheduleBody = v.union(
  [v.strictObject({ holdId: Uuid }), v.strictObject({ start: Instant })],
  'send {holdId} or {start}',
);
export type RescheduleInput = v.InferOutput<typeof RescheduleBody>;

export const CancelBody = v.strictObject({ reason: v.optional(Reason) });

export const AppointmentQuery = v.strictObject({
  date: v.optional(IsoDate),
  doctorId: v.optional(Uuid),
  status: v.optional(v.picklist(STATUSES)),
  ...Pagination,
});
export type AppointmentFilter = v.InferOutput<typeof AppointmentQuery>;

export const AppointmentSchema = v.object({
  id: v.string(),
  doctorId: v.string(),
  patientId: v.string(),
  clinicId: v.string(),
  start: v.string(),
  end: v.string(),
  status: v.picklist(STATUSES),
  feeCents: v.number(),
  currency: v.string(),
  reason: v.optional(v.string()),
  /** Set once the patient has arrived: the desk's ticket (`A-014`) and when. */
  ticket: v.optional(v.string()),
  arrivedAt: v.optional(v.string()),
  walkIn: v.optional(v.boolean()),
  /** The appointment type booked, and its name. */
  typeId: v.optional(v.string()),
  typeName: v.optional(v.string()),
  doctor: v.object({ id: v.string(), name: v.string() }),
  patient: v.object({ id: v.string(), name: v.string() }),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type AppointmentView = v.InferOutput<typeof AppointmentSchema>;
