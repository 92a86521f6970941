import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisHz } from '../../src/infra/redis.js';
import { createReminderQueue, reminderJobId } from '../../src/jobs/reminders.queue.js';
import { REDIS_URL } from '../lib/context.js';
import type { WorkerReport } from '../lib/reminder-worker.child.js';
import { fig, type Scenario } from '../lib/scenario.js';
import { median, Recorder, repeat } from '../lib/stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../lib/reminder-worker.child.ts', import.meta.url));
/** Jobs are due from this long after enqueueing starts, so the first chunks are not late on arrival. */
const LEAD_MS = 1000;
const OFFSETS = [86_400, 7200];
/** The Redis hz docker-compose.yml runs. */
const SHIPPED_HZ = 100;

type Message = { ready?: true; progress?: string; received?: number; done?: string } & Partial<WorkerReport>;

/**
 * Reminder scheduling on BullMQ, without HTTP and without delivery. The hub's worker delivers each
 * reminder (Postgres transactions per channel), which would measure delivery, not how late BullMQ
 * fires a delayed job; so the hub is not started. Instead, on the hub's Redis under a fresh prefix:
 *
 *  - the queue is the hub's: createReminderQueue (same name, same default job options), jobs shaped
 *    like the hub's (name `remind`, ReminderJob data, deterministic reminder-… job ids);
 *  - 50,000 delayed jobs with due times spread evenly over 60 s are enqueued in due order with
 *    addBulk in chunks of 1,000: enqueue rate = jobs ÷ wall time of the enqueueing;
 *  - a BullMQ Worker with the hub's worker options runs in a child process (bench/lib/
 *    reminder-worker.child.ts) and records lateness = fired − (job.timestamp + job.opts.delay);
 *  - baseline: a raw `queue.add` loop, one awaited add at a time, on a plain queue (median of 3).
 *    For reference, details also give the rate of the hub's own path, ReminderQueue.schedule() for
 *    one appointment at a time (its offsets still ahead), as booking calls it, awaited in sequence.
 * The 60 s run is done once (it cannot be repeated within 2 minutes); a short warm-up comes first.
 *
 * A worker waits for the next due job with BZPOPMIN and a timeout, and Redis notices blocking timeouts
 * on its server cron, 1/hz s (hz 10 by default): that, not the hub, is what makes a job late. The hub
 * ships Redis with hz 100 (docker-compose.yml), so the 60 s run is measured at hz 100: the scenario sets
 * it with CONFIG SET for its own duration and puts the server's value back afterwards. A 15 s run at
 * the server's own hz follows, so the table shows both. Where CONFIG is refused (managed Redis), the
 * 60 s run is at the server's hz and the row says so.
 */
