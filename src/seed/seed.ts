import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../auth/principal.js';
import type { Db, Sql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import {
  DEMO_ADMIN,
  DEMO_CLINICS,
  DEMO_DOCTORS,
  DEMO_PASSWORD,
  DEMO_PATIENTS,
  DEMO_WEEK,
  demoLogins,
} from './demo-data.js';

/** The demo logins whose accounts exist in this database (none on a database that was never seeded). */
export async function existingDemoLogins(sql: Sql): Promise<{ role: string; email: string }[]> {
  const logins = demoLogins();
  const rows = await sql<{ email: string }[]>`
    select email from users where email = any(${logins.map((l) => l.email)}::text[])`;
  const present = new Set(rows.map((r) => r.email));
  return logins.filter((l) => present.has(l.email));
}

/**
 * Loads the demo data set in one transaction. Idempotent: rows that exist (by email, clinic name,
 * doctor account) are kept as they are, so running it twice changes nothing.
 */
export async function seedDemoData(sql: Sql, logger: Logger): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await transaction(sql, async (tx) => {
    const clinicIds = new Map<string, string>();
    for (const c of DEMO_CLINICS) {
      await tx`
        insert into clinics (name, address, city, timezone, lat, lon, phone)
        select ${c.name}, ${c.address}, ${c.city}, ${c.timezone}, ${c.lat}, ${c.lon}, ${c.phone ?? null}
        where not exists (select 1 from clinics where name = ${c.name})`;
      const [row] = await tx<
        { id: string }[]
      >`select id from clinics where name = ${c.name} order by created_at limit 1`;
      clinicIds.set(c.key, row!.id);
    }
    const user = (
      email: string,
      name: string,
      role: Role,
      clinicId: string | null = null,
      phone: string | null = null,
    ) => upsertUser(tx, { email, name, role, clinicId, phone, passwordHash });

    await user(DEMO_ADMIN.email, DEMO_ADMIN.name, 'admin');
    for (const c of DEMO_CLINICS) await user(c.staff.email, c.staff.name, 'staff', clinicIds.get(c.key)!);
    for (const p of DEMO_PATIENTS) await user(p.email, p.name, 'patient', null, p.phone);
    for (const d of DEMO_DOCTORS) {
      const userId = await user(d.email, d.name, 'doctor');
      const [doctor] = await tx<{ id: string }[]>`
        insert into doctors (user_id, clinic_id, fee_cents, currency, languages, bio)
        values (${userId}, ${clinicIds.get(d.clinic)!}, ${d.feeCents}, ${d.currency}, ${d.languages}, ${d.bio})
        on conflict (user_id) do nothing
        returning id`;
      if (doctor) {
        await tx`insert into doctor_specialties ${tx(d.specialties.map((slug) => ({ doctorId: doctor.id, specialtySlug: slug })))}`;
        await tx`insert into availability_rules ${tx(
          DEMO_WEEK.map((r) => ({
            doctorId: doctor.id,
            weekday: r.weekday,
            startTime: r.start,
            endTime: r.end,
            slotMinutes: r.slotMinutes,
          })),
        )}`;
        // Besides the default 30-minute consultation (created with the doctor): a short follow-up for
        // patients who have seen this doctor before, at 60% of the fee.
        await tx`insert into appointment_types ${tx({
          doctorId: doctor.id,
          name: 'Follow-up',
          durationMinutes: 15,
          feeCents: Math.round(d.feeCents * 0.6),
          currency: d.currency,
          audience: 'returning',
        })}`;
      }
    }
  });
  logger.info({ clinics: DEMO_CLINICS.length, doctors: DEMO_DOCTORS.length }, 'demo data seeded');
}

async function upsertUser(
  db: Db,
  u: {
    email: string;
    name: string;
    role: Role;
    clinicId: string | null;
    phone: string | null;
    passwordHash: string;
  },
): Promise<string> {
  await db`
    insert into users (email, password_hash, name, phone, role, clinic_id)
    values (${u.email}, ${u.passwordHash}, ${u.name}, ${u.phone}, ${u.role}, ${u.clinicId})
    on conflict ((lower(email))) do nothing`;
  const [row] = await db<{ id: string }[]>`select id from users where lower(email) = ${u.email}`;
  return row!.id;
}
