import { PlainServer } from '../lib/plain-server.js';
import { openConnections, type RawHttpConnection, type RawResponse, rawRequest } from '../lib/raw-http.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, type SeededPatient, seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { median, Recorder } from '../lib/stats.js';

const SLOT_MS = 15 * 60_000;
const DAY = 86_400_000;
const ROUND_TIMEOUT_MS = 25_000;

/**
 * Requests stuck in a hub keep its graceful shutdown waiting for minutes; a second signal makes
 * src/main.ts exit at once (with a code, which the harness's stop() recognises).
 */
async function forceExit(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGINT');
  } catch {
    // already gone
  }
}

type Kind = 'hold' | 'direct';
type Outcome = 'booked' | 'slot_held' | 'slot_taken' | 'other4xx' | 'status5xx' | 'network' | 'timeout';

interface Round {
  totalMs: number;
  p50: number;
  p99: number;
  max: number;
  outcomes: Record<Outcome, number>;
  holdsGranted: number;
}

/**
 * 1,000 patients go for the same slot at once, each the way a client does it: POST /v1/holds, and with
 * the hold POST /v1/appointments {holdId}; a refused hold (409 slot_held / slot_taken) ends the attempt.
 * Exactly one attempt may end booked, never a 5xx. Each attempt is timed end to end (both requests when
 * it got the hold); the round is timed until every attempt has resolved. Each patient has its own
 * keep-alive connection, opened before the warm-up, and every request of a round is serialized before
 * its clock starts (bench/lib/raw-http.ts), so the figures are the hub's and not the client's.
 *
 * Two more races in every repeat, on the same connections:
 * - direct: 1,000 POST /v1/appointments {doctorId, start} without holds on a fresh slot, so Postgres
 *   alone (the exclusion constraint) decides; again exactly one may be booked.
 * - floor: 1,000 GET /healthz at once, the cheapest request the hub answers, and the same 1,000 requests
 *   to a bare node:http server in its own process (no framework, no middleware). No storm can resolve
 *   faster than these on the same machine, so they show what the target asks of the hardware.
 *
 * Baseline: the same 1,000-way race on the bare lock, `SET key NX PX 60000` on one key (ioredis).
 * Every booking round checks SQL: exactly one appointment on that slot. Anything else throws.
 */
