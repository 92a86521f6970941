import { Temporal } from 'temporal-polyfill';
import { createHoldStore } from '../../src/booking/holds.store.js';
import { keyBuilder } from '../../src/infra/redis.js';
import { type HttpLoadResult, httpLoad } from '../lib/http-load.js';
import { latencyAgainstTrivialGet } from '../lib/latency-result.js';
import type { Scenario } from '../lib/scenario.js';
import { seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { repeat } from '../lib/stats.js';

const DAYS = 31;

/** GET /slots for 31 days of 15-minute slots (08:00–18:00 daily) with 300 appointments and 50 holds. */
export const slots: Scenario = {
  name: 'slots',
  title: '31-day slot board',
  async run(ctx, progress) {
    const env = await ctx.freshEnv('slots');
    const clinic = await seedClinic(env.sql, { timezone: 'Europe/Berlin' });
    const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      start: '08:00',
      end: '18:00',
      slotMinutes: 15,
    }));
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules });
    const [patient] = await seedPatients(ctx, env.sql, 1);
    const holders = await seedPatients(ctx, env.sql, 25);

    // 350 distinct slot starts over the next 31 days: 300 booked, 50 held.
    const today = Temporal.Now.plainDateISO('Europe/Berlin').add({ days: 1 });
    const starts: number[] = [];
    for (let d = 0; d < DAYS && starts.length < 350; d++) {
      for (let q = 0; q < 40 && starts.length < 350; q += 3) {
        const at = today.add({ days: d }).toZonedDateTime({
          timeZone: 'Europe/Berlin',
          plainTime: Temporal.PlainTime.from({ hour: 8 }).add({ minutes: q * 15 }),
        });
        starts.push(at.epochMilliseconds);
      }
    }
    await env.sql`insert into appointments ${env.sql(
      starts.slice(0, 300).map((s) => ({
        doctorId: doctor!.id,
        patientId: patient!.id,
        clinicId: clinic,
        during: `[${new Date(s).toISOString()},${new Date(s + 15 * 60_000).toISOString()})`,
        feeCents: 5000,
        currency: 'EUR',
      })),
    )}`;
    const holds = createHoldStore(ctx.redis, keyBuilder(env.prefix));
    for (const [i, s] of starts.slice(300, 350).entries()) {
      const r = await holds.place({
        doctorId: doctor!.id,
        patientId: holders[i % 25]!.id,
        start: s,
        end: s + 15 * 60_000,
        ttlMs: 3_600_000,
        maxPerPatient: 2,
      });
      if (!r.ok) throw new Error(`could not place hold ${i}: ${r.reason}`);
    }

    const hub = await ctx.startHub(env);
    const from = today.toString();
    const to = today.add({ days: DAYS - 1 }).toString();
    const board = (await (
      await fetch(`${hub.url}/v1/doctors/${doctor!.id}/slots?from=${from}&to=${to}`)
    ).json()) as { slots: { status: string }[] };
    const count = (status: string) => board.slots.filter((s) => s.status === status).length;
    if (board.slots.length !== DAYS * 40 || count('booked') !== 300 || count('held') !== 50) {
      throw new Error(
        `unexpected board: ${board.slots.length} slots, ${count('booked')} booked, ${count('held')} held`,
      );
    }

    const seconds = ctx.quick ? 1 : 8;
    const repeats = ctx.quick ? 1 : 3;
    const connections = 4;
    const slotsPath = `/v1/doctors/${doctor!.id}/slots?from=${from}&to=${to}`;
    const run = (path: string) =>
      httpLoad({ url: hub.url, connections, durationSeconds: seconds, next: () => ({ path }) });
    await run(slotsPath); // warm-up
    progress(1, 2 * repeats + 1, 'measuring');
    const measured: HttpLoadResult[] = await repeat(repeats, async (i) => {
      const r = await run(slotsPath);
      progress(2 + i, 2 * repeats + 1);
      return r;
    });
    const base: HttpLoadResult[] = await repeat(repeats, async (i) => {
      const r = await run('/healthz');
      progress(2 + repeats + i, 2 * repeats + 1);
      return r;
    });
    if (measured.some((m) => m.status5xx > 0 || m.errors > 0))
      throw new Error('slots answered 5xx or errors under load');
    return latencyAgainstTrivialGet(measured, base, 20, {
      connections,
      seconds,
      repeats,
      slots: board.slots.length,
      booked: 300,
      held: 50,
    });
  },
};
