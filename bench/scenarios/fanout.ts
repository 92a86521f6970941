import type { BenchHub } from '../lib/context.js';
import {
  bookTimed,
  type CommitClock,
  commitClock,
  pct,
  sampleSlotEvent,
  sleep,
  slotStart,
  sortedFinite,
} from '../lib/live-bookings.js';
import { PlainServer } from '../lib/plain-server.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { Swarm, split } from '../lib/socket-swarm.js';
import { median } from '../lib/stats.js';

/** One broadcast as the sockets saw it, ms from the broadcast moment. */
interface Spread {
  p50: number;
  p95: number;
  p99: number;
  /** Time to the last receipt. */
  last: number;
  /** Last receipt − first receipt: independent of where t0 is taken. */
  spread: number;
  /** ws baseline only: how long the server's send loop took. */
  sendLoop?: number;
}

const SWARMS = 2;

/**
 * One broadcast to 10,000 sockets in a room.
 *
 * Set-up: the hub in its own process; 10,000 socket.io-client sockets (websocket transport, anonymous,
 * one connection each) in two swarm processes of 5,000 (file descriptors, and the machine's 2 cores),
 * connected in batches of 50 in flight per swarm and all subscribed to `slots:<doctorId>`.
 *
 * Broadcast: a booking (POST /v1/appointments), whose `slot.booked` goes to that room. t0 = the booking's
 * commit, heard by the bench as the outbox NOTIFY (the signal the hub's relay wakes on; CLOCK_MONOTONIC
 * shared by all processes). So the figure covers the hub's whole path: relay claim, emit, Redis adapter,
 * 10,000 writes, and the client's decode. Per broadcast: p50/p95/p99 across sockets, the time to the
 * last receipt, and last − first receipt. Warm-up broadcasts first; the median over the measured ones.
 * Target: p95 across sockets < 300 ms, single hub and two hubs alike.
 *
 * Memory per socket: hub RSS after the 10,000 sockets connected and subscribed (2 s to settle) minus
 * RSS just before (hub warmed by a booking, no sockets), ÷ 10,000. Target ≤ 25 KB.
 *
 * Two hubs joined by Redis: a second hub process on the same database and Redis prefix; swarm 1 on hub
 * A, swarm 2 on hub B (5,000 each); the booking is POSTed to hub A. Both relays hear the NOTIFY and the
 * one that claims the event (FOR UPDATE SKIP LOCKED) emits to its local sockets and, through the
 * sharded Redis adapter, to the other hub's.
 *
 * Baseline (same run, same swarms, 10,000 clients): a plain `ws` WebSocketServer in its own process
 * sending the same JSON event (the hub's `slot.booked` shape) to every client in one loop; t0 is taken
 * in that server just before the loop; clients JSON.parse it, as socket.io-client does. Its memory per
 * socket is measured the same way. Ratio = baseline p95 ÷ hub p95 (single hub). On this machine both
 * figures are the server's send loop (one writev per socket; details.ws.sendLoop ≈ its spread), not the
 * swarms' decoding. --quick: 200 sockets, one warm-up and two broadcasts per set-up.
 */
