import { toLiveEvent } from '../../src/events/outbox.js';
import {
  checkInStream,
  collectReceipts,
  type Receipt,
  type SocketRole,
  type TimedCheckIn,
} from '../lib/check-ins.js';
import type { BenchHub } from '../lib/context.js';
import { echoBaseline } from '../lib/echo-baseline.js';
import { arrivals, createDisplayTokens, morningZone, seedToday } from '../lib/front-desk.js';
import { type OutboxCommits, outboxCommits } from '../lib/outbox-commits.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedStaff } from '../lib/seed.js';
import { type SocketSpec, Swarm } from '../lib/socket-swarm.js';
import { type Latency, median, Recorder } from '../lib/stats.js';

const DOCTORS = 2;
const DISPLAYS = 2;
const DESKS = 2;

/**
 * Check-in commit → `queue.updated` on the waiting-room displays, 200 clinics with 800 sockets (issue 14).
 *
 * Set-up: 200 clinics in a zone where it is now about 09:00 (so their morning is today's, the only day
 * that touches the queue), 2 doctors each (allDay), 8 booked appointments per doctor from the next
 * quarter hour on (seeded in SQL), 2 staff accounts per clinic (minted tokens), 2 display tokens per
 * clinic made through the API. The hub in its own process; in one swarm process 800 socket.io-client
 * sockets (websocket transport, one connection each): per clinic 2 displays (handshake `{ displayToken }`,
 * subscribed to `display:<clinic>`) and 2 desks (`{ token }` of a staff member, `queue:<clinic>`).
 *
 * Measure: check-ins (POST /v1/appointments/:id/check-in as the clinic's staff) at a steady 20/s, round
 * robin over the clinics, each clinic's patients in slot order; a 3 s warm-up stream, then 20 s measured
 * (400 check-ins). For each check-in, on each of its clinic's 2 displays, receipt time − commit time; the
 * commit is the outbox NOTIFY heard by the bench, as in push, but dated per event by reading the outbox
 * at each NOTIFY (outbox-commits.ts), since check-ins overlap. p50/p99 over all display receipts of the
 * measured stream; the desks' receipts (the doctor's row on `queue:<clinic>`), send → receipt and
 * commit → 200 in details. Every socket of the clinic must receive every check-in's event, and nothing
 * else: anything missing, a refused check-in or a socket hearing another clinic's room fails the run.
 *
 * Baseline (same run, same swarm, 800 connections): push's, the plain Socket.IO emit/ack round trip (a
 * `new Server()` in its own process; every socket emits a real display event at once and times the ack;
 * bench/lib/echo-baseline.ts). It is a burst of 800 where a check-in reaches 4 sockets, so it is the
 * harsher shape. push's own commit → receipt figure stands beside this one when both run
 * (`npm run bench -- queue push`). Ratio = baseline p99 ÷ display p99. Target: display p99 ≤ 50 ms.
 * --quick: 10 clinics (40 sockets), 3 warm-up and 10 measured check-ins at 10/s.
 */
