import { randomUUID } from 'node:crypto';
import type { Sql } from '../../src/infra/postgres.js';
import type { WeeklyRule } from '../../src/schedule/slot-generation.js';
import type { BenchContext } from './context.js';

/** Bench accounts never sign in with a password; their tokens are minted directly. */
const NO_PASSWORD = '!bench-account-no-password';

/** Every day 00:00–24:00 in `slotMinutes` slots: any instant is bookable, which keeps scenarios simple. */
export const allDay = (slotMinutes: number): WeeklyRule[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00', slotMinutes }));

export async function seedClinic(
  sql: Sql,
  o: { timezone?: string; lat?: number; lon?: number; name?: string } = {},
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into clinics (name, address, city, timezone, lat, lon)
    values (${o.name ?? `Clinic ${randomUUID().slice(0, 6)}`}, '1 Bench Street', 'Benchville', ${o.timezone ?? 'UTC'}, ${o.lat ?? 52.52}, ${o.lon ?? 13.405})
    returning id`;
  return row!.id;
}

export interface SeededDoctor {
  id: string;
  userId: string;
  clinicId: string;
}

/** `count` doctors at the clinic(s) with the rules, minimum notice 0, horizon 365 days. */
export async function seedDoctors(
  sql: Sql,
  clinicIds: readonly string[],
  count: number,
  o: { rules: WeeklyRule[]; specialty?: (i: number) => string },
): Promise<SeededDoctor[]> {
  const users = Array.from({ length: count }, (_, i) => ({
    email: `doctor-${randomUUID()}@bench.test`,
    passwordHash: NO_PASSWORD,
    name: `Dr. Bench ${i}`,
    role: 'doctor',
  }));
  const out: SeededDoctor[] = [];
  for (let i = 0; i < users.length; i += 1000) {
    const chunk = users.slice(i, i + 1000);
    const userRows = await sql<{ id: string }[]>`insert into users ${sql(chunk)} returning id`;
    const doctors = userRows.map((u, j) => ({
      userId: u.id,
      clinicId: clinicIds[(i + j) % clinicIds.length]!,
      feeCents: 5000,
      currency: 'EUR',
      minNoticeMinutes: 0,
      horizonDays: 365,
    }));
    const doctorRows = await sql<{ id: string; userId: string; clinicId: string }[]>`
      insert into doctors ${sql(doctors)} returning id, user_id, clinic_id`;
    await sql`insert into doctor_specialties ${sql(
      doctorRows.map((d, j) => ({
        doctorId: d.id,
        specialtySlug: o.specialty?.(i + j) ?? 'general-practice',
      })),
    )}`;
    const rules = doctorRows.flatMap((d) =>
      o.rules.map((r) => ({
        doctorId: d.id,
        weekday: r.weekday,
        startTime: r.start,
        endTime: r.end,
        slotMinutes: r.slotMinutes,
      })),
    );
    for (let k = 0; k < rules.length; k += 5000)
      await sql`insert into availability_rules ${sql(rules.slice(k, k + 5000))}`;
    out.push(...doctorRows);
  }
  return out;
}

export interface SeededPatient {
  id: string;
  token: string;
}

/** `count` patients, each with a refresh family and a minted access token. */
export async function seedPatients(ctx: BenchContext, sql: Sql, count: number): Promise<SeededPatient[]> {
  const out: SeededPatient[] = [];
  const ids = await seedPatientRows(sql, count);
  for (let i = 0; i < ids.length; i += 1000) {
    const families = await sql<{ id: string; userId: string }[]>`
      insert into refresh_families ${sql(ids.slice(i, i + 1000).map((userId) => ({ userId })))} returning id, user_id`;
    for (const f of families)
      out.push({ id: f.userId, token: await ctx.mint({ id: f.userId, role: 'patient' }, f.id) });
  }
  return out;
}

export interface SeededStaff {
  id: string;
  clinicId: string;
  token: string;
}

/** `perClinic` front-desk accounts at each clinic, each with a refresh family and a minted access token. */
export async function seedStaff(
  ctx: BenchContext,
  sql: Sql,
  clinicIds: readonly string[],
  perClinic: number,
): Promise<SeededStaff[]> {
  const rows = clinicIds.flatMap((clinicId) =>
    Array.from({ length: perClinic }, (_, i) => ({
      email: `staff-${randomUUID()}@bench.test`,
      passwordHash: NO_PASSWORD,
      name: `Desk ${i}`,
      role: 'staff',
      clinicId,
    })),
  );
  const out: SeededStaff[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const users = await sql<{ id: string; clinicId: string }[]>`
      insert into users ${sql(rows.slice(i, i + 1000))} returning id, clinic_id`;
    const families = await sql<{ id: string; userId: string }[]>`
      insert into refresh_families ${sql(users.map((u) => ({ userId: u.id })))} returning id, user_id`;
    const clinicOf = new Map(users.map((u) => [u.id, u.clinicId]));
    for (const f of families) {
      const clinicId = clinicOf.get(f.userId)!;
      out.push({
        id: f.userId,
        clinicId,
        token: await ctx.mint({ id: f.userId, role: 'staff', clinicId }, f.id),
      });
    }
  }
  return out;
}

/** `count` patient accounts without tokens, for appointments seeded straight into the table. */
export async function seedPatientRows(sql: Sql, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      email: `patient-${randomUUID()}@bench.test`,
      passwordHash: NO_PASSWORD,
      name: `Patient ${i + j}`,
      role: 'patient',
    }));
    out.push(...(await sql<{ id: string }[]>`insert into users ${sql(chunk)} returning id`).map((u) => u.id));
  }
  return out;
}
