import type { Db } from '../infra/postgres.js';
import type { Doctor, DoctorInput, DoctorPatchInput } from './directory.schemas.js';
import { boundingBox, EARTH_RADIUS_KM } from './geo.js';

interface DoctorRow extends Omit<Doctor, 'distanceKm'> {
  distanceKm: number | null;
}

export interface DoctorFilter {
  specialty?: string | undefined;
  clinicId?: string | undefined;
  language?: string | undefined;
  maxFee?: number | undefined;
  q?: string | undefined;
  near?: { lat: number; lon: number } | undefined;
  radiusKm?: number | undefined;
  /** Prefilter: a weekly rule on this date's weekday, valid on it (the exact check is in free-slot-finder.ts). */
  worksOn?: { date: string; weekday: number } | undefined;
  /** Order: by distance (the default with `near`), fee, or rating (best first, unrated last); else by name. */
  sort?: 'distance' | 'fee' | 'rating' | undefined;
  limit: number;
  offset: number;
}

/** The ORDER BY of a search over the `found` candidates (columns distance_km, fee_cents, rating, name, id). */
function orderOf(db: Db, f: DoctorFilter, t: string) {
  const col = (c: string) => db(`${t}.${c}`);
  if (f.sort === 'fee') return db`${col('fee_cents')}, ${col('name')}, ${col('id')}`;
  if (f.sort === 'rating') return db`${col('rating')} desc nulls last, ${col('name')}, ${col('id')}`;
  return f.near ? db`${col('distance_km')}, ${col('name')}, ${col('id')}` : db`${col('name')}, ${col('id')}`;
}

/** Ids and distances of every doctor matching the filter (no page), for orders computed outside SQL. */
export async function candidateIds(
  db: Db,
  f: Omit<DoctorFilter, 'limit' | 'offset'>,
): Promise<{ id: string; distanceKm: number | null }[]> {
  return db<{ id: string; distanceKm: number | null }[]>`
    select id, distance_km from (${candidates(db, f)}) found
    where ${f.radiusKm !== undefined ? db`distance_km <= ${f.radiusKm}` : db`true`}`;
}

/** The filtered doctors with the columns searches order by. */
function candidates(db: Db, f: Omit<DoctorFilter, 'limit' | 'offset'>) {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
  const box = f.near && f.radiusKm !== undefined ? boundingBox(f.near, f.radiusKm) : undefined;
  return db`
        select d.id, u.name, d.fee_cents, ${f.near ? distanceKm(db, f.near) : db`null::float8`} as distance_km,
               ${f.sort === 'rating' ? db`(select case when count(*) >= 5 then avg(r.stars) end from ratings r where r.doctor_id = d.id)` : db`null::numeric`} as rating
        from doctors d
        join users u on u.id = d.user_id
        join clinics c on c.id = d.clinic_id
        where true
          ${f.specialty ? db`and exists (select 1 from doctor_specialties ds where ds.doctor_id = d.id and ds.specialty_slug = ${f.specialty})` : db``}
          ${f.clinicId ? db`and d.clinic_id = ${f.clinicId}` : db``}
          ${f.language ? db`and ${f.language} = any(d.languages)` : db``}
          ${f.maxFee !== undefined ? db`and d.fee_cents <= ${f.maxFee}` : db``}
          ${
            like
              ? db`and (u.name ilike ${like} or c.name ilike ${like} or d.bio ilike ${like}
                       or exists (select 1 from doctor_specialties ds join specialties s on s.slug = ds.specialty_slug
                                  where ds.doctor_id = d.id and s.name ilike ${like}))`
              : db``
          }
          ${
            f.worksOn
              ? db`and exists (select 1 from availability_rules r where r.doctor_id = d.id and r.weekday = ${f.worksOn.weekday}
                       and (r.valid_from is null or r.valid_from <= ${f.worksOn.date}::date)
                       and (r.valid_to is null or r.valid_to >= ${f.worksOn.date}::date))`
              : db``
          }
          ${box ? db`and c.lat between ${box.minLat} and ${box.maxLat} and c.lon between ${box.minLon} and ${box.maxLon}` : db``}`;
}

/** Haversine in SQL, same formula and radius as geo.ts. */
const distanceKm = (db: Db, p: { lat: number; lon: number }) => db`
  (2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1, sqrt(
    power(sin(radians(c.lat - ${p.lat}::float8) / 2), 2) +
    cos(radians(${p.lat}::float8)) * cos(radians(c.lat)) * power(sin(radians(c.lon - ${p.lon}::float8) / 2), 2)))))`;

