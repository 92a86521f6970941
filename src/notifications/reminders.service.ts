import { appendEvents } from '../events/outbox.js';
import type { Db, Sql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import { durationLabel } from '../shared/durations.js';
import type { WebhookService } from '../webhooks/webhooks.service.js';
import { localWhen, type Mailer, renderReminder } from './email.js';
import * as ledger from './ledger.js';
import { notify } from './notifications.service.js';
import { findReminderTarget, type ReminderTarget } from './reminders.store.js';

export interface ReminderJob {
  appointmentId: string;
  offsetSeconds: number;
  version: number;
}

export type ReminderOutcome = 'dropped' | 'delivered';

/**
 * Another attempt holds a channel's lease (it may be mid-send). The job is put back until the lease
 * lapses, without spending one of its attempts.
 */
export class RetryLater extends Error {
  constructor(readonly afterMs: number) {
    super('a delivery is held by another attempt');
  }
}

export type ReminderService = ReturnType<typeof createReminderService>;

/** Still the same version and not cancelled? Locks the row (FOR SHARE) inside a transaction. */
async function stillDue(db: Db, t: ReminderTarget): Promise<boolean> {
  const rows = await db`
    select 1 from appointments where id = ${t.id} and version = ${t.version} and status in ('booked', 'checked_in')
    for share`;
  return rows.length > 0;
}

/**
 * Delivers one reminder on every channel, each at most once (invariant 4): in-app (ledger row and
 * notification in one transaction: exactly once), email (ledger claimed before sending), webhooks
 * (ledger row and pending deliveries in one transaction; the webhook queue does the sending).
 * The appointment is re-read first: cancelled or moved (another version) means the job is dropped.
 */
export function createReminderService(d: {
  sql: Sql;
  mailer: Mailer | undefined;
  webhooks: WebhookService;
  leaseSeconds: number;
  logger: Logger;
}) {
  const { sql, mailer, webhooks, leaseSeconds, logger } = d;

  async function inApp(t: ReminderTarget, kind: string): Promise<void> {
    await transaction(sql, async (tx) => {
      // A cancel or move committing meanwhile waits for this lock, or is seen here: never both.
      if (!(await stillDue(tx, t))) return;
      const c = await ledger.claim(
        tx,
        { appointmentId: t.id, kind, channel: 'in_app', version: t.version },
        leaseSeconds,
      );
      if (!c.claimed) return;
      const msg = await notify(tx, {
        userId: t.patientId,
        kind: 'appointment.reminder',
        title: `Reminder: appointment with ${t.doctorName}`,
        body: `${localWhen(t.start, t.timezone)} at ${t.clinicName}, ${t.clinicAddress}`,
        data: { appointmentId: t.id },
      });
      await ledger.markSent(tx, c.id);
      await appendEvents(tx, [msg]);
    });
  }

  async function email(t: ReminderTarget, kind: string, final: boolean): Promise<void> {
    if (!mailer || !t.patientEmail) return;
    if (!(await stillDue(sql, t))) return;
    const c = await ledger.claim(
      sql,
      { appointmentId: t.id, kind, channel: 'email', version: t.version },
      leaseSeconds,
    );
    if (!c.claimed) {
      if (c.state === 'busy') throw new RetryLater(leaseSeconds * 1000);
      return;
    }
    try {
      const content = renderReminder({ ...t, appointmentId: t.id });
      await mailer.send({ to: t.patientEmail, messageId: c.id, ...content });
      await ledger.markSent(sql, c.id);
    } catch (err) {
      await ledger.markAttemptFailed(sql, c.id, (err as Error).message, final);
      throw err;
    }
  }

  async function webhook(t: ReminderTarget, kind: string, offsetSeconds: number): Promise<void> {
    const ids = await transaction(sql, async (tx) => {
      if (!(await stillDue(tx, t))) return [];
      const c = await ledger.claim(
        tx,
        { appointmentId: t.id, kind, channel: 'webhook', version: t.version },
        leaseSeconds,
      );
      if (!c.claimed) return [];
      const payload = {
        appointmentId: t.id,
        doctorId: t.doctorId,
        patientId: t.patientId,
        clinicId: t.clinicId,
        start: new Date(t.start).toISOString(),
        end: new Date(t.end).toISOString(),
        offset: durationLabel(offsetSeconds),
      };
      const created = await webhooks.createReminderDeliveries(tx, t.clinicId, `reminder-${c.id}`, payload);
      await ledger.markSent(tx, c.id);
      return created;
    });
    await webhooks.enqueue(ids);
  }

  return {
    async deliver(job: ReminderJob, final: boolean): Promise<ReminderOutcome> {
      const t = await findReminderTarget(sql, job.appointmentId);
      if (!t || !['booked', 'checked_in'].includes(t.status) || t.version !== job.version) return 'dropped';
      const kind = `reminder-${durationLabel(job.offsetSeconds)}`;
      const failures: unknown[] = [];
      for (const channel of [
        () => inApp(t, kind),
        () => email(t, kind, final),
        () => webhook(t, kind, job.offsetSeconds),
      ]) {
        try {
          await channel();
        } catch (err) {
          failures.push(err);
        }
      }
      // A real failure retries with backoff; a busy lease only waits for the lease.
      failures.sort((a, b) => Number(a instanceof RetryLater) - Number(b instanceof RetryLater));
      if (failures.length > 0) {
        logger.warn(
          { appointmentId: t.id, kind, errors: failures.map((e) => (e as Error).message) },
          'reminder channel failed; will retry',
        );
        throw failures[0];
      }
      return 'delivered';
    },
  };
}
