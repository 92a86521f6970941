import { AppError, validationFailed } from '../errors.js';
import { PG, pgCode, pgConstraint } from './postgres.js';

/**
 * Postgres errors → domain errors, in one place. Postgres decides what the application never
 * checks-then-writes (a double booking, a taken email, a row that does not exist); these tables say what
 * each refusal means to the client. Each entry builds a fresh AppError (it is thrown, and carries no
 * stack, see src/errors.ts).
 */

const slotTaken = () => new AppError('slot_taken', 'This slot has just been booked by someone else');
const concurrentChange = () => new AppError('conflict', 'A concurrent change got in the way; try again');
const noSuchClinic = () => validationFailed([{ path: 'body.clinicId', message: 'no such clinic' }]);

/**
 * By the violated constraint (or unique index) name, as migrations/ create them. A foreign key's entry
 * answers a write of the referencing row (the row it names does not exist); nothing deletes the rows
 * these keys point at today, and a delete refused by one would need an answer of its own.
 */
export const CONSTRAINT_ERRORS: ReadonlyMap<string, () => AppError> = new Map(
  Object.entries({
    // Double booking (invariant 1): the two exclusion constraints on appointments.
    appointments_no_doctor_overlap: slotTaken,
    appointments_no_patient_overlap: () =>
      new AppError('patient_busy', 'You already have an appointment at this time'),
    users_email_key: () => new AppError('email_taken', 'An account with this email already exists'),
    doctors_user_id_key: () => new AppError('doctor_exists', 'This user already has a doctor profile'),
    users_clinic_id_fkey: noSuchClinic,
    doctors_clinic_id_fkey: noSuchClinic,
    doctors_user_id_fkey: () => validationFailed([{ path: 'body.userId', message: 'no such user' }]),
    doctor_specialties_specialty_slug_fkey: () =>
      validationFailed([{ path: 'body.specialties', message: 'unknown specialty' }]),
  }),
);

/** By SQLSTATE, for an error whose constraint is not in the table above (or that names none). */
export const SQLSTATE_ERRORS: ReadonlyMap<string, () => AppError> = new Map(
  Object.entries({
    // Exclusion constraints exist only against overlapping appointments: unless it is the patient's own
    // (above), the slot is someone else's.
    [PG.exclusionViolation]: slotTaken,
    // The transaction was aborted as a whole and may simply run again: callers that retry do so first.
    [PG.deadlock]: concurrentChange,
    [PG.serializationFailure]: concurrentChange,
  }),
);

/**
 * The domain's answer to a Postgres error, or the error itself when it means nothing to the client
 * (a bug, a lost connection: it stays a 500 with its stack). Use as `throw domainErrorFrom(err)`.
 */
export function domainErrorFrom<E>(err: E): AppError | E {
  const code = pgCode(err);
  if (code === undefined) return err;
  const constraint = pgConstraint(err);
  const build = (constraint && CONSTRAINT_ERRORS.get(constraint)) || SQLSTATE_ERRORS.get(code);
  return build ? build() : err;
}
