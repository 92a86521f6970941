import type { Db, Sql } from '../infra/postgres.js';
import type { DayCounts, DayRow } from './figures.js';

/**
 * All of the analytics SQL. One query shape builds a doctor's figures per clinic-local day — straight
 * from the appointments for short ranges, and into the rollup table (analytics_doctor_days, 0030) for
 * long ones — so both paths share every definition.
 */

/** Whose appointments: one doctor's (wherever they practised), or one clinic's. */
export type Scope = { doctorId: string } | { clinicId: string };

/** Local dates, inclusive. */
export interface DayRange {
  from: string;
  to: string;
}

const minutes = (db: Db, interval: ReturnType<Db>) => db`floor(extract(epoch from ${interval}) / 60)::int`;

/** The per-day figures of the appointments `a` (clinic `c`, canceller `u`), grouped by local day. */
function dayFigures(db: Db) {
  const sorted = (value: ReturnType<Db>, when: ReturnType<Db>) =>
    db`coalesce(array_agg(${value} order by ${value}) filter (where ${when}), '{}')`;
  const cancelledBy = (role: string) =>
    db`count(*) filter (where a.status = 'cancelled' and u.role = ${role})::int`;
  return db`
    a.clinic_id, a.doctor_id, (lower(a.during) at time zone c.timezone)::date as day,
    count(*)::int as bookings,
    coalesce(sum(${minutes(db, db`upper(a.during) - lower(a.during)`)}) filter (where a.status <> 'cancelled'), 0)::int
      as booked_minutes,
    count(*) filter (where a.status = 'completed')::int as completed,
    count(*) filter (where a.status = 'cancelled')::int as cancelled,
    count(*) filter (where a.status = 'no_show')::int as no_shows,
    ${cancelledBy('patient')} as cancelled_by_patient,
    ${cancelledBy('doctor')} as cancelled_by_doctor,
    ${cancelledBy('staff')} as cancelled_by_staff,
    ${cancelledBy('admin')} as cancelled_by_admin,
    count(*) filter (where a.status = 'cancelled' and u.id is null)::int as cancelled_by_system,
    coalesce(sum(a.fee_cents) filter (where a.status = 'completed'), 0)::bigint as revenue_cents,
    ${sorted(db`extract(hour from lower(a.during) at time zone c.timezone)::int`, db`a.status <> 'cancelled'`)}
      as start_hours,
    ${sorted(db`greatest(0, ${minutes(db, db`lower(a.during) - a.created_at`)})`, db`not a.walk_in`)} as lead_minutes,
    ${sorted(
      db`greatest(0, ${minutes(db, db`a.started_at - a.arrived_at`)})`,
      db`a.arrived_at is not null and a.started_at is not null`,
    )} as wait_minutes,
    ${sorted(
      db`greatest(0, ${minutes(db, db`a.completed_at - a.started_at`)})`,
      db`a.status = 'completed' and a.started_at is not null and a.completed_at is not null`,
    )} as consultation_minutes,
    ${sorted(
      db`greatest(0, ${minutes(db, db`lower(a.during) - a.cancelled_at`)})`,
      db`a.status = 'cancelled' and a.cancelled_at is not null`,
    )} as cancel_notice_minutes,
    coalesce(array_agg(distinct a.patient_id) filter (where a.status <> 'cancelled'), '{}') as patient_ids`;
}

const COUNT_COLUMNS = `clinic_id, doctor_id, day::text as day, bookings, booked_minutes, completed, cancelled,
  no_shows, cancelled_by_patient, cancelled_by_doctor, cancelled_by_staff, cancelled_by_admin,
  cancelled_by_system, revenue_cents::float8 as revenue_cents, start_hours`;
const ROW_COLUMNS = `${COUNT_COLUMNS}, lead_minutes, wait_minutes, consultation_minutes, cancel_notice_minutes,
  patient_ids`;

const scopeFilter = (db: Db, scope: Scope, alias: string) =>
  'doctorId' in scope
    ? db`${db(alias)}.doctor_id = ${scope.doctorId}`
    : db`${db(alias)}.clinic_id = ${scope.clinicId}`;

/**
 * The day rows of a range computed from the appointments themselves. The instant filter is a day wider
 * on each side (an index range); the local-day filter is the exact one.
 */
function directDaysQuery(db: Db, scope: Scope, range: DayRange) {
  return db`
    select ${dayFigures(db)}
    from appointments a
    join clinics c on c.id = a.clinic_id
    left join users u on u.id = a.cancelled_by
    where ${scopeFilter(db, scope, 'a')}
      and lower(a.during) >= ${range.from}::date - 1 and lower(a.during) < ${range.to}::date + 2
      and (lower(a.during) at time zone c.timezone)::date between ${range.from}::date and ${range.to}::date
    group by a.clinic_id, a.doctor_id, day`;
}

/** The rollup rows of a range, as they stand (see rollupDays for the refresh first). */
const rollupQuery = (db: Db, scope: Scope, range: DayRange) =>
  db`select * from analytics_doctor_days r
     where ${scopeFilter(db, scope, 'r')} and day between ${range.from}::date and ${range.to}::date`;

