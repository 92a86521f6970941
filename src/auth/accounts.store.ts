import type { Db } from '../infra/postgres.js';
import { type UserRow, userColumns } from './auth.store.js';
import type { Role } from './principal.js';

export interface UserFilter {
  q?: string | undefined;
  role?: Role | undefined;
  clinicId?: string | undefined;
  active?: boolean | undefined;
  limit: number;
  offset: number;
}

/** Accounts by name or email (`q`), role, clinic and whether active; by name. */
export async function listUsers(db: Db, f: UserFilter): Promise<UserRow[]> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
  return db<UserRow[]>`
    select ${userColumns(db)} from users u
    where true
      ${like ? db`and (u.name ilike ${like} or u.email ilike ${like})` : db``}
      ${f.role ? db`and u.role = ${f.role}` : db``}
      ${f.clinicId ? db`and u.clinic_id = ${f.clinicId}` : db``}
      ${f.active !== undefined ? db`and u.active = ${f.active}` : db``}
    order by lower(u.name), u.id
    limit ${f.limit} offset ${f.offset}`;
}

/** Sets the given columns; false when there is no such user. */
export async function updateUser(
  db: Db,
  id: string,
  fields: Partial<{
    role: Role;
    clinicId: string | null;
    active: boolean;
    name: string;
    phone: string | null;
    language: string | null;
    passwordHash: string;
  }>,
): Promise<boolean> {
  const set = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const rows = Object.keys(set).length
    ? await db`update users set ${db(set)}, updated_at = now() where id = ${id} returning id`
    : await db`select id from users where id = ${id}`;
  return rows.length > 0;
}

/** Revokes every live refresh family of the user but `keep`; returns the revoked ids. */
export async function revokeFamiliesOf(
  db: Db,
  userId: string,
  reason: string,
  keep?: string,
): Promise<string[]> {
  const rows = await db<{ id: string }[]>`
    update refresh_families set revoked_at = now(), revoked_reason = ${reason}
    where user_id = ${userId} and revoked_at is null ${keep ? db`and id <> ${keep}` : db``}
    returning id`;
  return rows.map((r) => r.id);
}

export async function insertPasswordReset(db: Db, r: { hash: Buffer; userId: string; expiresAt: Date }) {
  await db`insert into password_resets (token_hash, user_id, expires_at) values (${r.hash}, ${r.userId}, ${r.expiresAt})`;
}

/** Marks an unused, unexpired reset token used and returns its user; undefined otherwise (single use). */
export async function useReset(db: Db, hash: Buffer): Promise<string | undefined> {
  const [row] = await db<{ userId: string }[]>`
    update password_resets set used_at = now()
    where token_hash = ${hash} and used_at is null and expires_at > now()
    returning user_id`;
  return row?.userId;
}
