import type { Db } from '../infra/postgres.js';

/**
 * Patients the front desk registers (a walk-in, a phone caller): a users row with no password, so no login
 * until they register themselves with the same email (migrations/0012).
 */
export interface DeskPatient {
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
}

/**
 * The patient a desk entry names at a clinic: the patient with that email when the clinic already knows
 * them (a desk record with no login yet, or someone with an appointment at this clinic), else a new desk
 * patient. An email held by anyone else answers `taken`: typing an address must not reveal or book into
 * a stranger's account.
 */
export async function findOrCreateDeskPatient(
  db: Db,
  clinicId: string,
  p: DeskPatient,
): Promise<{ id: string } | 'taken'> {
  const [row] = await db<{ id: string; known: boolean }[]>`
    with found as (
      select u.id, u.role = 'patient' and (u.password_hash is null or exists (
        select 1 from appointments a where a.patient_id = u.id and a.clinic_id = ${clinicId})) as known
      from users u where ${p.email ?? null}::text is not null and lower(u.email) = lower(${p.email ?? null})
    ), made as (
      insert into users (email, password_hash, name, phone, role)
      select ${p.email ?? null}, null, ${p.name}, ${p.phone ?? null}, 'patient'
      where not exists (select 1 from found)
      returning id, true as known
    )
    select id, known from found union all select id, known from made`;
  return row?.known ? { id: row.id } : 'taken';
}

/**
 * The desk patient a new registration claims, if any: one with no login yet and the same email. Not by
 * phone: nothing proves a phone number is the registrant's, and a claimed record's appointments (and
 * visit reasons) become theirs. Locked until the registration commits.
 */
export async function claimableDeskPatient(
  db: Db,
  r: { email: string },
): Promise<{ id: string } | undefined> {
  const [row] = await db<{ id: string }[]>`
    select id from users
    where role = 'patient' and password_hash is null and lower(email) = lower(${r.email})
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