/** A doctor's public profile columns; `distance` is the distance_km column (or null). */
const details = (db: Db, distance: ReturnType<Db>) => db`
  select d.id, d.user_id, u.name, d.fee_cents, d.currency, d.languages, d.bio, d.min_notice_minutes, d.horizon_days,
         json_build_object('id', c.id, 'name', c.name, 'city', c.city, 'timezone', c.timezone) as clinic,
         coalesce((select json_agg(json_build_object('slug', s.slug, 'name', s.name) order by s.name)
                   from doctor_specialties ds join specialties s on s.slug = ds.specialty_slug
                   where ds.doctor_id = d.id), '[]') as specialties,
         (select case when count(*) >= 5 then json_build_object('average', round(avg(r.stars), 2)::float8, 'count', count(*))
                 end from ratings r where r.doctor_id = d.id) as rating,
         ${distance} as distance_km
  from doctors d
  join users u on u.id = d.user_id
  join clinics c on c.id = d.clinic_id`;

function toDoctor(row: DoctorRow): Doctor {
  const { distanceKm: km, ...rest } = row;
  return km === null ? rest : { ...rest, distanceKm: Math.round(km * 100) / 100 };
}

export async function searchDoctors(db: Db, f: DoctorFilter): Promise<Doctor[]> {
  // Filter, order and page on ids and sort keys first; build profiles only for the page.
  const rows = await db<DoctorRow[]>`
    with page as (
      select * from (${candidates(db, f)}) found
      where ${f.radiusKm !== undefined ? db`distance_km <= ${f.radiusKm}` : db`true`}
      order by ${orderOf(db, f, 'found')}
      limit ${f.limit} offset ${f.offset}
    )
    ${details(db, db`page.distance_km`)}
    join page on page.id = d.id
    order by ${orderOf(db, f, 'page')}`;
  return rows.map(toDoctor);
}

/** Profiles of the given doctors, in that order (a page ordered outside SQL). */
export async function doctorsByIds(
  db: Db,
  ids: readonly { id: string; distanceKm: number | null }[],
): Promise<Doctor[]> {
  if (ids.length === 0) return [];
  const rows = await db<DoctorRow[]>`
    with page as (select * from unnest(${ids.map((x) => x.id)}::uuid[], ${ids.map((x) => x.distanceKm ?? -1)}::float8[])
                  with ordinality as p(id, distance_km, ord))
    ${details(db, db`nullif(page.distance_km, -1)`)}
    join page on page.id = d.id
    order by page.ord`;
  return rows.map(toDoctor);
}

export async function findDoctor(db: Db, id: string): Promise<Doctor | undefined> {
  const [row] = await db<DoctorRow[]>`${details(db, db`null::float8`)} where d.id = ${id}`;
  return row ? toDoctor(row) : undefined;
}

export async function findDoctorByUser(db: Db, userId: string): Promise<{ id: string } | undefined> {
  const [row] = await db<{ id: string }[]>`select id from doctors where user_id = ${userId}`;
  return row;
}

export async function userRole(db: Db, userId: string): Promise<string | undefined> {
  const [row] = await db<{ role: string }[]>`select role from users where id = ${userId}`;
  return row?.role;
}

export async function insertDoctor(db: Db, d: DoctorInput): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into doctors (user_id, clinic_id, fee_cents, currency, languages, bio, min_notice_minutes, horizon_days)
    values (${d.userId}, ${d.clinicId}, ${d.feeCents}, ${d.currency}, ${d.languages}, ${d.bio ?? null},
            ${d.minNoticeMinutes}, ${d.horizonDays})
    returning id`;
  await setSpecialties(db, row!.id, d.specialties);
  return row!.id;
}

export async function updateDoctor(db: Db, id: string, patch: DoctorPatchInput): Promise<boolean> {
  const { specialties, ...rest } = patch;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  // postgres.js only expands db(fields) as `col = value` pairs right after the keyword `set`, not inside a fragment.
  const [row] = Object.keys(fields).length
    ? await db<
        { id: string }[]
      >`update doctors set ${db(fields)}, updated_at = now() where id = ${id} returning id`
    : await db<{ id: string }[]>`update doctors set updated_at = now() where id = ${id} returning id`;
  if (!row) return false;
  if (specialties) await setSpecialties(db, id, specialties);
  return true;
}

async function setSpecialties(db: Db, doctorId: string, slugs: string[]): Promise<void> {
  await db`delete from doctor_specialties where doctor_id = ${doctorId}`;
  const unique = [...new Set(slugs)];
  await db`insert into doctor_specialties ${db(unique.map((slug) => ({ doctorId, specialtySlug: slug })))}`;
}

export async function listSpecialties(db: Db): Promise<{ slug: string; name: string }[]> {
  return db<{ slug: string; name: string }[]>`select slug, name from specialties order by name`;
}
