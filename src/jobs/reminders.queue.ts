import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { batcher } from '../infra/batcher.js';
import { quietOutages } from '../infra/outage-log.js';
import type { Logger } from '../logger.js';
import { type ReminderJob, type ReminderService, RetryLater } from '../notifications/reminders.service.js';
import { durationLabel } from '../shared/durations.js';

/**
 * Reminders: one delayed job per (appointment, offset, version) with a deterministic id — no ':' —
 * so scheduling twice adds nothing, cancel knows what to remove, and a reschedule (new version) gets
 * fresh ids while stale jobs drop themselves.
 */
export const REMINDERS_QUEUE = 'reminders';

export const reminderJobId = (appointmentId: string, offsetSeconds: number, version: number) =>
  `reminder-${appointmentId}-${durationLabel(offsetSeconds)}-v${version}`;

export interface AppointmentTiming {
  id: string;
  start: number;
  version: number;
}

/** The reminders an appointment should have now: offsets whose moment is still ahead. */
export function dueReminders(offsets: readonly number[], a: AppointmentTiming, now: number) {
  return offsets
    .map((offsetSeconds) => ({
      jobId: reminderJobId(a.id, offsetSeconds, a.version),
      data: { appointmentId: a.id, offsetSeconds, version: a.version } satisfies ReminderJob,
      at: a.start - offsetSeconds * 1000,
    }))
    .filter((r) => r.at > now);
}

export function createReminderQueue(
  connection: Redis,
  prefix: string,
  o: { offsets: readonly number[]; backoffMs: number },
) {
  const queue = new Queue<ReminderJob>(REMINDERS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: o.backoffMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
  });

  /** Concurrent bookings' reminder jobs leave together: one addBulk (one Redis write) per turn. */
  const addTogether = batcher<Parameters<typeof queue.addBulk>[0][number]>(async (jobs) => {
    await queue.addBulk(jobs);
  });

  return {
    queue,
    offsets: o.offsets,
    /**
     * Schedules the reminders still ahead, sent with those of every other appointment scheduled in the
     * same turn; an id that exists already is kept as it is.
     */
    schedule(a: AppointmentTiming, now = Date.now()): Promise<void> {
      return addTogether(
        dueReminders(o.offsets, a, now).map((r) => ({
          name: 'remind',
          data: r.data,
          opts: { jobId: r.jobId, delay: r.at - now },
        })),
      );
    },
    /** Like schedule, for repairs: only the missing jobs, and how many there were. */
    async restore(a: AppointmentTiming, now = Date.now()): Promise<number> {
      let restored = 0;
      for (const r of dueReminders(o.offsets, a, now)) {
        if (await queue.getJob(r.jobId)) continue;
        await queue.add('remind', r.data, { jobId: r.jobId, delay: r.at - now });
        restored++;
      }
      return restored;
    },
    async cancel(a: { id: string; version: number }): Promise<void> {
      await Promise.all(o.offsets.map((offset) => queue.remove(reminderJobId(a.id, offset, a.version))));
    },
    close: () => queue.close(),
  };
}
export type ReminderQueue = ReturnType<typeof createReminderQueue>;

/** Runs one reminder; a channel held by another attempt puts the job back without spending an attempt. */
export async function processReminderJob(
  job: Job<ReminderJob>,
  token: string | undefined,
  reminders: ReminderService,
) {
  const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    return await reminders.deliver(job.data, final);
  } catch (err) {
    if (!(err instanceof RetryLater)) throw err;
    await job.moveToDelayed(Date.now() + err.afterMs, token);
    throw new DelayedError();
  }
}

export function startReminderWorker(
  connection: Redis,
  prefix: string,
  reminders: ReminderService,
  lockMs: number,
  logger: Logger,
) {
  const worker = new Worker<ReminderJob>(
    REMINDERS_QUEUE,
    (job, token) => processReminderJob(job, token, reminders),
    {
      connection,
      prefix,
      concurrency: 20,
      lockDuration: lockMs,
      stalledInterval: Math.max(250, Math.floor(lockMs / 2)),
    },
  );
  worker.on('failed', (job, err) =>
    logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'reminder attempt failed'),
  );
  quietOutages(worker, connection, logger, 'reminder worker');
  return { worker, close: () => worker.close() };
}
