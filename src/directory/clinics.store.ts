import type { Db } from '../infra/postgres.js';
import type { Clinic, ClinicInput } from './directory.schemas.js';

const columns = (db: Db) => db`id, name, address, city, timezone, lat, lon, phone`;

export async function insertClinic(db: Db, c: ClinicInput): Promise<Clinic> {
  const [row] = await db<Clinic[]>`
    insert into clinics (name, address, city, timezone, lat, lon, phone)
    values (${c.name}, ${c.address}, ${c.city}, ${c.timezone}, ${c.lat}, ${c.lon}, ${c.phone ?? null})
    returning ${columns(db)}`;
  return row!;
}

export async function updateClinic(
  db: Db,
  id: string,
  patch: Partial<ClinicInput>,
): Promise<Clinic | undefined> {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  if (Object.keys(fields).length === 0) return findClinic(db, id);
  const [row] = await db<Clinic[]>`
    update clinics set ${db(fields)}, updated_at = now() where id = ${id} returning ${columns(db)}`;
  return row;
}

export async function findClinic(db: Db, id: string): Promise<Clinic | undefined> {
  const [row] = await db<Clinic[]>`select ${columns(db)} from clinics where id = ${id}`;
  return row;
}

export async function listClinics(
  db: Db,
  f: { city?: string | undefined; limit: number; offset: number },
): Promise<Clinic[]> {
  return db<Clinic[]>`
    select ${columns(db)} from clinics
    where ${f.city ? db`lower(city) = lower(${f.city})` : db`true`}
    order by name, id
    limit ${f.limit} offset ${f.offset}`;
}
