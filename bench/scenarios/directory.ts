import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { type HttpLoadResult, httpLoad } from '../lib/http-load.js';
import { latencyAgainstTrivialGet } from '../lib/latency-result.js';
import type { Scenario } from '../lib/scenario.js';
import { seedClinic, seedDoctors } from '../lib/seed.js';
import { repeat } from '../lib/stats.js';

const CENTRE = { lat: 52.52, lon: 13.405 };
const TZ = 'Europe/Berlin';
const SPECIALTIES = [
  'general-practice',
  'internal-medicine',
  'pediatrics',
  'cardiology',
  'dermatology',
  'neurology',
];
const SLOT_MINUTES = 20;
/** Each doctor has its first 0…7 upcoming slots booked (at random), so nextAvailable varies. */
const BOOKED_MAX = 8;

/** Deterministic PRNG (mulberry32): the same city every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The next `n` slot starts of the weekday 08:00–18:00 rules after `now` (Berlin local time). */
function upcomingSlots(now: number, n: number): number[] {
  const out: number[] = [];
  const today = Temporal.Now.plainDateISO(TZ);
  for (let d = 0; out.length < n; d++) {
    const date = today.add({ days: d });
    if (date.dayOfWeek > 5) continue;
    for (let m = 8 * 60; m < 18 * 60 && out.length < n; m += SLOT_MINUTES) {
      const at = date.toZonedDateTime({
        timeZone: TZ,
        plainTime: Temporal.PlainTime.from({ hour: Math.floor(m / 60), minute: m % 60 }),
      }).epochMilliseconds;
      if (at > now + 60_000) out.push(at);
    }
  }
  return out;
}

interface Item {
  id: string;
  distanceKm?: number;
  nextAvailable?: string | null;
  specialties: { slug: string }[];
}

/**
 * GET /v1/doctors?near=…&specialty=…&limit=20 over 5,000 doctors at 100 clinics scattered within 30 km
 * of Berlin's centre (six specialties, weekday 08:00–18:00 rules in 20-minute slots). Each doctor has
 * its first 0–7 upcoming slots booked, so nextAvailable is computed against real appointments. Every
 * answer is checked once first: 20 items of the specialty, ordered by distance, each with a
 * nextAvailable that is not a booked slot. autocannon, 4 connections; baseline GET /healthz.
 */