export const fanout: Scenario = {
  name: 'fanout',
  title: 'broadcast to 10,000 sockets',
  async run(ctx, progress) {
    const total = ctx.quick ? 200 : 10_000;
    const warmup = ctx.quick ? 1 : 2;
    const measured = ctx.quick ? 2 : 5;
    const counts = split(total, SWARMS);
    // RSS settles for a moment after connects; --quick only smoke-tests the path, its memory figure is moot.
    const settleMs = ctx.quick ? 200 : 2000;
    const steps = 3 * (1 + warmup + measured);
    let step = 0;
    const tick = (detail: string) => progress(++step, steps, detail);

    const env = await ctx.freshEnv('fanout');
    const clinic = await seedClinic(env.sql);
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules: allDay(15) });
    const patients = await seedPatients(ctx, env.sql, 1 + 2 * (warmup + measured));
    const doctorId = doctor!.id;
    const room = `slots:${doctorId}`;

    let hubA: BenchHub | undefined;
    let hubB: BenchHub | undefined;
    let clock: CommitClock | undefined;
    let plain: PlainServer | undefined;
    const swarms: Swarm[] = [];
    try {
      const started = await Promise.all([
        ctx.startHub(env),
        ...counts.map((_, i) => Swarm.start(`fanout swarm ${i + 1}`)),
      ]);
      hubA = started[0] as BenchHub;
      swarms.push(...(started.slice(1) as Swarm[]));
      clock = await commitClock(env.sql);

      let k = 0;
      const book = async (hub: BenchHub) => {
        const b = await bookTimed(hub.url, clock!, patients[k]!.token, doctorId, slotStart(k));
        k++;
        return { t0: b.tCommit };
      };
      const connectAll = async (kind: 'sio' | 'ws', urls: string[]) => {
        const done = counts.map(() => 0);
        const results = await Promise.all(
          swarms.map((s, i) =>
            s.connect(
              {
                kind,
                url: urls[i % urls.length]!,
                count: counts[i]!,
                concurrency: 50,
                timeoutMs: 30_000,
                ...(kind === 'sio' ? { room } : {}),
              },
              (n) => {
                done[i] = n;
                progress(step, steps, `${done.reduce((a, b) => a + b, 0)}/${total} sockets`);
              },
            ),
          ),
        );
        return Math.max(...results.map((r) => r.ms));
      };
      const disconnectAll = () => Promise.all(swarms.map((s) => s.disconnect()));

      /** Arms the swarms, fires the broadcast, and reads every socket's receipt against its t0. */
      const broadcast = async (
        fire: () => Promise<{ t0: number; sendLoop?: number }>,
        what: string,
      ): Promise<Spread> => {
        await Promise.all(swarms.map((s) => s.arm()));
        const { t0, sendLoop } = await fire();
        const got = await Promise.all(swarms.map((s) => s.collect(20_000)));
        const missing = got.reduce((a, g) => a + g.missing, 0);
        const lost = got.reduce((a, g) => a + g.lost, 0);
        if (missing > 0 || lost > 0)
          throw new Error(`${what}: reached ${total - missing} of ${total} sockets (${lost} disconnected)`);
        const ids = new Set(got.flatMap((g) => g.eventIds));
        if (ids.size !== 1) throw new Error(`${what}: sockets timed ${ids.size} different events`);
        const sorted = sortedFinite(got.flatMap((g) => [...g.received].map((r) => r - t0)));
        await sleep(100);
        return {
          p50: pct(sorted, 50),
          p95: pct(sorted, 95),
          p99: pct(sorted, 99),
          last: sorted[sorted.length - 1]!,
          spread: sorted[sorted.length - 1]! - sorted[0]!,
          ...(sendLoop === undefined ? {} : { sendLoop }),
        };
      };
      const series = async (
        fire: () => Promise<{ t0: number; sendLoop?: number }>,
        what: string,
      ): Promise<Spread[]> => {
        for (let i = 0; i < warmup; i++) {
          await broadcast(fire, what);
          tick(`${what}: warm-up`);
        }
        const out: Spread[] = [];
        for (let i = 0; i < measured; i++) {
          out.push(await broadcast(fire, what));
          tick(what);
        }
        return out;
      };

      // 1. One hub, 10,000 sockets.
      await book(hubA); // warms the booking path and the relay before the memory baseline
      await sleep(settleMs / 2);
      const hubBefore = hubA.rss();
      const connectMs = await connectAll('sio', [hubA.url]);
      tick(`${total} sockets in ${Math.round(connectMs)} ms`);
      await sleep(settleMs);
      const hubAfter = hubA.rss();
      const single = await series(() => book(hubA!), 'one hub');
      await disconnectAll();

      // 2. Two hubs joined by Redis, half the sockets on each; bookings go to hub A.
      hubB = await ctx.startHub(env);
      await sleep(settleMs / 4);
      const pairBefore = hubA.rss() + hubB.rss();
      const pairConnectMs = await connectAll('sio', [hubA.url, hubB.url]);
      tick(`${total} sockets on two hubs`);
      await sleep(settleMs);
      const pairAfter = hubA.rss() + hubB.rss();
      const pair = await series(() => book(hubA!), 'two hubs');
      await disconnectAll();
      await clock.close();
      clock = undefined;
      await Promise.all([hubA.stop(), hubB.stop()]);

      // 3. Baseline: a plain ws server broadcasting the same payload to as many plain ws clients.
      plain = await PlainServer.start('ws-broadcast');
      await sleep(settleMs / 4);
      const plainBefore = plain.rss();
      const wsConnectMs = await connectAll('ws', [plain.url]);
      const clients = await plain.clients();
      if (clients !== total) throw new Error(`ws server has ${clients} clients, expected ${total}`);
      tick(`${total} ws clients`);
      await sleep(settleMs);
      const plainAfter = plain.rss();
      const payload = sampleSlotEvent(doctorId, slotStart(0));
      const base = await series(async () => {
        const b = await plain!.broadcast(payload);
        return { t0: b.t0, sendLoop: b.loopMs };
      }, 'ws baseline');
      await disconnectAll();

      const mid = (of: Spread[], pick: (s: Spread) => number) => median(of.map(pick));
      const kb = (before: number, after: number) => (after - before) / total / 1024;
      const hubKb = kb(hubBefore, hubAfter);
      const p95 = mid(single, (s) => s.p95);
      const pairP95 = mid(pair, (s) => s.p95);
      const baseP95 = mid(base, (s) => s.p95);
      const summary = (of: Spread[]) => ({
        p50: mid(of, (s) => s.p50),
        p95: mid(of, (s) => s.p95),
        p99: mid(of, (s) => s.p99),
        last: mid(of, (s) => s.last),
        spread: mid(of, (s) => s.spread),
        ...(of[0]?.sendLoop === undefined ? {} : { sendLoop: mid(of, (s) => s.sendLoop ?? 0) }),
        broadcasts: of,
      });
      return {
        measure: [
          fig('commit→receipt p95', p95, 'ms'),
          fig(
            'p50',
            mid(single, (s) => s.p50),
            'ms',
          ),
          fig(
            'to last receipt',
            mid(single, (s) => s.last),
            'ms',
          ),
          fig('memory', hubKb, 'KB/socket'),
          fig('two hubs p95', pairP95, 'ms'),
          fig(
            'two hubs to last',
            mid(pair, (s) => s.last),
            'ms',
          ),
        ],
        baseline: [
          fig('ws broadcast p95', baseP95, 'ms'),
          fig(
            'p50',
            mid(base, (s) => s.p50),
            'ms',
          ),
          fig(
            'to last receipt',
            mid(base, (s) => s.last),
            'ms',
          ),
          fig('memory', kb(plainBefore, plainAfter), 'KB/socket'),
        ],
        ratio: baseP95 / Math.max(p95, 0.001),
        target: 'p95 < 300 ms (one and two hubs), ≤ 25 KB/socket',
        met: p95 < 300 && pairP95 < 300 && hubKb <= 25,
        details: {
          sockets: total,
          swarms: counts,
          warmupBroadcasts: warmup,
          measuredBroadcasts: measured,
          t0: 'hub: booking commit (outbox NOTIFY heard by the bench); ws: server, just before its send loop',
          connectMs: {
            oneHub: Math.round(connectMs),
            twoHubs: Math.round(pairConnectMs),
            ws: Math.round(wsConnectMs),
          },
          oneHub: summary(single),
          twoHubs: { ...summary(pair), kbPerSocket: kb(pairBefore, pairAfter) },
          ws: summary(base),
          rssBytes: { hubBefore, hubAfter, pairBefore, pairAfter, plainBefore, plainAfter },
        },
      };
    } finally {
      await clock?.close().catch(() => {});
      await Promise.all(swarms.map((s) => s.stop()));
      await plain?.stop();
      await hubB?.stop();
      await hubA?.stop();
    }
  },
};
