import type { Db } from '../infra/postgres.js';
import type { CellKeys, ResearchDimension } from './research.schemas.js';

/** One patient's share of one cell: the cell's keys, and what that patient's appointments add to it. */
export interface CellShare {
  keys: CellKeys;
  patientId: string;
  appointments: number;
  completed: number;
  noShows: number;
  leadMinutes: number[];
}

/** Each dimension as SQL over an appointment `a` at clinic `c`, local time of the clinic. */
function dimension(db: Db, d: ResearchDimension) {
  const local = db`(lower(a.during) at time zone c.timezone)`;
  switch (d) {
    // A doctor with several specialties counts under the first (by slug), so cells never overlap.
    case 'specialty':
      return db`coalesce((select min(ds.specialty_slug) from doctor_specialties ds where ds.doctor_id = a.doctor_id), 'unspecified')`;
    case 'weekday':
      return db`extract(isodow from ${local})::int`;
    case 'hour':
      return db`extract(hour from ${local})::int`;
    case 'city':
      return db`c.city`;
    case 'month':
      return db`to_char(${local}, 'YYYY-MM')`;
  }
}

/**
 * The appointments (not cancelled) starting in local dates [from, to], grouped by the chosen
 * dimensions and by patient. Patient ids leave this query only to be counted (research.service.ts).
 */
export async function cellShares(
  db: Db,
  by: readonly ResearchDimension[],
  range: { from: string; to: string },
): Promise<CellShare[]> {
  const columns = by.reduce<ReturnType<Db> | undefined>(
    (list, d) => (list ? db`${list}, ${dimension(db, d)} as ${db(d)}` : db`${dimension(db, d)} as ${db(d)}`),
    undefined,
  );
  const groups = db.unsafe(by.map((_, i) => String(i + 1)).join(', '));
  const rows = await db<(Record<string, string | number> & Omit<CellShare, 'keys'>)[]>`
    select ${columns!}, a.patient_id,
      count(*)::int as appointments,
      count(*) filter (where a.status = 'completed')::int as completed,
      count(*) filter (where a.status = 'no_show')::int as no_shows,
      coalesce(array_agg(greatest(0, floor(extract(epoch from lower(a.during) - a.created_at) / 60)::int))
        filter (where not a.walk_in), '{}') as lead_minutes
    from appointments a join clinics c on c.id = a.clinic_id
    where a.status <> 'cancelled'
      and lower(a.during) >= ${range.from}::date - 1 and lower(a.during) < ${range.to}::date + 2
      and (lower(a.during) at time zone c.timezone)::date between ${range.from}::date and ${range.to}::date
    group by ${groups}, a.patient_id`;
  return rows.map((r) => ({
    keys: Object.fromEntries(by.map((d) => [d, r[d]!])) as CellKeys,
    patientId: r.patientId,
    appointments: r.appointments,
    completed: r.completed,
    noShows: r.noShows,
    leadMinutes: r.leadMinutes,
  }));
}
