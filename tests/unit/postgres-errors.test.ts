import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { PG } from '../../src/infra/postgres.js';
import { domainErrorFrom } from '../../src/infra/postgres-errors.js';

/** A PostgresError as postgres.js builds it from the server's error fields. */
const pgError = (code: string, constraint?: string) =>
  new postgres.PostgresError({ message: 'from postgres', code, constraint_name: constraint } as never);

const answer = (err: unknown) => {
  const mapped = domainErrorFrom(err);
  if (!(mapped instanceof AppError)) return mapped;
  return { code: mapped.code, status: mapped.status, detail: mapped.message, ...mapped.extra };
};

describe('domainErrorFrom', () => {
  it('double booking: the patient overlap is patient_busy, every other exclusion is slot_taken', () => {
    expect(answer(pgError(PG.exclusionViolation, 'appointments_no_patient_overlap'))).toEqual({
      code: 'patient_busy',
      status: 409,
      detail: 'You already have an appointment at this time',
    });
    const slotTaken = {
      code: 'slot_taken',
      status: 409,
      detail: 'This slot has just been booked by someone else',
    };
    expect(answer(pgError(PG.exclusionViolation, 'appointments_no_doctor_overlap'))).toEqual(slotTaken);
    expect(answer(pgError(PG.exclusionViolation, 'some_future_exclusion'))).toEqual(slotTaken);
    expect(answer(pgError(PG.exclusionViolation))).toEqual(slotTaken);
  });

  it('unique violations by name: email_taken, doctor_exists; any other is left alone', () => {
    expect(answer(pgError(PG.uniqueViolation, 'users_email_key'))).toEqual({
      code: 'email_taken',
      status: 409,
      detail: 'An account with this email already exists',
    });
    expect(answer(pgError(PG.uniqueViolation, 'doctors_user_id_key'))).toEqual({
      code: 'doctor_exists',
      status: 409,
      detail: 'This user already has a doctor profile',
    });
    const other = pgError(PG.uniqueViolation, 'doctor_specialties_pkey');
    expect(domainErrorFrom(other)).toBe(other);
  });

  it('a missing referenced row names the field; an unknown foreign key is left alone', () => {
    const field = (path: string, message: string) => ({
      code: 'validation_failed',
      status: 400,
      detail: 'The request is not valid',
      errors: [{ path, message }],
    });
    expect(answer(pgError(PG.foreignKeyViolation, 'users_clinic_id_fkey'))).toEqual(
      field('body.clinicId', 'no such clinic'),
    );
    expect(answer(pgError(PG.foreignKeyViolation, 'doctors_clinic_id_fkey'))).toEqual(
      field('body.clinicId', 'no such clinic'),
    );
    expect(answer(pgError(PG.foreignKeyViolation, 'doctors_user_id_fkey'))).toEqual(
      field('body.userId', 'no such user'),
    );
    expect(answer(pgError(PG.foreignKeyViolation, 'doctor_specialties_specialty_slug_fkey'))).toEqual(
      field('body.specialties', 'unknown specialty'),
    );
    const other = pgError(PG.foreignKeyViolation, 'doctor_specialties_doctor_id_fkey');
    expect(domainErrorFrom(other)).toBe(other);
  });

  it('a deadlock or serialization failure (after any retries) is conflict', () => {
    for (const code of [PG.deadlock, PG.serializationFailure]) {
      expect(answer(pgError(code))).toEqual({
        code: 'conflict',
        status: 409,
        detail: 'A concurrent change got in the way; try again',
      });
    }
  });

  it('anything else comes back unchanged, and each answer is a new error', () => {
    const check = pgError('23514', 'users_staff_clinic');
    const plain = new Error('connection lost');
    expect(domainErrorFrom(check)).toBe(check);
    expect(domainErrorFrom(plain)).toBe(plain);
    expect(domainErrorFrom('not even an error')).toBe('not even an error');
    const err = pgError(PG.exclusionViolation, 'appointments_no_doctor_overlap');
    expect(domainErrorFrom(err)).not.toBe(domainErrorFrom(err));
  });
});