/** Where day rows come from: the appointments (short ranges) or the rollup (long ones, refreshed first). */
export type Source = 'direct' | 'rollup';

const daysQuery = (db: Db, scope: Scope, range: DayRange, source: Source) =>
  source === 'rollup' ? rollupQuery(db, scope, range) : directDaysQuery(db, scope, range);

/** Day rows with every value (tests compare the two sources with these). */
export async function directDays(db: Db, scope: Scope, range: DayRange): Promise<DayRow[]> {
  return db<DayRow[]>`select ${db.unsafe(ROW_COLUMNS)} from (${directDaysQuery(db, scope, range)}) d`;
}

/** The day rows' counts (no per-appointment values: percentiles come from valueStats). */
export async function dayCounts(db: Db, scope: Scope, range: DayRange, source: Source): Promise<DayCounts[]> {
  if (source === 'rollup') await refreshRollup(db, scope, range);
  const days = daysQuery(db, scope, range, source);
  return db<DayCounts[]>`select ${db.unsafe(COUNT_COLUMNS)} from (${days}) d`;
}

/** Percentiles (and, for cancellation notice, the buckets) of a metric, per doctor or (null) for all. */
export interface ValueStats {
  doctorId: string | null;
  metric: 'lead' | 'wait' | 'consultation' | 'notice';
  p50: number | null;
  p90: number | null;
  under2h: number;
  under24h: number;
  under7d: number;
  weekOrMore: number;
}

/**
 * The per-appointment values of the day rows summed up in Postgres (percentile_cont, the same
 * interpolation as figures.ts `percentile`), so a year's values never travel to the hub. For the
 * rollup source, call dayCounts first: it refreshes the range.
 */
export async function valueStats(
  db: Db,
  scope: Scope,
  range: DayRange,
  source: Source,
): Promise<ValueStats[]> {
  const days = daysQuery(db, scope, range, source);
  const rows = await db<(Omit<ValueStats, 'p50' | 'p90'> & { p: [number, number] })[]>`
    select d.doctor_id, m.metric,
      (percentile_cont(array[0.5, 0.9]) within group (order by m.v))::float8[] as p,
      count(*) filter (where m.v < 120)::int as under2h,
      count(*) filter (where m.v >= 120 and m.v < 1440)::int as under24h,
      count(*) filter (where m.v >= 1440 and m.v < 10080)::int as under7d,
      count(*) filter (where m.v >= 10080)::int as week_or_more
    from (${days}) d
    cross join lateral (
      select 'lead' as metric, v from unnest(d.lead_minutes) v
      union all select 'wait', v from unnest(d.wait_minutes) v
      union all select 'consultation', v from unnest(d.consultation_minutes) v
      union all select 'notice', v from unnest(d.cancel_notice_minutes) v
    ) m
    group by grouping sets ((d.doctor_id, m.metric), (m.metric))`;
  return rows.map(({ p, ...rest }) => ({ ...rest, p50: p[0], p90: p[1] }));
}

/**
 * Rebuilds the rollup rows of the scope's dirty days inside the range, in one statement: the dirty
 * marks are taken (deleted), their days recomputed from the appointments and upserted, and the rows of
 * days left without appointments deleted. A write that lands meanwhile marks its day dirty again.
 * Without a scope, every dirty day is rebuilt (the seed and the bench warm the rollup so).
 */
export async function refreshRollup(db: Db, scope?: Scope, range?: DayRange): Promise<number> {
  const where = db`true ${scope ? db`and ${scopeFilter(db, scope, 'analytics_dirty_days')}` : db``}
    ${range ? db`and day between ${range.from}::date and ${range.to}::date` : db``}`;
  const result = await db`
    with dirty as (
      delete from analytics_dirty_days where ${where} returning clinic_id, doctor_id, day
    ),
    fresh as (
      select ${dayFigures(db)}
      from dirty d
      join clinics c on c.id = d.clinic_id
      join appointments a on a.doctor_id = d.doctor_id and a.clinic_id = d.clinic_id
        and lower(a.during) >= (d.day::timestamp at time zone c.timezone)
        and lower(a.during) < ((d.day + 1)::timestamp at time zone c.timezone)
      left join users u on u.id = a.cancelled_by
      group by a.clinic_id, a.doctor_id, (lower(a.during) at time zone c.timezone)::date
    ),
    emptied as (
      delete from analytics_doctor_days r using dirty d
      where r.doctor_id = d.doctor_id and r.clinic_id = d.clinic_id and r.day = d.day
        and not exists (select 1 from fresh f where f.doctor_id = d.doctor_id and f.clinic_id = d.clinic_id and f.day = d.day)
    )
    insert into analytics_doctor_days as r select * from fresh
    on conflict (doctor_id, day, clinic_id) do update set
      bookings = excluded.bookings, booked_minutes = excluded.booked_minutes, completed = excluded.completed,
      cancelled = excluded.cancelled, no_shows = excluded.no_shows,
      cancelled_by_patient = excluded.cancelled_by_patient, cancelled_by_doctor = excluded.cancelled_by_doctor,
      cancelled_by_staff = excluded.cancelled_by_staff, cancelled_by_admin = excluded.cancelled_by_admin,
      cancelled_by_system = excluded.cancelled_by_system, revenue_cents = excluded.revenue_cents,
      start_hours = excluded.start_hours, lead_minutes = excluded.lead_minutes, wait_minutes = excluded.wait_minutes,
      consultation_minutes = excluded.consultation_minutes, cancel_notice_minutes = excluded.cancel_notice_minutes,
      patient_ids = excluded.patient_ids`;
  return result.count;
}

