import type { Db } from '../infra/postgres.js';
import type { Role } from './principal.js';

export interface UserRow {
  id: string;
  /** Null only for a patient the front desk registered who has not claimed the record (no login yet). */
  email: string | null;
  passwordHash: string | null;
  name: string;
  phone: string | null;
  role: Role;
  clinicId: string | null;
  doctorId: string | null;
  createdAt: Date;
  /** False once an admin deactivated the account (migrations/0072). */
  active: boolean;
  language: string | null;
}

export const userColumns = (db: Db) =>
  db`u.id, u.email, u.password_hash, u.name, u.phone, u.role, u.clinic_id, u.created_at, u.active, u.language,
     (select d.id from doctors d where d.user_id = u.id) as doctor_id`;

export async function insertUser(
  db: Db,
  u: {
    email: string;
    passwordHash: string;
    name: string;
    phone: string | null;
    role: Role;
    clinicId: string | null;
  },
): Promise<UserRow> {
  const [row] = await db<UserRow[]>`
    with u as (
      insert into users (email, password_hash, name, phone, role, clinic_id)
      values (${u.email}, ${u.passwordHash}, ${u.name}, ${u.phone}, ${u.role}, ${u.clinicId})
      returning *
    )
    select ${userColumns(db)} from u`;
  return row!;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db<
    UserRow[]
  >`select ${userColumns(db)} from users u where lower(u.email) = ${email.toLowerCase()}`;
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`select ${userColumns(db)} from users u where u.id = ${id}`;
  return row;
}

export async function createFamily(db: Db, userId: string): Promise<string> {
  const [row] = await db<
    { id: string }[]
  >`insert into refresh_families (user_id) values (${userId}) returning id`;
  return row!.id;
}

export async function insertRefreshToken(
  db: Db,
  t: { hash: Buffer; familyId: string; expiresAt: Date },
): Promise<void> {
  await db`insert into refresh_tokens (token_hash, family_id, expires_at) values (${t.hash}, ${t.familyId}, ${t.expiresAt})`;
}

/**
 * Marks an unrotated token as used and returns its family. Concurrent callers serialize on the row lock;
 * only the first sees `rotated_at is null`, so at most one rotation of a token ever succeeds.
 */
export async function rotateRefreshToken(
  db: Db,
  hash: Buffer,
): Promise<{ familyId: string; expiresAt: Date } | undefined> {
  const [row] = await db<{ familyId: string; expiresAt: Date }[]>`
    update refresh_tokens set rotated_at = now()
    where token_hash = ${hash} and rotated_at is null
    returning family_id, expires_at`;
  return row;
}

export async function findRefreshTokenFamily(db: Db, hash: Buffer): Promise<string | undefined> {
  const [row] = await db<
    { familyId: string }[]
  >`select family_id from refresh_tokens where token_hash = ${hash}`;
  return row?.familyId;
}

export async function findFamily(
  db: Db,
  familyId: string,
): Promise<{ userId: string; revokedAt: Date | null } | undefined> {
  const [row] = await db<{ userId: string; revokedAt: Date | null }[]>`
    select user_id, revoked_at from refresh_families where id = ${familyId}`;
  return row;
}

export async function revokeFamily(db: Db, familyId: string, reason: string): Promise<void> {
  await db`update refresh_families set revoked_at = now(), revoked_reason = ${reason}
           where id = ${familyId} and revoked_at is null`;
}

/**
 * Sets a new password hash and revokes every live session of the account but `keepFamily`, in one
 * statement; returns the revoked families (to announce, see session-gate.ts).
 */
export async function changePassword(
  db: Db,
  userId: string,
  passwordHash: string,
  { keepFamily }: { keepFamily: string },
): Promise<string[]> {
  const rows = await db<{ id: string }[]>`
    with changed as (update users set password_hash = ${passwordHash} where id = ${userId} returning id)
    update refresh_families f set revoked_at = now(), revoked_reason = 'password changed'
    from changed
    where f.user_id = changed.id and f.id <> ${keepFamily} and f.revoked_at is null
    returning f.id`;
  return rows.map((r) => r.id);
}
