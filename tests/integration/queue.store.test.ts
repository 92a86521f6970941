import { createHash, randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findOrCreateDeskPatient } from '../../src/auth/desk-patients.store.js';
import { connectPostgres, PG, pgCode, type Sql } from '../../src/infra/postgres.js';
import {
  createDisplayToken,
  listDisplayTokens,
  revokeDisplayToken,
  useDisplayToken,
} from '../../src/queue/display-tokens.store.js';
import {
  bumpRevision,
  readClinicDay,
  readDoctorQueueState,
  readRevision,
  readToldEstimates,
  recordToldEstimates,
  setDelay,
  setRoom,
} from '../../src/queue/queue.store.js';
import { databaseUrl, TEST_POSTGRES_URL } from '../helpers/env.js';

// Store code only: a database of our own copied from the migrated template, no hub.
const database = `${inject('runId')}_${randomBytes(5).toString('hex')}`;
let sql: Sql;

async function admin(statement: string): Promise<void> {
  const a = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  await a.unsafe(statement).finally(() => a.end());
}

beforeAll(async () => {
  await admin(`create database ${database} template ${inject('templateDatabase')} strategy file_copy`);
  sql = connectPostgres(databaseUrl(database), 4);
});

afterAll(async () => {
  await sql?.end();
  await admin(`drop database if exists ${database} with (force)`);
});

async function clinic(): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into clinics (name, address, city, timezone, lat, lon)
    values ('Queue clinic', '1 Test Street', 'Berlin', 'Europe/Berlin', 52.52, 13.405) returning id`;
  return row!.id;
}

async function user(name: string, role: 'doctor' | 'patient'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into users (email, password_hash, name, role)
    values (${`${role}-${randomUUID()}@example.com`}, 'x', ${name}, ${role}) returning id`;
  return row!.id;
}

async function doctor(clinicId: string, name: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into doctors (user_id, clinic_id, fee_cents, currency)
    values (${await user(name, 'doctor')}, ${clinicId}, 5000, 'EUR') returning id`;
  return row!.id;
}

async function appointment(
  clinicId: string,
  doctorId: string,
  patientName: string,
  start: string,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
    values (${doctorId}, ${await user(patientName, 'patient')}, ${clinicId},
            tstzrange(${start}::timestamptz, ${start}::timestamptz + interval '15 minutes'), 5000, 'EUR')
    returning id`;
  return row!.id;
}

