import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { REMINDERS_QUEUE } from '../../src/jobs/reminders.queue.js';
import { type Latency, Recorder } from './stats.js';

/**
 * A BullMQ worker on the reminders queue, in its own process (own event loop, like the hub's worker),
 * with the hub's worker options (concurrency 20, lock and stalled interval from JOB_LOCK_MS). Its
 * processor only records lateness = now − (job.timestamp + job.opts.delay): when the job was due by
 * BullMQ's own clock. It delivers nothing, so what is measured is scheduling, not delivery.
 *
 * IPC: parent sends { phase, expect }; the child answers { ready } once, { progress, received } every
 * 500 ms, and { done, received, duplicates, lateness } when `expect` jobs of the phase have run.
 */
export interface WorkerReport {
  received: number;
  duplicates: number;
  lateness: Latency;
}

const { REDIS_URL, BENCH_PREFIX, JOB_LOCK_MS } = process.env;
const lockMs = Number(JOB_LOCK_MS ?? 30_000);
const send = (m: unknown) => process.send?.(m);

let phase = '';
let expect = Number.POSITIVE_INFINITY;
let rec = new Recorder();
let seen = new Set<string>();
let received = 0;
let duplicates = 0;

const connection = new Redis(REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const worker = new Worker(
  REMINDERS_QUEUE,
  async (job: Job) => {
    rec.add(Date.now() - (job.timestamp + (job.opts.delay ?? 0)));
    if (seen.has(job.id!)) duplicates++;
    else seen.add(job.id!);
    received++;
    if (received === expect) send({ done: phase, received, duplicates, lateness: rec.summary() });
  },
  {
    connection,
    prefix: BENCH_PREFIX,
    concurrency: 20,
    lockDuration: lockMs,
    stalledInterval: Math.max(250, Math.floor(lockMs / 2)),
  },
);
worker.on('error', (err) => console.error(`reminder worker: ${err.message}`));

process.on('message', (m: { phase: string; expect: number }) => {
  phase = m.phase;
  expect = m.expect;
  rec = new Recorder();
  seen = new Set();
  received = 0;
  duplicates = 0;
});
process.on('disconnect', () => {
  void worker.close().finally(() => process.exit(0));
});
setInterval(() => send({ progress: phase, received }), 500).unref();

await worker.waitUntilReady();
send({ ready: true });
