import * as v from 'valibot';
import { Uuid } from '../auth/auth.schemas.js';
import { IsoDate } from '../schedule/schedule.schemas.js';

const Text = (max: number) =>
  v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));
const Items = v.pipe(
  v.array(v.pipe(Text(200), v.minLength(1, 'must not be empty'))),
  v.maxLength(100, 'must have at most 100 entries'),
);
/** Administrative sex, as FHIR's AdministrativeGender. */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

/** The date of birth: a real date, not in the future. */
const DateOfBirth = v.pipe(
  IsoDate,
  v.check((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), 'must be a past date'),
);

/** PUT body: the fields to set (null clears one); fields left out stay as they are. */
export const RecordBody = v.strictObject({
  dateOfBirth: v.optional(v.nullable(DateOfBirth)),
  sex: v.optional(v.nullable(v.picklist(SEXES))),
  allergies: v.optional(Items),
  conditions: v.optional(Items),
  medications: v.optional(Items),
  notes: v.optional(v.nullable(Text(10_000))),
});
export type RecordInput = v.InferOutput<typeof RecordBody>;

/** The clinical fields, as decrypted. */
export interface RecordFields {
  dateOfBirth: string | null;
  sex: (typeof SEXES)[number] | null;
  allergies: string[];
  conditions: string[];
  medications: string[];
  notes: string | null;
}

const Contact = v.object({
  id: v.string(),
  name: v.string(),
  email: v.nullable(v.string()),
  phone: v.nullable(v.string()),
});

/** The record as answered: the patient's name and contact always; clinical fields for those who may read them. */
export const RecordSchema = v.object({
  patient: Contact,
  /** `clinical` (everything) or `contact` (the front desk's view: name and contact only). */
  scope: v.picklist(['clinical', 'contact']),
  dateOfBirth: v.optional(v.nullable(v.string())),
  sex: v.optional(v.nullable(v.picklist(SEXES))),
  allergies: v.optional(v.array(v.string())),
  conditions: v.optional(v.array(v.string())),
  medications: v.optional(v.array(v.string())),
  notes: v.optional(v.nullable(v.string())),
  updatedAt: v.optional(v.nullable(v.string())),
});
export type RecordView = v.InferOutput<typeof RecordSchema>;

export const NoteBody = v.strictObject({
  text: v.pipe(Text(20_000), v.minLength(1, 'must not be empty')),
  /** The note this one corrects (same patient); the old note stays, marked as corrected. */
  correctsId: v.optional(Uuid),
});

export const NoteSchema = v.object({
  id: v.string(),
  appointmentId: v.string(),
  doctorId: v.string(),
  doctorName: v.string(),
  text: v.string(),
  correctsId: v.nullable(v.string()),
  /** Ids of the notes that correct this one. */
  correctedBy: v.array(v.string()),
  createdAt: v.string(),
});
export type NoteView = v.InferOutput<typeof NoteSchema>;

export const AuditItemSchema = v.object({
  id: v.string(),
  at: v.string(),
  actorId: v.nullable(v.string()),
  actorName: v.nullable(v.string()),
  actorRole: v.string(),
  patientId: v.nullable(v.string()),
  action: v.string(),
  resource: v.string(),
  reason: v.optional(v.string()),
  outcome: v.picklist(['allowed', 'denied']),
  breakGlass: v.boolean(),
  requestId: v.nullable(v.string()),
});
export type AuditItem = v.InferOutput<typeof AuditItemSchema>;

export const AuditQuery = v.strictObject({
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,18}$/, 'must be an audit row id'))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500)),
    '100',
  ),
});
export const AdminAuditQuery = v.strictObject({
  ...AuditQuery.entries,
  patientId: v.optional(Uuid),
  actorId: v.optional(Uuid),
});
