import type { RoomMessage } from '../events/event-types.js';
import { appendEvents } from '../events/outbox.js';
import { PG, pgCode, type Sql } from '../infra/postgres.js';
import { domainErrorFrom } from '../infra/postgres-errors.js';
import { type Tx, transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import type { Notice } from '../notifications/notifications.service.js';
import { insertNotification } from '../notifications/notifications.store.js';
import type { VisitReasons } from '../records/visit-reasons.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import type { AppointmentRow } from './booking.store.js';
import type { HoldService } from './holds.service.js';

/** Reminder jobs that follow an appointment (the jobs layer implements it; see jobs/reminders.queue.ts). */
export interface ReminderJobs {
  schedule(a: { id: string; start: number; version: number }): Promise<unknown>;
  cancel(a: { id: string; version: number }): Promise<unknown>;
}

/**
 * What a change to an appointment means for the front desk's day (the queue area implements it): the
 * `queue.updated` messages, and any estimate notices it writes, when the change touches today's queue
 * of the clinic; nothing otherwise. Runs inside the change's own transaction.
 */
export interface DayQueueHook {
  changed(tx: Tx, row: AppointmentRow, previousStart?: number): Promise<DayQueueChange>;
}

/** Messages to append with the change, and work for after it commits (emails). */
export interface DayQueueChange {
  messages: RoomMessage[];
  afterCommit?: (() => Promise<unknown>) | undefined;
}

/** What every booking use case (book, cancel, reschedule, transition, queries) works with. */
export interface BookingDeps {
  sql: Sql;
  schedule: ScheduleService;
  holds: HoldService;
  /** Seals and opens the visit and cancel reasons (with the patient's data key), auditing reads. */
  reasons: VisitReasons;
  logger: Logger;
  reminders: ReminderJobs;
  /** Patients may cancel up to this many minutes before the start; doctors and staff any time. */
  cancelCutoffMinutes: number;
  dayQueue?: DayQueueHook | undefined;
}

/** A write of one appointment: the row as it reads after the write, its outbox messages, a notice. */
export interface AppointmentWrite {
  row: AppointmentRow;
  messages: RoomMessage[];
  notice?: Notice | undefined;
  /** Where a moved appointment was, so the day it left hears of it too. */
  previousStart?: number | undefined;
}

/**
 * Runs a write, its outbox messages and the doctor's notice in one transaction: the write's statements
 * ride with BEGIN, the notice, the messages and COMMIT leave in one write after it. The single place where
 * a Postgres error becomes a domain error for appointments (an exclusion violation → 409 slot_taken or
 * patient_busy). A deadlock or serialization failure aborts the whole transaction, so it runs again.
 */
export async function commitWrite(
  { sql, dayQueue, logger }: Pick<BookingDeps, 'sql' | 'dayQueue' | 'logger'>,
  write: (tx: Tx) => Promise<AppointmentWrite>,
): Promise<AppointmentRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { row, queue } = await transaction(sql, async (tx, commit) => {
        const { row, messages, notice, previousStart } = await write(tx);
        const queue = dayQueue ? await dayQueue.changed(tx, row, previousStart) : undefined;
        await commit(
          notice && insertNotification(tx, notice.row),
          appendEvents(tx, [...messages, ...(notice ? [notice.message] : []), ...(queue?.messages ?? [])]),
        );
        return { row, queue };
      });
      // Emails of estimate notices: the in-app notices are committed already; a lost email is only logged.
      void queue?.afterCommit?.().catch((err) => logger.warn({ err }, 'queue follow-up after commit failed'));
      return row;
    } catch (err) {
      const code = pgCode(err);
      if (attempt < 3 && (code === PG.deadlock || code === PG.serializationFailure)) continue;
      throw domainErrorFrom(err);
    }
  }
}

/**
 * Work that follows a committed change and may fail without undoing it (reminder jobs while Redis is
 * briefly away): logged, and the reconciler repairs it.
 */
export function followUp(logger: Logger, what: string, work: Promise<unknown>): Promise<unknown> {
  const done = work.catch((err) => logger.error({ err }, `${what} failed; the reconciler will repair it`));
  // The change is committed: a Redis that went away meanwhile must not hold (or 503) its answer. The
  // work finishes when Redis is back, or the reconciler does it.
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn(`${what} is waiting for Redis; answering without it`);
      resolve();
    }, FOLLOW_UP_WAIT_MS);
  });
  return Promise.race([done, bound]).finally(() => clearTimeout(timer));
}

/** How long an answer waits for its after-commit follow-ups. */
const FOLLOW_UP_WAIT_MS = 1000;
