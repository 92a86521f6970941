import { loadavg } from 'node:os';
import type { BenchHub } from '../lib/context.js';
import { bookTimed, type CommitClock, commitClock, sleep, slotStart } from '../lib/live-bookings.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { allDay, seedClinic, seedDoctors, seedPatients } from '../lib/seed.js';
import { Swarm } from '../lib/socket-swarm.js';
import { Recorder } from '../lib/stats.js';
import { type Calibration, cellLabel, type Target, WatchingPages } from '../lib/watching-pages.js';

/**
 * Quiet time after each booking (once every page has also painted it), so that a booking is not timed
 * while the pages still lay out the one before: bookings of one doctor do not come back to back.
 */
const GAP_MS = 200;
const TARGET_P95_MS = 100;

/**
 * Commit → the watching patient page's cell turns booked, in Chromium, 20 pages.
 *
 * Set-up: one doctor bookable around the clock (allDay, UTC clinic), one patient per booking, the hub in
 * its own process. One headless Chromium (Debian's, driven by playwright-core) with 20 contexts, each a
 * visitor on `/` who searched and pressed "See times for Dr. Bench 0": the doctor's week from today, so
 * tomorrow's slots — the ones booked — are on screen (bench/lib/watching-pages.ts: how a page is watched).
 *
 * Measure: bookings one after another through the API (POST /v1/appointments {doctorId, start}, a fresh
 * patient each), warm-up first, GAP_MS between them (after every page has painted the last one). For
 * each booking and page: the moment the cell's accessible name turned "…, booked" (MutationObserver,
 * i.e. after Preact's render, before paint) − the commit. p50/p95/p99 over pages × bookings. Also in
 * details: commit → the `slot.booked` WebSocket frame reaching the page (delivery) and frame → cell (the
 * page's own work: socket.io decode, HubClient, useBoard, Preact re-rendering the week).
 *
 * Clocks. The commit is when the bench hears the outbox NOTIFY on its own LISTEN connection (commitClock:
 * CLOCK_MONOTONIC). A page times with `performance.timeOrigin + performance.now()`. Rather than assume
 * the page's wall clock equals the bench's (Date.now() on both sides: one machine, but Chromium derives
 * timeOrigin from its own snapshot of the wall clock, and Date.now() has 1 ms steps), each page's clock
 * is tied to the bench's monotonic clock by round trips before measuring (WatchingPages.calibrate:
 * error ≤ half the tightest round trip, ~0.1–0.5 ms); done again after, the change is the drift. Details
 * report both, and how far apart Date.now() would have put the clocks (wallSkew).
 *
 * Baseline (same run, same hub, same room): as many plain socket.io-client sockets in Node (the push
 * scenario's swarm process, websocket transport, subscribed to `slots:<doctorId>`) as there are pages;
 * their receipt of `slot.booked` − the commit, for bookings made after the browser is closed (a warm-up
 * and as many as the pages had). That is the hub's delivery with nothing of a browser; ratio = baseline
 * p95 ÷ page p95 (1.0 = the page adds nothing). The same sockets also watch the page bookings: details
 * show that figure too (nodeSocketsAlongsideThePages), inflated by the CPU the 20 renderers take.
 *
 * --quick: 3 pages, one warm-up and two measured bookings (and three for the baseline). Throws if
 * Chromium is missing, if a page does not show the week, or if a page never turns a booked cell booked
 * within 10 s.
 */
