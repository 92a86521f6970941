import type { Db } from '../infra/postgres.js';

/**
 * Patients the front desk registers (a walk-in, a phone caller): a users row with no password, so no login
 * until they register themselves with the same email or phone (migrations/0012).
 */
export interface DeskPatient {
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
}

/**
 * The patient a desk entry names: an existing patient with that email, else a new desk patient. Someone
 * with that email who is not a patient answers undefined (the desk must not book for a doctor's account).
 */
export async function findOrCreateDeskPatient(db: Db, p: DeskPatient): Promise<{ id: string } | undefined> {
  const [row] = await db<{ id: string; role: string }[]>`
    with found as (
      select id, role from users where ${p.email ?? null}::text is not null and lower(email) = lower(${p.email ?? null})
    ), made as (
      insert into users (email, password_hash, name, phone, role)
      select ${p.email ?? null}, null, ${p.name}, ${p.phone ?? null}, 'patient'
      where not exists (select 1 from found)
      returning id, role
    )
    select id, role from found union all select id, role from made`;
  return row?.role === 'patient' ? { id: row.id } : undefined;
}

/**
 * The desk patient a new registration claims, if any: one with no login yet and the same email or, when
 * the desk took no email, the same phone. Locked until the registration commits.
 */
export async function claimableDeskPatient(
  db: Db,
  r: { email: string; phone: string | null },
): Promise<{ id: string } | undefined> {
  const [row] = await db<{ id: string }[]>`
    select id from users
    where role = 'patient' and password_hash is null
      and (lower(email) = lower(${r.email}) or (email is null and phone is not null and phone = ${r.phone}))
    order by (lower(email) = lower(${r.email})) desc nulls last, created_at
    limit 1 for update`;
  return row;
}

/** Gives a desk patient their login: the registration's email, password, name and phone. */
export async function claimDeskPatient(
  db: Db,
  id: string,
  a: { email: string; passwordHash: string; name: string; phone: string | null },
): Promise<void> {
  await db`
    update users set email = ${a.email}, password_hash = ${a.passwordHash}, name = ${a.name},
      phone = coalesce(${a.phone}, phone)
    where id = ${id} and password_hash is null`;
}
