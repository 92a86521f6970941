import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectPostgres, PG, pgCode, type Sql } from '../../src/infra/postgres.js';
import { transaction } from '../../src/infra/transaction.js';
import { nextTicket, recordArrival } from '../../src/queue/queue.store.js';
import { ticketLabel } from '../../src/queue/tickets.js';
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
  sql = connectPostgres(databaseUrl(database), 10);
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

/** A booked appointment at the clinic with a doctor and patient of its own, so none overlap. */
async function appointment(clinicId: string, start: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    with du as (insert into users (email, password_hash, name, role)
                values (${`dr-${randomUUID()}@example.com`}, 'x', 'Dr. Ticket', 'doctor') returning id),
         d as (insert into doctors (user_id, clinic_id, fee_cents, currency)
               select id, ${clinicId}, 5000, 'EUR' from du returning id),
         pu as (insert into users (email, password_hash, name, role)
                values (${`p-${randomUUID()}@example.com`}, 'x', 'Pat Ticket', 'patient') returning id)
    insert into appointments (doctor_id, patient_id, clinic_id, during, fee_cents, currency)
    select d.id, pu.id, ${clinicId}, tstzrange(${start}::timestamptz, ${start}::timestamptz + interval '15 minutes'), 5000, 'EUR'
    from d, pu returning id`;
  return row!.id;
}

describe('nextTicket', () => {
  it('gives 50 concurrent check-ins of one clinic and day the numbers 1 to 50, each once', async () => {
    const clinicId = await clinic();
    const numbers = await Promise.all(
      Array.from({ length: 50 }, () =>
        transaction(sql, async (tx) => {
          const n = await nextTicket(tx, clinicId, '2026-03-09');
          // Hold the row lock a moment, so the others queue on it rather than run one after another.
          await tx`select pg_sleep(0.005)`;
          return n;
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('starts again at 1 for another clinic and for another day', async () => {
    const [a, b] = [await clinic(), await clinic()];
    expect(await nextTicket(sql, a, '2026-03-10')).toBe(1);
    expect(await nextTicket(sql, a, '2026-03-10')).toBe(2);
    expect(await nextTicket(sql, b, '2026-03-10')).toBe(1);
    expect(await nextTicket(sql, a, '2026-03-11')).toBe(1);
    expect(await nextTicket(sql, a, '2026-03-10')).toBe(3);
  });

  it('takes back the number of a check-in that rolled back, so committed numbers have no gaps', async () => {
    const clinicId = await clinic();
    expect(await nextTicket(sql, clinicId, '2026-03-09')).toBe(1);
    const failed = await transaction(sql, async (tx) => {
      await nextTicket(tx, clinicId, '2026-03-09');
      throw new Error('check-in failed');
    }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(await nextTicket(sql, clinicId, '2026-03-09')).toBe(2);
  });
});

describe('tickets on appointments', () => {
  it('records the arrival once and refuses a second appointment with the same ticket that day', async () => {
    const clinicId = await clinic();
    const first = await appointment(clinicId, '2026-03-09T09:00:00+01:00');
    const second = await appointment(clinicId, '2026-03-09T09:15:00+01:00');
    const ticket = ticketLabel(await nextTicket(sql, clinicId, '2026-03-09'));

    expect(await recordArrival(sql, { appointmentId: first, ticket, day: '2026-03-09' })).toBe(true);
    // A repeated check-in keeps the first ticket.
    expect(await recordArrival(sql, { appointmentId: first, ticket: 'A-999', day: '2026-03-09' })).toBe(
      false,
    );
    const [row] = await sql<{ ticket: string; arrived: boolean; walkIn: boolean }[]>`
      select ticket, arrived_at is not null as arrived, walk_in from appointments where id = ${first}`;
    expect(row).toEqual({ ticket: 'A-001', arrived: true, walkIn: false });

    // The unique index guards tickets whatever hands them out; another day may reuse the label.
    const clash = await recordArrival(sql, { appointmentId: second, ticket, day: '2026-03-09' }).catch(
      (e: unknown) => e,
    );
    expect(pgCode(clash)).toBe(PG.uniqueViolation);
    expect(await recordArrival(sql, { appointmentId: second, ticket, day: '2026-03-10', walkIn: true })).toBe(
      true,
    );
  });
});
