import { refreshRollup } from '../analytics/analytics.store.js';
import type { Sql } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import { DEMO_DOMAIN } from './demo-data.js';

const FIRST = [
  'Alex',
  'Maria',
  'Jonas',
  'Lena',
  'Omar',
  'Yuki',
  'Priya',
  'Liam',
  'Sofia',
  'Noah',
  'Aisha',
  'Mateo',
  'Emma',
  'Chen',
  'Ines',
  'Kofi',
  'Hannah',
  'Luca',
  'Amara',
  'Felix',
];
const LAST = [
  'Schmidt',
  'Garcia',
  'Nguyen',
  'Okafor',
  'Rossi',
  'Kowalski',
  'Tanaka',
  'Murphy',
  'Silva',
  'Haddad',
  'Berg',
  'Patel',
  'Novak',
  'Fischer',
  'Dubois',
  'Costa',
  'Jensen',
  'Ali',
  'Walsh',
  'Weber',
];

/** How many counter patients (no login) the history draws from. */
const POOL = 400;

/**
 * `npm run seed -- --history N`: N days of past appointments for the demo doctors, so analytics mean
 * something in a demo. Set-based SQL (a few statements whatever N is): every slot of each doctor's
 * weekly rules on each past day is taken with a probability shaped by weekday, hour and season; of
 * those, some are cancelled (mostly by patients, some late), some missed, the rest completed with an
 * arrival, a wait and a consultation. A frequent few patients come back often. Doctors that already
 * have past appointments are left alone, so running it twice adds nothing.
 */
export async function seedHistory(sql: Sql, logger: Logger, days: number): Promise<void> {
  const started = Date.now();
  await sql`
    insert into users (email, name, role)
    select 'history.' || g || ${`@${DEMO_DOMAIN}`},
           (${FIRST}::text[])[1 + (g * 7) % ${FIRST.length}] || ' ' || (${LAST}::text[])[1 + (g * 13 + g / ${FIRST.length}) % ${LAST.length}],
           'patient'
    from generate_series(1, ${POOL}) g
    on conflict ((lower(email))) do nothing`;
  const result = await sql`
    with pool as (
      select array_agg(id order by email) as ids from users where email like ${`history.%@${DEMO_DOMAIN}`}
    ),
    docs as (
      select d.id as doctor_id, d.user_id, d.clinic_id, c.timezone, d.fee_cents, d.currency,
             (select s.id from users s where s.role = 'staff' and s.clinic_id = d.clinic_id limit 1) as staff_id
      from doctors d join clinics c on c.id = d.clinic_id join users u on u.id = d.user_id
      where u.email like ${`%@${DEMO_DOMAIN}`}
        and not exists (select 1 from appointments a where a.doctor_id = d.id and lower(a.during) < now() - interval '1 day')
    ),
    slots as (
      select docs.*, day, r.slot_minutes,
             ((day + make_interval(mins => m)) at time zone docs.timezone) as start,
             extract(isodow from day)::int as weekday, m / 60 as hour, extract(month from day)::int as month,
             random() as take, random() as fate, random() as who, random() as r1, random() as r2, random() as r3
      from docs
      join availability_rules r on r.doctor_id = docs.doctor_id
      join generate_series(current_date - ${days}::int, current_date - 1, interval '1 day') as g(day)
        on extract(isodow from g.day) = r.weekday
         and (r.valid_from is null or g.day >= r.valid_from) and (r.valid_to is null or g.day <= r.valid_to)
      cross join lateral generate_series(
        split_part(r.start_time, ':', 1)::int * 60 + split_part(r.start_time, ':', 2)::int,
        split_part(r.end_time, ':', 1)::int * 60 + split_part(r.end_time, ':', 2)::int - r.slot_minutes,
        r.slot_minutes) as m
    ),
    taken as (
      select *,
        -- Mondays and mornings are busiest, Fridays and late afternoons quieter, winter busier.
        least(0.95, 0.55 + case weekday when 1 then 0.25 when 2 then 0.1 when 5 then -0.15 else 0 end
                         + case when hour < 12 then 0.1 when hour >= 16 then -0.1 else 0 end
                         + case when month in (1, 2, 12) then 0.08 when month in (7, 8) then -0.12 else 0 end) as busy,
        case when fate < 0.09 then 'cancelled' when fate < 0.15 then 'no_show' else 'completed' end as status,
        r1 < 0.05 as walk_in,
        -- Lead times skew short: many book within days, a few weeks ahead.
        interval '1 hour' * (1 + power(r2, 2.5) * 24 * 40) as lead
      from slots
    )
    insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency, walk_in,
      created_at, arrived_at, started_at, completed_at, cancelled_at, cancelled_by)
    select t.doctor_id,
      -- A skewed draw: a frequent few return often, many come once.
      pool.ids[1 + floor(power(t.r3, 1.6) * array_length(pool.ids, 1))::int],
      t.clinic_id, tstzrange(t.start, t.start + make_interval(mins => t.slot_minutes)), t.status, t.fee_cents, t.currency,
      t.walk_in and t.status = 'completed',
      case when t.walk_in and t.status = 'completed' then t.start - interval '15 minutes' else t.start - t.lead end,
      case when t.status = 'completed' then t.start - make_interval(secs => 60 * (2 + 18 * t.r1)) end,
      case when t.status = 'completed' then t.start + make_interval(secs => 60 * (25 * t.r2 - 3)) end,
      case when t.status = 'completed'
        then t.start + make_interval(secs => 60 * (25 * t.r2 - 3 + t.slot_minutes * (0.55 + 0.5 * t.r3))) end,
      case when t.status = 'cancelled' then t.start - t.lead * t.r1 end,
      case when t.status = 'cancelled' then
        case when t.who < 0.7 then null when t.who < 0.85 then t.user_id else t.staff_id end end
    from taken t cross join pool
    where t.take < t.busy and t.start < now() - interval '1 hour'`;
  // A patient's own cancellations carry their id (null above keeps the draw in one statement).
  await sql`
    update appointments set cancelled_by = patient_id
    where status = 'cancelled' and cancelled_by is null
      and patient_id in (select id from users where email like ${`history.%@${DEMO_DOMAIN}`})`;
  const refreshed = await refreshRollup(sql);
  logger.info(
    { days, appointments: result.count, rollupDays: refreshed, ms: Date.now() - started },
    'demo history seeded',
  );
}