export const browser: Scenario = {
  name: 'browser',
  title: 'commit → booked cell, 20 Chromium pages',
  async run(ctx, progress) {
    const pageCount = ctx.quick ? 3 : 20;
    const warmup = ctx.quick ? 1 : 3;
    const measured = ctx.quick ? 2 : 25;
    const steps = pageCount + warmup + measured + 1 + measured;
    let step = 0;
    const tick = (detail: string) => progress(++step, steps, detail);

    // Two shared cores: what else was running is worth knowing when reading the figures.
    const loadAtStart = loadavg()[0]!;
    const env = await ctx.freshEnv('browser');
    const clinic = await seedClinic(env.sql);
    const [doctor] = await seedDoctors(env.sql, [clinic], 1, { rules: allDay(15) });
    // Pages' bookings, then the quiet baseline's (one warm-up).
    const patients = await seedPatients(ctx, env.sql, warmup + measured + 1 + measured);
    const doctorId = doctor!.id;
    // From tomorrow 00:00, every other slot: all on the week the page opens with.
    const targets: Target[] = patients.map((_, k) => {
      const start = slotStart(2 * k);
      return { start, label: cellLabel(start) };
    });
    const onPages = targets.slice(0, warmup + measured);

    let hub: BenchHub | undefined;
    let swarm: Swarm | undefined;
    let clock: CommitClock | undefined;
    let pages: WatchingPages | undefined;
    try {
      // The browser first: without Chromium the scenario stops before anything else is started.
      pages = await WatchingPages.launch();
      [hub, swarm] = await Promise.all([ctx.startHub(env), Swarm.start('browser baseline')]);
      clock = await commitClock(env.sql);
      for (let i = 0; i < pageCount; i++) {
        await pages.open(hub.url, 'Dr. Bench 0', onPages);
        tick(`${i + 1}/${pageCount} pages on the week`);
      }
      const room = `slots:${doctorId}`;
      await swarm.connect({
        kind: 'sio',
        url: hub.url,
        room,
        count: pageCount,
        concurrency: 20,
        timeoutMs: 20_000,
      });
      const visibility = await pages.visibility();
      const cal = await pages.calibrate();

      /** One booking; resolves once every Node socket (and page, when watching) has it. */
      let k = 0;
      const bookOne = async (watching: WatchingPages | undefined) => {
        const target = targets[k]!;
        const token = patients[k++]!.token;
        await swarm!.arm();
        const booked = await bookTimed(hub!.url, clock!, token, doctorId, target.start);
        const [got] = await Promise.all([swarm!.collect(10_000), watching?.waitBooked(target.start, 10_000)]);
        if (got.missing > 0 || got.lost > 0)
          throw new Error(`slot.booked reached ${pageCount - got.missing} of ${pageCount} Node sockets`);
        await watching?.settle();
        await sleep(GAP_MS);
        return { booked, start: target.start, received: got.received };
      };

      const cell = new Recorder();
      const frame = new Recorder();
      const frameToCell = new Recorder();
      const sendToCell = new Recorder();
      const nodeAlongside = new Recorder();
      const commitTo201 = new Recorder();
      let earliest = Number.POSITIVE_INFINITY;
      for (let b = 0; b < warmup + measured; b++) {
        const { booked, start, received } = await bookOne(pages);
        tick(b < warmup ? 'warm-up' : 'bookings');
        if (b < warmup) continue;
        pages.seen.forEach((seen, i) => {
          const s = seen.get(start)!;
          const tCell = s.tCell + cal[i]!.offset;
          cell.add(tCell - booked.tCommit);
          sendToCell.add(tCell - booked.tSend);
          earliest = Math.min(earliest, tCell - booked.tCommit);
          if (Number.isNaN(s.tFrame)) throw new Error(`page ${i + 1} turned the cell with no frame seen`);
          frame.add(s.tFrame + cal[i]!.offset - booked.tCommit);
          frameToCell.add(s.tCell - s.tFrame);
        });
        for (const r of received) nodeAlongside.add(r - booked.tCommit);
        commitTo201.add(booked.t201 - booked.tCommit);
      }
      const drift = (await pages.calibrate()).map((c, i) => c.offset - cal[i]!.offset);
      await pages.close();
      pages = undefined;

      // Baseline: the same bookings with only the Node sockets watching (the browser closed).
      const node = new Recorder();
      for (let b = 0; b < 1 + measured; b++) {
        const { booked, received } = await bookOne(undefined);
        tick(b < 1 ? 'baseline warm-up' : 'baseline bookings');
        if (b > 0) for (const r of received) node.add(r - booked.tCommit);
      }

      const page = cell.summary();
      const base = node.summary();
      return {
        measure: [
          fig('commit→cell booked p50', page.p50, 'ms'),
          fig('p95', page.p95, 'ms'),
          fig('p99', page.p99, 'ms'),
        ],
        baseline: [
          fig('Node socket.io receipt p50', base.p50, 'ms'),
          fig('p95', base.p95, 'ms'),
          fig('p99', base.p99, 'ms'),
        ],
        ratio: base.p95 / Math.max(page.p95, 0.001),
        target: `p95 ≤ ${TARGET_P95_MS} ms`,
        met: page.p95 <= TARGET_P95_MS,
        details: {
          pages: pageCount,
          warmupBookings: warmup,
          bookings: measured,
          gapMs: GAP_MS,
          loadAverage1mAtStart: round(loadAtStart),
          commitClock: 'outbox NOTIFY heard by the bench (LISTEN), CLOCK_MONOTONIC',
          pageClock:
            'performance.timeOrigin + performance.now(), calibrated to CLOCK_MONOTONIC by CDP round trips',
          calibration: calibrationDetails(cal, drift),
          visibility: [...new Set(visibility)],
          commitToCell: page,
          commitToFrame: frame.summary(),
          frameToCell: frameToCell.summary(),
          sendToCell: sendToCell.summary(),
          commitTo201: commitTo201.summary(),
          earliestCellAfterCommitMs: round(earliest),
          nodeSocketsAlongsideThePages: nodeAlongside.summary(),
        },
      };
    } finally {
      await clock?.close().catch(() => {});
      await pages?.close().catch(() => {});
      await swarm?.stop();
      await hub?.stop();
    }
  },
};

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function calibrationDetails(cal: readonly Calibration[], drift: readonly number[]) {
  return {
    worstRoundTripMs: round(Math.max(...cal.map((c) => c.rtt))),
    worstDriftMs: round(Math.max(...drift.map(Math.abs))),
    /** The page's clock − Date.now() in the bench at the same instant: min and max over pages. */
    wallSkewMs: [Math.min(...cal.map((c) => c.wallSkew)), Math.max(...cal.map((c) => c.wallSkew))].map(round),
  };
}
