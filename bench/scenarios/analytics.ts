import { rebuildAnalytics } from '../../src/analytics/analytics.store.js';
import { type HttpLoadResult, httpLoad } from '../lib/http-load.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { seedClinic, seedDoctors, seedPatientRows } from '../lib/seed.js';
import { median, Recorder, repeat } from '../lib/stats.js';

const TZ = 'Europe/Berlin';
const TARGET_MS = 100;

/**
 * GET /v1/doctors/:id/analytics and /v1/clinics/:id/analytics for a whole year, over 1,000,000 past
 * appointments (100 doctors at 10 clinics, 5 years, weekdays 08:00–18:00, 8 of 20 half-hour slots a
 * day taken) written by one INSERT … SELECT; the rollup is warmed the way the seed does it. The answer
 * is checked once against a count in SQL. Baseline: in the same run, `select count(*)` over that
 * doctor's appointments (all five years), straight from this process to Postgres — the floor of
 * reading anything about one doctor at all. `--quick`: 10 doctors, one year.
 */
export const analytics: Scenario = {
  name: 'analytics',
  title: 'analytics, a year of one doctor and of one clinic, 1M appointments',
  async run(ctx, progress) {
    const doctorCount = ctx.quick ? 10 : 100;
    const clinicCount = ctx.quick ? 2 : 10;
    const years = ctx.quick ? 1 : 5;
    const seconds = ctx.quick ? 1 : 5;
    const repeats = ctx.quick ? 1 : 3;
    const connections = 2;
    const steps = 4 + 2 * repeats;

    const env = await ctx.freshEnv('analytics');
    const clinics: string[] = [];
    for (let i = 0; i < clinicCount; i++)
      clinics.push(await seedClinic(env.sql, { timezone: TZ, name: `Clinic ${i}` }));
    const rules = [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      start: '08:00',
      end: '18:00',
      slotMinutes: 30,
    }));
    const doctors = await seedDoctors(env.sql, clinics, doctorCount, { rules });
    const patients = await seedPatientRows(env.sql, ctx.quick ? 2000 : 20_000);
    progress(1, steps, 'writing appointments');

    const started = Date.now();
    // A bulk load: the row-marking trigger stays off and the rollup is rebuilt in one pass after.
    await env.sql`alter table appointments disable trigger appointments_analytics_insert`;
    const inserted = await env.sql`
      with docs as (
        select d.id, d.clinic_id, row_number() over (order by d.id) as n
        from doctors d where d.id = any(${doctors.map((d) => d.id)}::uuid[])
      ),
      pool as (select ${patients}::uuid[] as ids)
      insert into appointments (doctor_id, patient_id, clinic_id, during, status, fee_cents, currency,
        created_at, arrived_at, started_at, completed_at, cancelled_at)
      select d.id, pool.ids[1 + (h % array_length(pool.ids, 1))], d.clinic_id,
        tstzrange(s.start, s.start + interval '30 minutes'),
        case when h % 100 < 8 then 'cancelled' when h % 100 < 13 then 'no_show' else 'completed' end,
        5000, 'EUR',
        s.start - interval '1 hour' * (2 + h % 500),
        case when h % 100 >= 13 then s.start - interval '1 minute' * (h % 17) end,
        case when h % 100 >= 13 then s.start + interval '1 minute' * (h % 11) end,
        case when h % 100 >= 13 then s.start + interval '1 minute' * (12 + h % 23) end,
        case when h % 100 < 8 then s.start - interval '1 hour' * (h % 90) end
      from docs d
      cross join pool
      cross join lateral (select current_date - 1 - dn as day from generate_series(0, ${years * 365 - 1}::int) dn) g
      cross join generate_series(0, 19) as slot
      cross join lateral (select (g.day + interval '8 hours' + slot * interval '30 minutes') at time zone ${TZ} as start) s
      cross join lateral (select abs(hashint8(d.n * 1000003 + slot * 7919 + (g.day - date '2000-01-01'))) as h) r
      where extract(isodow from g.day) <= 5 and (slot + (g.day - date '2000-01-01') + d.n) % 5 < 2`;
    const writeMs = Date.now() - started;
    progress(2, steps, 'warming the rollup');
    const rollupStarted = Date.now();
    await env.sql`alter table appointments enable trigger appointments_analytics_insert`;
    await rebuildAnalytics(env.sql);
    const rollupMs = Date.now() - rollupStarted;
    const [{ rollupDays } = { rollupDays: 0 }] = await env.sql<{ rollupDays: number }[]>`
      select count(*)::int as rollup_days from analytics_doctor_days`;
    await env.sql`analyze`;

    const [admin] = await env.sql<{ id: string }[]>`
      insert into users (email, password_hash, name, role) values ('admin@bench.test', '!', 'Admin', 'admin') returning id`;
    const [family] = await env.sql<
      { id: string }[]
    >`insert into refresh_families (user_id) values (${admin!.id}) returning id`;
    const token = await ctx.mint({ id: admin!.id, role: 'admin' }, family!.id);
    const doctor = doctors[0]!;
    const year = new Date().getUTCFullYear() - 1;
    const range = `from=${year}-01-01&to=${year}-12-31`;
    const doctorPath = `/v1/doctors/${doctor.id}/analytics?${range}`;
    const clinicPath = `/v1/clinics/${doctor.clinicId}/analytics?${range}`;

    const hub = await ctx.startHub(env);
    try {
      progress(3, steps, 'checking answers');
      const headers = { authorization: `Bearer ${token}` };
      const answer = (await (await fetch(`${hub.url}${doctorPath}`, { headers })).json()) as {
        bookings: number;
      };
      const [truth] = await env.sql<{ n: number }[]>`
        select count(*)::int as n from appointments
        where doctor_id = ${doctor.id} and (lower(during) at time zone ${TZ})::date between ${`${year}-01-01`} and ${`${year}-12-31`}`;
      if (answer.bookings !== truth!.n)
        throw new Error(`doctor year: ${answer.bookings} bookings, SQL counts ${truth!.n}`);
      const clinic = (await (await fetch(`${hub.url}${clinicPath}`, { headers })).json()) as {
        doctors: unknown[];
      };
      if (clinic.doctors.length !== doctorCount / clinicCount)
        throw new Error('clinic year: wrong number of doctors');

      const run = (path: string) =>
        httpLoad({ url: hub.url, connections, durationSeconds: seconds, next: () => ({ path, headers }) });
      await run(doctorPath);
      const doctorRuns: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run(doctorPath);
        progress(4 + i, steps, 'doctor year');
        return r;
      });
      const clinicRuns: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run(clinicPath);
        progress(4 + repeats + i, steps, 'clinic year');
        return r;
      });
      if ([...doctorRuns, ...clinicRuns].some((m) => m.status2xx !== m.requests || m.errors > 0))
        throw new Error('analytics answered non-2xx or errors under load');

      // The floor: counting that doctor's appointments, same database, same run.
      const floor = new Recorder();
      for (let i = 0; i < (ctx.quick ? 50 : 300); i++) {
        const t = performance.now();
        await env.sql`select count(*) from appointments where doctor_id = ${doctor.id}`;
        floor.add(performance.now() - t);
      }
      const f = floor.summary();
      const p = (runs: HttpLoadResult[], k: 'p50' | 'p99' | 'rps') => median(runs.map((r) => r[k]));
      const doctorP99 = p(doctorRuns, 'p99');
      const clinicP99 = p(clinicRuns, 'p99');
      return {
        measure: [
          fig('doctor year p99', doctorP99, 'ms'),
          fig('clinic year p99', clinicP99, 'ms'),
          fig('doctor year p50', p(doctorRuns, 'p50'), 'ms'),
          fig('clinic year p50', p(clinicRuns, 'p50'), 'ms'),
        ],
        baseline: [fig('count(*) p99', f.p99, 'ms'), fig('count(*) p50', f.p50, 'ms')],
        ratio: Math.max(f.p99, 1) / Math.max(doctorP99, 1),
        target: `p99 ≤ ${TARGET_MS} ms for a doctor's year and a clinic's year`,
        met: doctorP99 <= TARGET_MS && clinicP99 <= TARGET_MS,
        details: {
          appointments: inserted.count,
          doctors: doctorCount,
          clinics: clinicCount,
          years,
          writeSeconds: writeMs / 1000,
          rollupSeconds: rollupMs / 1000,
          rollupDays,
          doctorYearBookings: truth!.n,
          connections,
          seconds,
          repeats,
          doctorRate: p(doctorRuns, 'rps'),
          clinicRate: p(clinicRuns, 'rps'),
          countStar: f,
        },
      };
    } finally {
      await hub.stop();
    }
  },
};