export const storm: Scenario = {
  name: 'storm',
  title: '1,000 attempts on one slot',
  async run(ctx, progress) {
    const attempts = ctx.quick ? 100 : 1000;
    const repeats = ctx.quick ? 1 : 3;
    const steps = 2 * repeats + 2;

    const env = await ctx.freshEnv('storm');
    const clinic = await seedClinic(env.sql, { timezone: 'UTC' });
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules: allDay(15) });
    const patients = await seedPatients(ctx, env.sql, attempts);
    const hub = await ctx.startHub(env);
    const conns = await openConnections(hub.url, attempts);
    const bare = await PlainServer.start('http-ok');
    const bareConns = await openConnections(bare.url, attempts);
    try {
      const base = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;

      const json = (body: string) => {
        try {
          return JSON.parse(body) as { code?: string; holdId?: string };
        } catch {
          return {};
        }
      };
      const classify = (r: { status: number; code?: string }): Outcome => {
        if (r.status === 201) return 'booked';
        if (r.status >= 500) return 'status5xx';
        if (r.code === 'slot_held' || r.code === 'slot_taken') return r.code;
        return 'other4xx';
      };
      const outcomeOf = (r: RawResponse) => classify({ code: json(r.body).code, status: r.status });
      const auth = (p: SeededPatient) => ({ authorization: `Bearer ${p.token}` });

      /**
       * One attempt on its own connection. `first` is the patient's first request, serialized before the
       * round's clock started: a hold in a hold round, a booking without hold in a direct round. With a
       * hold, the attempt goes on to book with it; a refused hold is the attempt's answer.
       */
      const attempt = async (kind: Kind, conn: RawHttpConnection, p: SeededPatient, first: Buffer) => {
        const answer = await conn.send(first);
        const holdId = json(answer.body).holdId;
        if (kind === 'direct' || answer.status !== 201 || !holdId)
          return { outcome: outcomeOf(answer), held: false };
        const booking = rawRequest('POST', '/v1/appointments', auth(p), JSON.stringify({ holdId }));
        return { outcome: outcomeOf(await conn.send(booking)), held: true };
      };

      const round = async (kind: Kind, slot: number): Promise<Round> => {
        const start = new Date(base + slot * SLOT_MS).toISOString();
        const path = kind === 'hold' ? '/v1/holds' : '/v1/appointments';
        const body = JSON.stringify({ doctorId: doctor!.id, start });
        const firsts = patients.map((p) => rawRequest('POST', path, auth(p), body));
        const rec = new Recorder();
        const outcomes: Record<Outcome, number> = {
          booked: 0,
          slot_held: 0,
          slot_taken: 0,
          other4xx: 0,
          status5xx: 0,
          network: 0,
          timeout: 0,
        };
        let holdsGranted = 0;
        // A hub that stalls (e.g. lock waits) must not hold the run past its 2 minutes: abort the round.
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          for (const conn of conns) conn.close();
        }, ROUND_TIMEOUT_MS);
        const t0 = performance.now();
        await Promise.all(
          patients.map(async (p, i) => {
            const t = performance.now();
            const { outcome, held } = await attempt(kind, conns[i]!, p, firsts[i]!).catch(() => ({
              outcome: (timedOut ? 'timeout' : 'network') as Outcome,
              held: false,
            }));
            rec.add(performance.now() - t);
            outcomes[outcome]++;
            if (held) holdsGranted++;
          }),
        );
        const totalMs = performance.now() - t0;
        clearTimeout(timer);
        const [{ count }] = await env.sql<[{ count: number }]>`
        select count(*)::int as count from appointments
        where doctor_id = ${doctor!.id} and lower(during) = ${start}::timestamptz`;
        const failed = outcomes.status5xx + outcomes.network + outcomes.timeout > 0;
        if (outcomes.booked !== 1 || failed || count !== 1) {
          if (outcomes.timeout > 0) await forceExit(hub.pid);
          const counts = Object.entries(outcomes).map(([k, n]) => `${k} ${n}`);
          const [{ deadlocks }] = await env.sql<[{ deadlocks: number }]>`
          select deadlocks::int from pg_stat_database where datname = current_database()`;
          throw new Error(
            `${slot < 2 ? 'warm-up' : `slot ${slot}`} ${kind} round (${attempts} attempts on ${start}, ` +
              `${Math.round(totalMs)} ms): ${counts.join(', ')}; ${count} appointment row(s) on the slot; ` +
              `${deadlocks} Postgres deadlock(s) so far. Want exactly 1 booked, no 5xx/network/timeout, 1 row.`,
          );
        }
        const s = rec.summary();
        return { totalMs, p50: s.p50, p99: s.p99, max: s.max, outcomes, holdsGranted };
      };

      /** The cheapest request: GET /healthz on every connection at once (to the hub, or the bare server). */
      const healthz = rawRequest('GET', '/healthz');
      const floor = async (on: RawHttpConnection[]) => {
        const rec = new Recorder();
        const t0 = performance.now();
        await Promise.all(
          on.map(async (conn) => {
            const t = performance.now();
            const res = await conn.send(healthz);
            if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
            rec.add(performance.now() - t);
          }),
        );
        return { totalMs: performance.now() - t0, ...rec.summary() };
      };

      /** The bare lock: `attempts` concurrent SET NX PX on one fresh key; exactly one may win. */
      const lockRace = async (i: number) => {
        const key = `${env.prefix}:storm-baseline:${i}`;
        const rec = new Recorder();
        let won = 0;
        const t0 = performance.now();
        await Promise.all(
          patients.map(async (p) => {
            const t = performance.now();
            const r = await ctx.redis.set(key, p.id, 'PX', 60_000, 'NX');
            rec.add(performance.now() - t);
            if (r === 'OK') won++;
          }),
        );
        const totalMs = performance.now() - t0;
        if (won !== 1) throw new Error(`baseline: ${won} SET NX won on one key (want 1)`);
        return { totalMs, ...rec.summary() };
      };

      progress(1, steps, 'warm-up');
      // Also opens the keep-alive connections. Slots 2k and 2k+1: a hold round and a direct round.
      await round('hold', 0);
      await round('direct', 1);
      await floor(conns);
      await floor(bareConns);
      await lockRace(0);
      const rounds: Round[] = [];
      const directs: Round[] = [];
      const floors: Awaited<ReturnType<typeof floor>>[] = [];
      const bareFloors: Awaited<ReturnType<typeof floor>>[] = [];
      const races: Awaited<ReturnType<typeof lockRace>>[] = [];
      for (let i = 1; i <= repeats; i++) {
        rounds.push(await round('hold', 2 * i));
        progress(2 * i, steps);
        directs.push(await round('direct', 2 * i + 1));
        floors.push(await floor(conns));
        bareFloors.push(await floor(bareConns));
        races.push(await lockRace(i));
        progress(2 * i + 1, steps);
      }

      const total = median(rounds.map((r) => r.totalMs));
      const p99 = median(rounds.map((r) => r.p99));
      const baseTotal = median(races.map((r) => r.totalMs));
      // Outcome counts of the median round (by time until all resolved); every round is in details.
      const mid = [...rounds].sort((a, b) => a.totalMs - b.totalMs)[rounds.length >> 1]!.outcomes;
      return {
        measure: [
          fig('all resolved', total, 'ms'),
          fig('p50', median(rounds.map((r) => r.p50)), 'ms'),
          fig('p99', p99, 'ms'),
          fig('booked', mid.booked, ''),
          fig('slot_held', mid.slot_held, ''),
          fig('slot_taken', mid.slot_taken, ''),
          fig('other 4xx', mid.other4xx, ''),
          fig('5xx', mid.status5xx, ''),
        ],
        baseline: [
          fig('SET NX all', baseTotal, 'ms'),
          fig('p50', median(races.map((r) => r.p50)), 'ms'),
          fig('p99', median(races.map((r) => r.p99)), 'ms'),
          fig(
            `GET /healthz ×${attempts.toLocaleString('en')} all`,
            median(floors.map((f) => f.totalMs)),
            'ms',
          ),
          fig('p99', median(floors.map((f) => f.p99)), 'ms'),
          fig(
            `bare node:http ×${attempts.toLocaleString('en')} all`,
            median(bareFloors.map((f) => f.totalMs)),
            'ms',
          ),
          fig('p99', median(bareFloors.map((f) => f.p99)), 'ms'),
          fig(
            `direct booking ×${attempts.toLocaleString('en')} all`,
            median(directs.map((r) => r.totalMs)),
            'ms',
          ),
          fig('p99', median(directs.map((r) => r.p99)), 'ms'),
        ],
        ratio: baseTotal / Math.max(total, 0.001),
        target: 'exactly 1 booked, 0 5xx, p99 < 50 ms',
        met: p99 < 50,
        details: {
          attempts,
          repeats,
          rounds: rounds.map((r) => ({
            totalMs: Math.round(r.totalMs),
            p50: r.p50,
            p99: r.p99,
            max: r.max,
            holdsGranted: r.holdsGranted,
            ...r.outcomes,
          })),
          directRounds: directs.map((r) => ({
            totalMs: Math.round(r.totalMs),
            p50: r.p50,
            p99: r.p99,
            ...r.outcomes,
          })),
          floorRounds: floors.map((f) => ({ totalMs: Math.round(f.totalMs), p50: f.p50, p99: f.p99 })),
          bareFloorRounds: bareFloors.map((f) => ({
            totalMs: Math.round(f.totalMs),
            p50: f.p50,
            p99: f.p99,
          })),
          baselineRounds: races.map((r) => ({ totalMs: Math.round(r.totalMs * 100) / 100, p99: r.p99 })),
        },
      };
    } finally {
      for (const conn of [...conns, ...bareConns]) conn.close();
      await bare.stop();
      // An idle hub still sweeps and polls, and holds 20 connections: later scenarios need neither.
      await hub.stop();
    }
  },
};
