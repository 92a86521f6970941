import * as v from 'valibot';
import { Email, PersonName, Phone, Uuid } from '../auth/auth.schemas.js';
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