export const reminders: Scenario = {
  name: 'reminders',
  title: 'reminder jobs, lateness',
  async run(ctx, progress) {
    const total = ctx.quick ? 2000 : 50_000;
    const spreadMs = ctx.quick ? 5000 : 60_000;
    const chunk = ctx.quick ? 200 : 1000;
    const rawAdds = ctx.quick ? 500 : 3000;
    const repeats = ctx.quick ? 1 : 3;

    const env = await ctx.freshEnv('reminders');
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const hubQueue = createReminderQueue(connection, env.prefix, { offsets: OFFSETS, backoffMs: 1000 });
    const hubPath = createReminderQueue(connection, `${env.prefix}:hub-path`, {
      offsets: OFFSETS,
      backoffMs: 1000,
    });
    const raw = new Queue('reminders-baseline', { connection, prefix: env.prefix });
    const child: ChildProcess = fork(CHILD, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, REDIS_URL, BENCH_PREFIX: env.prefix },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let received = 0;
    const next = (want: (m: Message) => boolean, timeoutMs: number, what: string) =>
      new Promise<Message>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', on);
          reject(new Error(`${what}: timed out after ${timeoutMs} ms (${received} received) ${stderr}`));
        }, timeoutMs);
        const on = (m: Message) => {
          if (m.progress !== undefined) received = m.received ?? 0;
          if (!want(m)) return;
          clearTimeout(timer);
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.once('exit', (code) => reject(new Error(`reminder worker exited (${code}): ${stderr}`)));
      });

    /** `n` jobs due evenly over `spread` ms from LEAD_MS on, added in due order with addBulk. */
    const spread = async (n: number, spread: number) => {
      const t0 = Date.now() + LEAD_MS;
      let lateOnArrival = 0;
      const started = performance.now();
      for (let i = 0; i < n; i += chunk) {
        const now = Date.now();
        const jobs = Array.from({ length: Math.min(chunk, n - i) }, (_, j) => {
          const due = t0 + Math.floor(((i + j) * spread) / n);
          if (due <= now) lateOnArrival++;
          const data = { appointmentId: randomUUID(), offsetSeconds: OFFSETS[1]!, version: 1 };
          return {
            name: 'remind',
            data,
            opts: {
              jobId: reminderJobId(data.appointmentId, data.offsetSeconds, 1),
              delay: Math.max(0, due - now),
            },
          };
        });
        await hubQueue.queue.addBulk(jobs);
      }
      const seconds = (performance.now() - started) / 1000;
      return { rate: n / seconds, seconds, lateOnArrival };
    };

    /** Enqueues a phase and waits until the worker has run every job of it. */
    const phase = async (name: string, n: number, spreadFor: number) => {
      child.send({ phase: name, expect: n });
      const done = next((m) => m.done === name, spreadFor + LEAD_MS + 30_000, `${name}: worker`);
      done.catch(() => {});
      const enqueued = await spread(n, spreadFor);
      return { enqueued, report: (await done) as WorkerReport };
    };

    const serverHz = await redisHz(ctx.redis);
    const setHz = (hz: number) =>
      ctx.redis.config('SET', 'hz', String(hz)).then(
        () => true,
        () => false,
      );
    const hzSet = serverHz !== undefined && serverHz !== SHIPPED_HZ && (await setHz(SHIPPED_HZ));
    // Put back when the scenario ends, also when the run is interrupted (bench/run.ts).
    if (hzSet) ctx.defer(() => setHz(serverHz));
    try {
      await next((m) => m.ready === true, 30_000, 'reminder worker start');
      progress(1, 5, 'warm-up');
      await phase('warm-up', chunk * 2, 500);
      for (let i = 0; i < rawAdds / 3; i++) await raw.add('remind', { i }, { delay: 3_600_000 });

      progress(2, 5, 'raw queue.add loop');
      const baseline = await repeat(repeats, async () => {
        const rec = new Recorder();
        const started = performance.now();
        for (let i = 0; i < rawAdds; i++) {
          const t = performance.now();
          await raw.add(
            'remind',
            { appointmentId: randomUUID(), offsetSeconds: 7200, version: 1 },
            { delay: 3_600_000 },
          );
          rec.add(performance.now() - t);
        }
        return { rate: rawAdds / ((performance.now() - started) / 1000), ...rec.summary() };
      });
      const appointments = rawAdds / 2;
      const hubStarted = performance.now();
      for (let i = 0; i < appointments; i++)
        await hubPath.schedule({ id: randomUUID(), start: Date.now() + 3 * 86_400_000, version: 1 });
      const hubPathRate = (appointments * OFFSETS.length) / ((performance.now() - hubStarted) / 1000);

      progress(3, 5, `${total} jobs over ${spreadMs / 1000} s`);
      const ticker = setInterval(() => progress(3 + received / total, 5, `${received}/${total} fired`), 1000);
      const measured = await phase('measure', total, spreadMs).finally(() => clearInterval(ticker));
      const measuredHz = await redisHz(ctx.redis);
      // The same rate for a quarter of the time at the server's own hz, when the run above changed it.
      let atServerHz: WorkerReport['lateness'] | undefined;
      if (hzSet && (await setHz(serverHz))) {
        progress(4.5, 5, `${total / 4} jobs at the server's hz ${serverHz}`);
        atServerHz = (await phase('server-hz', total / 4, spreadMs / 4)).report.lateness;
      }
      progress(5, 5);

      const { lateness } = measured.report;
      const rawRate = median(baseline.map((b) => b.rate));
      return {
        measure: [
          fig(`lateness p99 (Redis hz ${measuredHz ?? '?'})`, lateness.p99, 'ms'),
          fig('lateness p50', lateness.p50, 'ms'),
          ...(atServerHz
            ? [
                fig(`lateness p99 at the server's hz ${serverHz}`, atServerHz.p99, 'ms'),
                fig('p50', atServerHz.p50, 'ms'),
              ]
            : []),
          fig('enqueue (addBulk)', measured.enqueued.rate, 'jobs/s'),
        ],
        baseline: [
          fig('raw add loop', rawRate, 'jobs/s'),
          fig('add p50', median(baseline.map((b) => b.p50)), 'ms'),
          fig('add p99', median(baseline.map((b) => b.p99)), 'ms'),
        ],
        ratio: measured.enqueued.rate / rawRate,
        target: 'lateness p99 < 50 ms',
        met: lateness.p99 < 50 && measured.report.duplicates === 0,
        details: {
          ratioIs: 'addBulk enqueue rate ÷ raw queue.add loop rate',
          redisHz: measuredHz,
          serverHz,
          latenessAtServerHz: atServerHz,
          jobs: total,
          spreadSeconds: spreadMs / 1000,
          chunk,
          enqueueSeconds: Math.round(measured.enqueued.seconds * 100) / 100,
          lateOnArrival: measured.enqueued.lateOnArrival,
          lateness,
          duplicates: measured.report.duplicates,
          hubSchedulePathRate: Math.round(hubPathRate),
          rawAddsPerRepeat: rawAdds,
          baselineRuns: baseline.map((b) => Math.round(b.rate)),
        },
      };
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.connected) child.disconnect();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([hubQueue.close(), hubPath.close(), raw.close()]).catch(() => {});
      connection.disconnect();
    }
  },
};