export const queue: Scenario = {
  name: 'queue',
  title: 'check-in → display, 800 sockets',
  async run(ctx, progress) {
    const clinicCount = ctx.quick ? 10 : 200;
    const rate = ctx.quick ? 10 : 20;
    const warmupCheckIns = ctx.quick ? 3 : 3 * rate;
    const measuredCheckIns = ctx.quick ? 10 : 20 * rate;
    const perDoctor = Math.max(8, Math.ceil((warmupCheckIns + measuredCheckIns) / clinicCount / DOCTORS) + 2);
    const sockets = clinicCount * (DISPLAYS + DESKS);
    const echo = ctx.quick ? { warmup: 1, repeats: 1, perRun: 3 } : { warmup: 5, repeats: 3, perRun: 15 };
    const steps = 4 + warmupCheckIns + measuredCheckIns + 1 + echo.warmup + echo.repeats * echo.perRun;
    let step = 0;
    const tick = (detail: string) => progress(++step, steps, detail);

    const env = await ctx.freshEnv('queue');
    const now = Date.now();
    const timezone = morningZone(now);
    const clinicIds: string[] = [];
    for (let i = 0; i < clinicCount; i++) clinicIds.push(await seedClinic(env.sql, { timezone }));
    const doctors = await seedDoctors(env.sql, clinicIds, clinicCount * DOCTORS, { rules: allDay(15) });
    const staff = await seedStaff(ctx, env.sql, clinicIds, DESKS);
    const day = await seedToday(env.sql, doctors, perDoctor, now);
    const order = arrivals(day, clinicIds);
    const warmupList = order.slice(0, warmupCheckIns);
    const measuredList = order.slice(warmupCheckIns, warmupCheckIns + measuredCheckIns);
    if (measuredList.length < measuredCheckIns) throw new Error('not enough appointments seeded');
    const desks = new Map<string, string[]>();
    for (const s of staff) desks.set(s.clinicId, [...(desks.get(s.clinicId) ?? []), s.token]);
    tick(`${clinicCount} clinics, ${day.length} appointments today (${timezone})`);

    let hub: BenchHub | undefined;
    let swarm: Swarm | undefined;
    let commits: OutboxCommits | undefined;
    try {
      [hub, swarm] = await Promise.all([ctx.startHub(env), Swarm.start('queue swarm')]);
      const displays = await createDisplayTokens(
        hub.url,
        clinicIds.map((clinicId) => ({ clinicId, token: desks.get(clinicId)![0]! })),
        DISPLAYS,
      );
      tick(`${clinicCount * DISPLAYS} display tokens`);

      const roles: SocketRole[] = [];
      const specs: SocketSpec[] = [];
      for (const c of clinicIds) {
        for (const displayToken of displays.get(c)!) {
          roles.push({ clinicId: c, kind: 'display' });
          specs.push({ auth: { displayToken }, room: `display:${c}` });
        }
        for (const token of desks.get(c)!) {
          roles.push({ clinicId: c, kind: 'queue' });
          specs.push({ auth: { token }, room: `queue:${c}` });
        }
      }
      const conn = await swarm.connect(
        { kind: 'sio', url: hub.url, count: sockets, sockets: specs, concurrency: 50, timeoutMs: 20_000 },
        (n) => progress(step, steps, `${n}/${sockets} sockets`),
      );
      tick(`${sockets} sockets in ${Math.round(conn.ms)} ms`);

      commits = await outboxCommits(env.sql);
      await swarm.watch(['queue.updated']);
      const revisions = new Map<string, number>();
      const stream = async (list: typeof order, what: string) => {
        const checkIns = await checkInStream(
          hub!.url,
          list,
          rate,
          (clinicId) => desks.get(clinicId)![0]!,
          revisions,
          () => tick(what),
        );
        const got = await collectReceipts(swarm!, commits!, checkIns, roles, revisions, 10_000);
        return { checkIns, ...got };
      };
      await stream(warmupList, 'warm-up check-ins');
      const measured = await stream(measuredList, 'check-ins');
      await swarm.disconnect();
      await commits.close();
      commits = undefined;

      // The baseline's sockets echo a real display event, as the hub sent it.
      const [sample] = await env.sql<Parameters<typeof toLiveEvent>[0][]>`
        select id, room, type, data, occurred_at from events where room like 'display:%' order by id desc limit 1`;
      await hub.stop();
      const baseRuns = await echoBaseline(
        swarm,
        {
          count: sockets,
          concurrency: 50,
          timeoutMs: 20_000,
          payload: toLiveEvent(sample!),
          ...echo,
        },
        tick,
      );

      const figures = summarize(measured.checkIns, measured.receipts);
      const p99 = figures.display.p99;
      const baseP99 = median(baseRuns.map((l) => l.p99));
      return {
        measure: [
          fig('commit→display p50', figures.display.p50, 'ms'),
          fig('p99', p99, 'ms'),
          fig('POST sent→display p99', figures.sendToDisplay.p99, 'ms'),
        ],
        baseline: [
          fig('socket.io emit/ack RTT p50', median(baseRuns.map((l: Latency) => l.p50)), 'ms'),
          fig('p99', baseP99, 'ms'),
        ],
        ratio: baseP99 / Math.max(p99, 0.001),
        target: 'display p99 ≤ 50 ms',
        met: p99 <= 50,
        details: {
          clinics: clinicCount,
          sockets: { displays: clinicCount * DISPLAYS, desks: clinicCount * DESKS },
          appointmentsToday: day.length,
          timezone,
          rate,
          warmupCheckIns,
          measuredCheckIns,
          commitClock:
            'outbox NOTIFY heard by the bench (LISTEN), per event (outbox-commits.ts), CLOCK_MONOTONIC',
          connectMs: Math.round(conn.ms),
          ...figures,
          repeatedDeliveries: measured.repeated,
          baselineRuns: baseRuns,
        },
      };
    } finally {
      await commits?.close().catch(() => {});
      await swarm?.stop();
      await hub?.stop();
    }
  },
};

/** The measured stream's latencies, ms: commit → receipt per kind of socket, and the check-ins' own. */
function summarize(checkIns: readonly TimedCheckIn[], receipts: readonly Receipt[]) {
  const display = new Recorder();
  const desk = new Recorder();
  const sendToDisplay = new Recorder();
  const commitTo200 = new Recorder();
  const commitOf = new Map<TimedCheckIn, number>();
  let earliest = Number.POSITIVE_INFINITY;
  for (const r of receipts) {
    commitOf.set(r.checkIn, r.tCommit);
    if (r.kind === 'queue') {
      desk.add(r.t - r.tCommit);
      continue;
    }
    display.add(r.t - r.tCommit);
    sendToDisplay.add(r.t - r.checkIn.tSend);
    earliest = Math.min(earliest, r.t - r.tCommit);
  }
  for (const [c, tCommit] of commitOf) commitTo200.add(c.t200 - tCommit);
  const sends = checkIns.map((c) => c.tSend);
  const seconds = (Math.max(...sends) - Math.min(...sends)) / 1000;
  return {
    display: display.summary(),
    desk: desk.summary(),
    sendToDisplay: sendToDisplay.summary(),
    commitTo200: commitTo200.summary(),
    // Negative when a display beat the bench's own LISTEN connection to the NOTIFY (clock jitter).
    earliestDisplayReceiptAfterCommitMs: Math.round(earliest * 1000) / 1000,
    achievedRate: Math.round(((checkIns.length - 1) / Math.max(seconds, 0.001)) * 10) / 10,
  };
}
