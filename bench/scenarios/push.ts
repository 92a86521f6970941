import type { BenchHub } from '../lib/context.js';
import { echoBaseline } from '../lib/echo-baseline.js';
import {
  bookTimed,
  type CommitClock,
  commitClock,
  sampleSlotEvent,
  slotStart,
} from '../lib/live-bookings.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { Swarm } from '../lib/socket-swarm.js';
import { type Latency, median, Recorder, repeat } from '../lib/stats.js';

/**
 * Commit → `slot.booked` on 1,000 sockets watching the doctor.
 *
 * Set-up: one doctor bookable around the clock (allDay), one patient per booking, the hub in its own
 * process, and 1,000 socket.io-client sockets (websocket transport, anonymous, each its own connection)
 * in a swarm process, all subscribed to `slots:<doctorId>`.
 *
 * Measure: bookings one after another (POST /v1/appointments {doctorId, start}); for each, on every
 * socket, receipt time − commit time. Commit time is when the bench process hears the outbox NOTIFY on
 * its own LISTEN connection: Postgres sends it at commit, it is the same signal the hub's relay wakes
 * on (the relay is NOTIFY-driven; RELAY_SWEEP_MS is only its safety net), and all times are
 * CLOCK_MONOTONIC, shared by the processes. Not `occurredAt` (transaction start, overstates) and not the
 * 201 (after commit *and* the booking's follow-ups; it often lands after the event). Also reported, in
 * details: from just before the POST was sent (includes the whole request) and commit → 201. The commit
 * clock jitters by the scheduling of the bench's LISTEN backend (a ms or two on a busy 2-core box):
 * details show the earliest receipt per run, which is negative when a socket beat the bench's NOTIFY.
 * Receipt is the client's `event` handler running, i.e. after socket.io-client decoded the packet.
 * Warm-up bookings first; then `repeats` runs of `perRun` bookings; p50/p99 over all sockets × bookings
 * of a run, median of the runs.
 *
 * Baseline (same run, same swarm, same 1,000 connections): a plain socket.io `new Server()` in its own
 * process, in-memory adapter, acknowledging `echo`. Each round every socket emits the same event object
 * at once and times the ack — the raw Socket.IO emit/ack round trip at this connection count, with the
 * same 1,000-messages-at-once burst shape a push has. Ratio = baseline p99 ÷ hub p99.
 */
export const push: Scenario = {
  name: 'push',
  title: 'commit → slot.booked, 1,000 sockets',
  async run(ctx, progress) {
    const sockets = ctx.quick ? 50 : 1000;
    const warmup = ctx.quick ? 1 : 5;
    const repeats = ctx.quick ? 1 : 3;
    const perRun = ctx.quick ? 3 : 15;
    const steps = 2 * (1 + warmup + repeats * perRun);
    let step = 0;
    const tick = (detail: string) => progress(++step, steps, detail);

    const env = await ctx.freshEnv('push');
    const clinic = await seedClinic(env.sql);
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules: allDay(15) });
    const patients = await seedPatients(ctx, env.sql, warmup + repeats * perRun);
    const doctorId = doctor!.id;
    const room = `slots:${doctorId}`;
    const connect = { kind: 'sio' as const, count: sockets, concurrency: 50, timeoutMs: 20_000 };

    let hub: BenchHub | undefined;
    let swarm: Swarm | undefined;
    let clock: CommitClock | undefined;
    try {
      [hub, swarm] = await Promise.all([ctx.startHub(env), Swarm.start('push swarm')]);
      clock = await commitClock(env.sql);
      const conn = await swarm.connect({ ...connect, url: hub.url, room }, (n) =>
        progress(step, steps, `${n}/${sockets} sockets`),
      );
      tick(`${sockets} sockets in ${Math.round(conn.ms)} ms`);

      let k = 0;
      const deliverOne = async () => {
        await swarm!.arm();
        const booked = await bookTimed(hub!.url, clock!, patients[k]!.token, doctorId, slotStart(k));
        k++;
        const got = await swarm!.collect(10_000);
        if (got.missing > 0 || got.lost > 0)
          throw new Error(
            `slot.booked reached ${sockets - got.missing} of ${sockets} sockets (${got.lost} disconnected)`,
          );
        if (got.eventIds.length !== 1)
          throw new Error(`sockets timed ${got.eventIds.length} different events`);
        return { booked, received: got.received };
      };

      for (let i = 0; i < warmup; i++) {
        await deliverOne();
        tick('warm-up');
      }
      const runs = await repeat(repeats, async () => {
        const fromCommit = new Recorder();
        const fromSend = new Recorder();
        const commitTo201 = new Recorder();
        let earliest = Number.POSITIVE_INFINITY;
        for (let b = 0; b < perRun; b++) {
          const { booked, received } = await deliverOne();
          for (const r of received) {
            fromCommit.add(r - booked.tCommit);
            fromSend.add(r - booked.tSend);
            earliest = Math.min(earliest, r - booked.tCommit);
          }
          commitTo201.add(booked.t201 - booked.tCommit);
          tick('bookings');
        }
        return {
          fromCommit: fromCommit.summary(),
          fromSend: fromSend.summary(),
          commitTo201: commitTo201.summary(),
          earliest,
        };
      });
      await swarm.disconnect();
      await clock.close();
      clock = undefined;
      await hub.stop();

      // Baseline: the same swarm against a plain socket.io server.
      const baseRuns = await echoBaseline(
        swarm,
        { ...connect, payload: sampleSlotEvent(doctorId, slotStart(0)), warmup, repeats, perRun },
        tick,
      );

      const mid = (pick: (l: Latency) => number, of: Latency[]) => median(of.map(pick));
      const commit = runs.map((r) => r.fromCommit);
      const p99 = mid((l) => l.p99, commit);
      const baseP99 = mid((l) => l.p99, baseRuns);
      return {
        measure: [
          fig(
            'commit→receipt p50',
            mid((l) => l.p50, commit),
            'ms',
          ),
          fig('p99', p99, 'ms'),
          fig(
            'POST sent→receipt p99',
            mid(
              (l) => l.p99,
              runs.map((r) => r.fromSend),
            ),
            'ms',
          ),
        ],
        baseline: [
          fig(
            'socket.io emit/ack RTT p50',
            mid((l) => l.p50, baseRuns),
            'ms',
          ),
          fig('p99', baseP99, 'ms'),
        ],
        ratio: baseP99 / Math.max(p99, 0.001),
        target: 'p99 < 50 ms',
        met: p99 < 50,
        details: {
          sockets,
          warmupBookings: warmup,
          repeats,
          bookingsPerRepeat: perRun,
          commitClock: 'outbox NOTIFY heard by the bench (LISTEN), CLOCK_MONOTONIC',
          connectMs: Math.round(conn.ms),
          runs: runs.map((r) => ({
            commitToReceipt: r.fromCommit,
            sendToReceipt: r.fromSend,
            commitTo201: r.commitTo201,
            earliestReceiptAfterCommitMs: Math.round(r.earliest * 1000) / 1000,
          })),
          baselineRuns: baseRuns,
        },
      };
    } finally {
      await clock?.close().catch(() => {});
      await swarm?.stop();
      await hub?.stop();
    }
  },
};
