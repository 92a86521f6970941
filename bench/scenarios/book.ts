import postgres from 'postgres';
import { type HttpLoadResult, httpLoad } from '../lib/http-load.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { median, Recorder } from '../lib/stats.js';

const SLOT_MS = 15 * 60_000;
const DAY = 86_400_000;
const CONNECTIONS = 16;

/**
 * POST /v1/appointments {doctorId, start} from 16 connections, every request a distinct free slot and
 * a distinct patient token, against 16 postgres.js workers doing single-row INSERTs into a plain table
 * in the same database (one commit each, like a booking).
 *
 * Slot plan: request k books doctor k % D at base + ⌊k / D⌋ slots, as patient k % P. With P ≥ D a
 * patient never gets two requests at the same time (they would be k apart by a multiple of P < D), so
 * neither exclusion constraint can fire: any 409 means the plan is wrong. Every run sends a fixed
 * amount of requests (autocannon waits for all of them), so the 201s can be checked against SQL.
 */
export const book: Scenario = {
  name: 'book',
  title: 'booking commits over HTTP',
  async run(ctx, progress) {
    const doctorCount = ctx.quick ? 40 : 200;
    const patientCount = ctx.quick ? 200 : 3000;
    const seconds = ctx.quick ? 1 : 8;
    const repeats = ctx.quick ? 1 : 3;
    const steps = 2 * repeats + 3;

    const env = await ctx.freshEnv('book');
    const clinic = await seedClinic(env.sql, { timezone: 'UTC' });
    const doctors = await seedDoctors(env.sql, [clinic], doctorCount, { rules: allDay(15) });
    progress(1, steps, 'seeding patients');
    const patients = await seedPatients(ctx, env.sql, patientCount);
    await env.sql`create table bench_insert(id bigserial primary key, v text)`;
    const hub = await ctx.startHub(env);
    progress(2, steps, 'warm-up');

    // Day after tomorrow 00:00 UTC: all reminders (24h, 2h) are still ahead and none fires meanwhile.
    const base = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
    let k = 0;
    const next = () => {
      const i = k++;
      const doctor = doctors[i % doctorCount]!;
      const start = base + Math.floor(i / doctorCount) * SLOT_MS;
      return {
        method: 'POST' as const,
        path: '/v1/appointments',
        headers: { authorization: `Bearer ${patients[i % patientCount]!.token}` },
        body: JSON.stringify({ doctorId: doctor.id, start: new Date(start).toISOString() }),
      };
    };

    let created = 0;
    const problems = { status4xx: 0, status5xx: 0, errors: 0 };
    /** A fixed number of bookings; rate = requests over the wall time of the whole run. */
    const bookings = async (amount: number) => {
      const started = performance.now();
      const r = await httpLoad({ url: hub.url, connections: CONNECTIONS, amount, next });
      const elapsed = (performance.now() - started) / 1000;
      created += r.status2xx;
      problems.status4xx += r.status4xx;
      problems.status5xx += r.status5xx;
      problems.errors += r.errors;
      return { ...r, rate: r.requests / elapsed, elapsed };
    };

    const pool = postgres(env.databaseUrl, { max: CONNECTIONS, onnotice: () => {} });
    /** 16 workers inserting one row per statement until `seconds` have passed. */
    const inserts = async (forSeconds: number) => {
      const rec = new Recorder();
      let rows = 0;
      const started = performance.now();
      const deadline = started + forSeconds * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < deadline) {
            const t = performance.now();
            await pool`insert into bench_insert (v) values (${'bench'})`;
            rec.add(performance.now() - t);
            rows++;
          }
        }),
      );
      return { rate: rows / ((performance.now() - started) / 1000), ...rec.summary() };
    };

    try {
      // Warm-up: both paths, then size the measured runs from the warm-up booking rate.
      const warm = await bookings(ctx.quick ? 100 : 1500);
      await inserts(ctx.quick ? 0.5 : 2);
      // Each run books what the previous one managed in `seconds` (the warm-up is still JIT-cold).
      let amount = Math.max(CONNECTIONS, Math.round(warm.rate * seconds));
      progress(3, steps, 'measuring');

      const measured: (HttpLoadResult & { rate: number; elapsed: number })[] = [];
      const baseline: Awaited<ReturnType<typeof inserts>>[] = [];
      for (let i = 0; i < repeats; i++) {
        const m = await bookings(amount);
        measured.push(m);
        amount = Math.max(CONNECTIONS, Math.round(m.rate * seconds));
        progress(4 + 2 * i, steps);
        baseline.push(await inserts(m.elapsed));
        progress(5 + 2 * i, steps);
      }

      const [{ count }] = await env.sql<[{ count: number }]>`select count(*)::int as count from appointments`;
      if (count !== created)
        throw new Error(`appointments table has ${count} rows but the hub answered 201 ${created} times`);

      const rate = median(measured.map((m) => m.rate));
      const baseRate = median(baseline.map((b) => b.rate));
      const p99 = median(measured.map((m) => m.p99));
      const ratio = rate / baseRate;
      const clean = problems.status4xx + problems.status5xx + problems.errors === 0;
      return {
        measure: [
          fig('bookings', rate, '/s'),
          fig('p50', median(measured.map((m) => m.p50)), 'ms'),
          fig('p99', p99, 'ms'),
        ],
        baseline: [
          fig('INSERTs', baseRate, 'rows/s'),
          fig('p50', median(baseline.map((b) => b.p50)), 'ms'),
          fig('p99', median(baseline.map((b) => b.p99)), 'ms'),
        ],
        ratio,
        target: 'ratio ≥ 0.5, p99 < 25 ms, no 4xx/5xx',
        met: ratio >= 0.5 && p99 < 25 && clean,
        details: {
          connections: CONNECTIONS,
          repeats,
          doctors: doctorCount,
          patients: patientCount,
          appointments: count,
          ...problems,
          runs: measured.map((m) => ({
            bookings: m.requests,
            rate: Math.round(m.rate),
            seconds: Math.round(m.elapsed * 10) / 10,
            p50: m.p50,
            p99: m.p99,
          })),
          baselineRuns: baseline.map((b) => ({ rate: Math.round(b.rate), p50: b.p50, p99: b.p99 })),
        },
      };
    } finally {
      // An idle hub still sweeps and polls, and holds 20 connections: later scenarios need neither.
      await Promise.all([pool.end({ timeout: 5 }), hub.stop()]);
    }
  },
};
