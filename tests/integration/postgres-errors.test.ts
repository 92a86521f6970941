import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { connectPostgres, type Sql } from '../../src/infra/postgres.js';
import { CONSTRAINT_ERRORS, domainErrorFrom } from '../../src/infra/postgres-errors.js';
import { databaseUrl, TEST_POSTGRES_URL } from '../helpers/env.js';

// The constraint names in the table are the migrations' own: every violation here is a real one.
const database = `${inject('runId')}_${randomBytes(5).toString('hex')}`;
let sql: Sql;
let clinicId: string;
let patientId: string;
let doctorUserId: string;
let doctorId: string;

async function admin(statement: string): Promise<void> {
  const db = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  await db.unsafe(statement);
  await db.end();
}

beforeAll(async () => {
  await admin(`create database ${database} template ${inject('templateDatabase')} strategy file_copy`);
  sql = connectPostgres(databaseUrl(database), 3);
  clinicId = idOf(
    await sql<{ id: string }[]>`
      insert into clinics (name, address, city, timezone, lat, lon)
      values ('C', 'A', 'Berlin', 'Europe/Berlin', 52.5, 13.4) returning id`,
  );
  patientId = await insertUser('pat@example.test', 'patient');
  doctorUserId = await insertUser('doc@example.test', 'doctor');
  doctorId = await insertDoctor(doctorUserId);
  await book(doctorId, patientId, '[2030-01-01 09:00Z,2030-01-01 09:30Z)');
});

afterAll(async () => {
  await sql?.end();
  await admin(`drop database if exists ${database} with (force)`);
});

const idOf = (rows: { id: string }[]) => rows[0]!.id;
const insertUser = async (email: string, role: string) =>
  idOf(
    await sql<{ id: string }[]>`
    insert into users (email, password_hash, name, role) values (${email}, 'x', 'N', ${role}) returning id`,
  );
const insertDoctor = async (userId: string) =>
  idOf(
    await sql<{ id: string }[]>`
    insert into doctors (user_id, clinic_id, fee_cents, currency)
    values (${userId}, ${clinicId}, 5000, 'EUR') returning id`,
  );

const book = (doctor: string, patient: string, during: string) => sql`
  insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
  values (${doctor}, ${patient}, ${clinicId}, ${during}::tstzrange, 5000, 'EUR')`;

/** What the client would get for the statement's failure: the AppError's code and field errors. */
async function answerTo(statement: Promise<unknown>) {
  const err = await statement.then(
    () => expect.fail('the statement was expected to fail'),
    (e: unknown) => e,
  );
  const mapped = domainErrorFrom(err);
  expect(mapped, String(err)).toBeInstanceOf(AppError);
  return { code: (mapped as AppError).code, errors: (mapped as AppError).extra.errors };
}

describe('domainErrorFrom on real violations', () => {
  it('every constraint the table names exists in the migrated schema', async () => {
    const rows = await sql<{ name: string }[]>`
      select conname as name from pg_constraint union select relname from pg_class where relkind = 'i'`;
    const names = new Set(rows.map((r) => r.name));
    expect([...CONSTRAINT_ERRORS.keys()].filter((n) => !names.has(n))).toEqual([]);
  });

  it('double booking: slot_taken for the doctor, patient_busy for the patient', async () => {
    const other = await insertUser('other@example.test', 'patient');
    expect(await answerTo(book(doctorId, other, '[2030-01-01 09:15Z,2030-01-01 09:45Z)'))).toEqual({
      code: 'slot_taken',
      errors: undefined,
    });
    const doctor2 = await insertDoctor(await insertUser('doc2@example.test', 'doctor'));
    expect(await answerTo(book(doctor2, patientId, '[2030-01-01 09:00Z,2030-01-01 09:30Z)'))).toEqual({
      code: 'patient_busy',
      errors: undefined,
    });
  });

  it('accounts: email_taken (whatever the case), no such clinic', async () => {
    expect(
      await answerTo(sql`insert into users (email, password_hash, name, role)
        values ('PAT@example.test', 'x', 'N', 'patient')`),
    ).toEqual({ code: 'email_taken', errors: undefined });
    expect(
      await answerTo(sql`insert into users (email, password_hash, name, role, clinic_id)
        values ('staff@example.test', 'x', 'S', 'staff', ${randomUUID()})`),
    ).toEqual({ code: 'validation_failed', errors: [{ path: 'body.clinicId', message: 'no such clinic' }] });
  });

  it('doctors: doctor_exists, no such user, no such clinic, unknown specialty', async () => {
    const insertDoctor = (userId: string, clinic: string) => sql`
      insert into doctors (user_id, clinic_id, fee_cents, currency) values (${userId}, ${clinic}, 1, 'EUR')`;
    expect(await answerTo(insertDoctor(doctorUserId, clinicId))).toEqual({
      code: 'doctor_exists',
      errors: undefined,
    });
    expect(await answerTo(insertDoctor(randomUUID(), clinicId))).toEqual({
      code: 'validation_failed',
      errors: [{ path: 'body.userId', message: 'no such user' }],
    });
    expect(await answerTo(insertDoctor(patientId, randomUUID()))).toEqual({
      code: 'validation_failed',
      errors: [{ path: 'body.clinicId', message: 'no such clinic' }],
    });
    expect(
      await answerTo(
        sql`insert into doctor_specialties (doctor_id, specialty_slug) values (${doctorId}, 'no-such-slug')`,
      ),
    ).toEqual({
      code: 'validation_failed',
      errors: [{ path: 'body.specialties', message: 'unknown specialty' }],
    });
  });

  it('a serialization failure is conflict', async () => {
    const failure = sql.begin('isolation level repeatable read', async (tx) => {
      await tx`select fee_cents from doctors where id = ${doctorId}`;
      await sql`update doctors set fee_cents = fee_cents + 1 where id = ${doctorId}`;
      await tx`update doctors set fee_cents = fee_cents + 1 where id = ${doctorId}`;
    });
    expect(await answerTo(failure)).toEqual({ code: 'conflict', errors: undefined });
  });
});