describe('display tokens', () => {
  it('stores only the hash, opens by token, touches last seen, and stops at revocation', async () => {
    const clinicId = await clinic();
    const { token, row } = await createDisplayToken(sql, {
      clinicId,
      label: 'Waiting room',
      createdBy: null,
    });
    expect(row).toMatchObject({ clinicId, label: 'Waiting room', lastSeenAt: null, revokedAt: null });
    const [stored] = await sql<
      { tokenHash: Buffer }[]
    >`select token_hash from display_tokens where id = ${row.id}`;
    expect(stored!.tokenHash).toEqual(createHash('sha256').update(token).digest());

    const seen = await useDisplayToken(sql, token);
    expect(seen).toMatchObject({ id: row.id, clinicId });
    expect(seen!.lastSeenAt).toBeInstanceOf(Date);
    const [listed] = await listDisplayTokens(sql, clinicId);
    expect(listed).toMatchObject({ id: row.id, lastSeenAt: seen!.lastSeenAt });
    expect(
      await useDisplayToken(sql, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`),
    ).toBeUndefined();

    // Another clinic cannot revoke it; its own clinic can, and then it opens nothing.
    expect(await revokeDisplayToken(sql, await clinic(), row.id)).toBeUndefined();
    const revoked = await revokeDisplayToken(sql, clinicId, row.id);
    expect(revoked!.revokedAt).toBeInstanceOf(Date);
    expect(await useDisplayToken(sql, token)).toBeUndefined();
    expect((await listDisplayTokens(sql, clinicId))[0]!.revokedAt).toEqual(revoked!.revokedAt);
  });
});

describe('the clinic day', () => {
  it('reads the local day’s appointments with names and stamps, without cancelled ones', async () => {
    const clinicId = await clinic();
    const doctorId = await doctor(clinicId, 'Dr. Day');
    // Berlin is UTC+1 on 2026-03-09: the day runs from 2026-03-08T23:00Z to 2026-03-09T23:00Z.
    await appointment(clinicId, doctorId, 'Before', '2026-03-08T22:45:00Z');
    const first = await appointment(clinicId, doctorId, 'First', '2026-03-08T23:00:00Z');
    const last = await appointment(clinicId, doctorId, 'Last', '2026-03-09T22:45:00Z');
    const cancelled = await appointment(clinicId, doctorId, 'Cancelled', '2026-03-09T08:00:00Z');
    await sql`update appointments set status = 'cancelled' where id = ${cancelled}`;

    // The triggers stamp arrival, start and completion on the status change itself, and the arrival's
    // ticket (the first of the clinic's day; 'First' went straight in without checking in, so has none).
    await sql`update appointments set status = 'checked_in' where id = ${last}`;
    await sql`update appointments set status = 'in_consultation' where id = ${first}`;
    await sql`update appointments set status = 'completed' where id = ${first}`;

    const day = await readClinicDay(sql, clinicId, '2026-03-09');
    expect(day).toMatchObject({ clinicId, timezone: 'Europe/Berlin' });
    expect(day!.doctors).toEqual([
      { doctorId, name: 'Dr. Day', room: null, delayMinutes: 0, delayNote: null, delayDeclaredAt: null },
    ]);
    expect(day!.rows.map((r) => [r.patientName, r.status])).toEqual([
      ['First', 'completed'],
      ['Last', 'checked_in'],
    ]);
    const [done, waiting] = day!.rows;
    expect(done).toMatchObject({
      appointmentId: first,
      doctorId,
      slotStart: Date.parse('2026-03-08T23:00:00Z'),
    });
    expect(done!.slotEnd - done!.slotStart).toBe(15 * 60_000);
    expect(typeof done!.startedAt).toBe('number');
    expect(typeof done!.completedAt).toBe('number');
    expect(typeof done!.arrivedAt).toBe('number');
    expect(waiting).toMatchObject({ appointmentId: last, walkIn: false, ticket: 'A-001', startedAt: null });
    expect(done!.ticket).toBeNull();
    expect(typeof waiting!.arrivedAt).toBe('number');
    expect(await readClinicDay(sql, randomUUID(), '2026-03-09')).toBeUndefined();
  });

  it('keeps the room across days and counts a delay only on the local day it was declared', async () => {
    const clinicId = await clinic();
    const doctorId = await doctor(clinicId, 'Dr. Late');
    expect(await setRoom(sql, doctorId, 'Room 3')).toMatchObject({ room: 'Room 3', delayMinutes: 0 });
    const declared = await setDelay(sql, doctorId, { minutes: 25, note: 'Emergency' });
    expect(declared).toMatchObject({ room: 'Room 3', delayMinutes: 25, delayNote: 'Emergency' });

    const [today] = await sql<
      { day: string }[]
    >`select to_char(now() at time zone 'Europe/Berlin', 'YYYY-MM-DD') as day`;
    expect(await readDoctorQueueState(sql, doctorId, today!.day)).toMatchObject({
      room: 'Room 3',
      delayMinutes: 25,
    });
    expect(await readDoctorQueueState(sql, doctorId, '2020-01-01')).toMatchObject({
      room: 'Room 3',
      delayMinutes: 0,
    });
    expect((await readClinicDay(sql, clinicId, today!.day))!.doctors[0]).toMatchObject({
      room: 'Room 3',
      delayMinutes: 25,
    });

    // 0 clears the delay and its note.
    expect(await setDelay(sql, doctorId, { minutes: 0, note: 'ignored' })).toMatchObject({
      delayMinutes: 0,
      delayNote: null,
    });
    expect(await readDoctorQueueState(sql, randomUUID(), today!.day)).toBeUndefined();
    expect(pgCode(await setRoom(sql, randomUUID(), 'Room 9').catch((e: unknown) => e))).toBe(
      PG.foreignKeyViolation,
    );
  });

  it('bumps the revision per clinic and day', async () => {
    const clinicId = await clinic();
    expect(await readRevision(sql, clinicId, '2026-03-09')).toBe(0);
    expect(await bumpRevision(sql, clinicId, '2026-03-09')).toBe(1);
    expect(await bumpRevision(sql, clinicId, '2026-03-09')).toBe(2);
    expect(await readRevision(sql, clinicId, '2026-03-09')).toBe(2);
    expect(await readRevision(sql, clinicId, '2026-03-10')).toBe(0);
  });

  it('remembers the estimate each patient was last told', async () => {
    const clinicId = await clinic();
    const doctorId = await doctor(clinicId, 'Dr. Told');
    const a = await appointment(clinicId, doctorId, 'A', '2026-03-09T09:00:00Z');
    const b = await appointment(clinicId, doctorId, 'B', '2026-03-09T09:15:00Z');
    const at = (iso: string) => Date.parse(iso);
    await recordToldEstimates(sql, [{ appointmentId: a, estimatedStart: at('2026-03-09T09:20:00Z') }]);
    await recordToldEstimates(sql, [
      { appointmentId: a, estimatedStart: at('2026-03-09T09:40:00Z') },
      { appointmentId: b, estimatedStart: at('2026-03-09T09:55:00Z') },
    ]);
    const told = await readToldEstimates(sql, [a, b, randomUUID()]);
    expect(Object.fromEntries(told)).toEqual({
      [a]: at('2026-03-09T09:40:00Z'),
      [b]: at('2026-03-09T09:55:00Z'),
    });
    expect(await readToldEstimates(sql, [])).toEqual(new Map());
  });
});

describe('patients registered at the desk', () => {
  it('may have no password and no email; every other role still needs a login', async () => {
    const clinicId = await clinic();
    const first = await findOrCreateDeskPatient(sql, clinicId, { name: 'Walk In', phone: '+49 30 1234567' });
    const second = await findOrCreateDeskPatient(sql, clinicId, { name: 'Walk In Too' });
    expect(first).not.toEqual(second);
    const staff =
      await sql`insert into users (email, password_hash, name, role) values (${`s-${randomUUID()}@example.com`}, null, 'No Login', 'doctor')`.catch(
        (e: unknown) => e,
      );
    expect(pgCode(staff)).toBe('23514');
    // A desk patient's email is unique, case-insensitively, among everyone: the same email finds them again.
    const email = `walk-${randomUUID()}@example.com`;
    const withEmail = await findOrCreateDeskPatient(sql, clinicId, { name: 'Has Email', email });
    expect(
      await findOrCreateDeskPatient(sql, clinicId, { name: 'Same', email: email.toUpperCase() }),
    ).toEqual(withEmail);
    const clash =
      await sql`insert into users (email, password_hash, name, role) values (${email.toUpperCase()}, null, 'Same', 'patient')`.catch(
        (e: unknown) => e,
      );
    expect(pgCode(clash)).toBe(PG.uniqueViolation);
  });
});