export const directory: Scenario = {
  name: 'directory',
  title: 'directory search, 5,000 doctors',
  async run(ctx, progress) {
    const doctorCount = ctx.quick ? 1000 : 5000;
    const clinicCount = ctx.quick ? 20 : 100;
    const seconds = ctx.quick ? 1 : 8;
    const repeats = ctx.quick ? 1 : 3;
    const connections = 4;
    const steps = 2 * repeats + 3;

    const env = await ctx.freshEnv('directory');
    const rnd = prng(6);
    const clinics: string[] = [];
    for (let i = 0; i < clinicCount; i++) {
      const r = 30 * Math.sqrt(rnd());
      const theta = 2 * Math.PI * rnd();
      const lat = CENTRE.lat + (r * Math.cos(theta)) / 111.2;
      const lon = CENTRE.lon + (r * Math.sin(theta)) / (111.2 * Math.cos((lat * Math.PI) / 180));
      clinics.push(await seedClinic(env.sql, { timezone: TZ, lat, lon, name: `Clinic ${i}` }));
    }
    const rules = [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      start: '08:00',
      end: '18:00',
      slotMinutes: SLOT_MINUTES,
    }));
    const doctors = await seedDoctors(env.sql, clinics, doctorCount, {
      rules,
      specialty: (i) => SPECIALTIES[Math.floor(i / clinicCount) % SPECIALTIES.length]!,
    });
    progress(1, steps, 'seeding appointments');

    // One patient per doctor (a patient cannot be in two places at once), booked into its first slots.
    const upcoming = upcomingSlots(Date.now(), BOOKED_MAX);
    const booked = new Map<string, Set<number>>();
    const appointments: Record<string, unknown>[] = [];
    for (let i = 0; i < doctors.length; i += 1000) {
      const chunk = doctors.slice(i, i + 1000);
      const users = await env.sql<{ id: string }[]>`insert into users ${env.sql(
        chunk.map((_, j) => ({
          email: `patient-${randomUUID()}@bench.test`,
          passwordHash: '!bench-account-no-password',
          name: `Patient ${i + j}`,
          role: 'patient',
        })),
      )} returning id`;
      chunk.forEach((d, j) => {
        const starts = upcoming.slice(0, Math.floor(rnd() * BOOKED_MAX));
        booked.set(d.id, new Set(starts));
        for (const s of starts) {
          appointments.push({
            doctorId: d.id,
            patientId: users[j]!.id,
            clinicId: d.clinicId,
            during: `[${new Date(s).toISOString()},${new Date(s + SLOT_MINUTES * 60_000).toISOString()})`,
            feeCents: 5000,
            currency: 'EUR',
          });
        }
      });
    }
    for (let k = 0; k < appointments.length; k += 5000)
      await env.sql`insert into appointments ${env.sql(appointments.slice(k, k + 5000))}`;
    await env.sql`analyze`;

    const hub = await ctx.startHub(env);
    try {
      progress(2, steps, 'checking answers');
      const specialty = 'cardiology';
      const path = `/v1/doctors?near=${CENTRE.lat},${CENTRE.lon}&specialty=${specialty}&limit=20`;
      const check = async (p: string, radiusKm?: number) => {
        const res = await fetch(`${hub.url}${p}`);
        if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${await res.text()}`);
        const { items } = (await res.json()) as { items: Item[] };
        // Within a radius there may be fewer than a page of doctors, but some.
        if (radiusKm === undefined ? items.length !== 20 : items.length === 0)
          throw new Error(`GET ${p}: ${items.length} items, want ${radiusKm === undefined ? 20 : 'some'}`);
        items.forEach((d, i) => {
          const why =
            typeof d.nextAvailable !== 'string'
              ? 'no nextAvailable'
              : booked.get(d.id)?.has(Date.parse(d.nextAvailable))
                ? `nextAvailable ${d.nextAvailable} is a booked slot`
                : !d.specialties.some((s) => s.slug === specialty)
                  ? `not a ${specialty} doctor`
                  : d.distanceKm === undefined || (i > 0 && d.distanceKm < items[i - 1]!.distanceKm!)
                    ? 'not ordered by distance'
                    : radiusKm !== undefined && d.distanceKm > radiusKm
                      ? `${d.distanceKm} km is outside ${radiusKm} km`
                      : undefined;
          if (why) throw new Error(`GET ${p}: item ${i} (${d.id}): ${why}`);
        });
        return items;
      };
      const items = await check(path);
      await check(`${path}&radiusKm=10`, 10);
      const distinctNext = new Set(items.map((d) => d.nextAvailable)).size;
      // sort=soonest: every candidate's next free slot is computed, then the page is cut.
      const soonestPath = `${path}&sort=soonest`;
      const soonest = (await (await fetch(`${hub.url}${soonestPath}`)).json()) as { items: Item[] };
      soonest.items.forEach((d, i) => {
        const prev = soonest.items[i - 1];
        if (
          typeof d.nextAvailable !== 'string' ||
          (prev && Date.parse(d.nextAvailable) < Date.parse(prev.nextAvailable!))
        )
          throw new Error(`GET ${soonestPath}: item ${i} is not ordered by nextAvailable`);
      });

      const run = (p: string) =>
        httpLoad({ url: hub.url, connections, durationSeconds: seconds, next: () => ({ path: p }) });
      progress(3, steps, 'warm-up');
      await run(path);
      const measured: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run(path);
        progress(4 + i, steps);
        return r;
      });
      const base: HttpLoadResult[] = await repeat(repeats, async (i) => {
        const r = await run('/healthz');
        progress(4 + repeats + i, steps);
        return r;
      });
      const measuredSoonest: HttpLoadResult[] = await repeat(repeats, () => run(soonestPath));
      if ([...measured, ...measuredSoonest].some((m) => m.status2xx !== m.requests || m.errors > 0))
        throw new Error('directory search answered non-2xx or errors under load');
      return latencyAgainstTrivialGet(measured, base, 50, {
        connections,
        seconds,
        repeats,
        doctors: doctorCount,
        clinics: clinicCount,
        appointments: appointments.length,
        query: path,
        nearestKm: items[0]!.distanceKm,
        farthestOnPageKm: items[items.length - 1]!.distanceKm,
        distinctNextAvailableOnPage: distinctNext,
        runs: measured.map((m) => ({ p50: m.p50, p99: m.p99, rate: m.rps })),
        soonestQuery: soonestPath,
        soonestRuns: measuredSoonest.map((m) => ({ p50: m.p50, p99: m.p99, rate: m.rps })),
        baselineRuns: base.map((b) => ({ p50: b.p50, p99: b.p99, rate: b.rps })),
      });
    } finally {
      // An idle hub still sweeps and polls, and holds 20 connections: later scenarios need neither.
      await hub.stop();
    }
  },
};