/**
 * Rebuilds the rollup and the first visits from scratch in one pass over the appointments each, for
 * bulk loads (the bench writes a million rows with the row-marking trigger off). In one transaction
 * whose truncate holds off concurrent writers' triggers until it commits, so no change is missed.
 */
export async function rebuildAnalytics(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`truncate analytics_dirty_days, analytics_doctor_days, analytics_first_visits, analytics_first_clinic_visits`;
    await tx`
      insert into analytics_doctor_days
      select ${dayFigures(tx)}
      from appointments a join clinics c on c.id = a.clinic_id left join users u on u.id = a.cancelled_by
      group by a.clinic_id, a.doctor_id, (lower(a.during) at time zone c.timezone)::date`;
    await tx`
      insert into analytics_first_visits
      select doctor_id, patient_id, min(lower(during)) from appointments where status <> 'cancelled' group by 1, 2`;
    await tx`
      insert into analytics_first_clinic_visits
      select clinic_id, patient_id, min(lower(during)) from appointments where status <> 'cancelled' group by 1, 2`;
  });
}

/** The day rows of a range from the rollup with every value, after rebuilding its dirty days. */
export async function rollupDays(db: Db, scope: Scope, range: DayRange): Promise<DayRow[]> {
  await refreshRollup(db, scope, range);
  return db<DayRow[]>`select ${db.unsafe(ROW_COLUMNS)} from (${rollupQuery(db, scope, range)}) d`;
}

/** New and returning patients of a range: per doctor, and (doctorId null) for the whole scope. */
export interface PatientMix {
  doctorId: string | null;
  newPatients: number;
  returningPatients: number;
}

/**
 * Everyone with an appointment (not cancelled) in the range counts once (per doctor, and once for the
 * scope), from the day rows' patient lists. They are new when their first such appointment with that
 * doctor — for the scope's total: at that clinic, or with that doctor — ever (analytics_first_visits,
 * analytics_first_clinic_visits, 0030) falls inside the range, returning otherwise. For the rollup
 * source, call dayCounts first: it refreshes the range.
 */
export async function patientMix(
  db: Db,
  scope: Scope,
  range: DayRange,
  timezone: string,
  source: Source,
): Promise<PatientMix[]> {
  const days = daysQuery(db, scope, range, source);
  const start = db`(${range.from}::date::timestamp at time zone ${timezone})`;
  const end = db`((${range.to}::date + 1)::timestamp at time zone ${timezone})`;
  const seen = await db<{ doctorId: string | null; patients: number }[]>`
    select d.doctor_id, count(distinct p)::int as patients
    from (${days}) d cross join lateral unnest(d.patient_ids) p
    group by grouping sets ((d.doctor_id), ())`;
  const doctorIds = seen.flatMap((s) => (s.doctorId ? [s.doctorId] : []));
  const firsts = await db<{ doctorId: string | null; patients: number }[]>`
    select f.doctor_id, count(*)::int as patients from analytics_first_visits f
    where f.doctor_id = any(${doctorIds}::uuid[]) and f.first_start >= ${start} and f.first_start < ${end}
    group by f.doctor_id
    ${
      'clinicId' in scope
        ? db`union all
          select null, count(*)::int from analytics_first_clinic_visits f
          where f.clinic_id = ${scope.clinicId} and f.first_start >= ${start} and f.first_start < ${end}`
        : db``
    }`;
  return seen.map((s) => {
    const whole = s.doctorId === null && 'doctorId' in scope ? scope.doctorId : s.doctorId;
    const first = firsts.find((f) => f.doctorId === whole)?.patients ?? 0;
    return { doctorId: s.doctorId, newPatients: first, returningPatients: s.patients - first };
  });
}

export interface DoctorSubject {
  doctorId: string;
  userId: string;
  name: string;
  clinicId: string;
  timezone: string;
  currency: string;
}

/** The doctors analytics are asked about: one by id, or every doctor of a clinic. */
export async function findDoctors(db: Db, by: { doctorId: string } | { clinicId: string }) {
  return db<DoctorSubject[]>`
    select d.id as doctor_id, d.user_id, u.name, d.clinic_id, c.timezone, d.currency
    from doctors d join users u on u.id = d.user_id join clinics c on c.id = d.clinic_id
    where ${'doctorId' in by ? db`d.id = ${by.doctorId}` : db`d.clinic_id = ${by.clinicId}`}
    order by u.name, d.id`;
}

export async function findClinic(db: Db, clinicId: string) {
  const [row] = await db<{ id: string; name: string; timezone: string }[]>`
    select id, name, timezone from clinics where id = ${clinicId}`;
  return row;
}
