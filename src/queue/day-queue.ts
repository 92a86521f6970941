import type { DayQueueChange, DayQueueHook } from '../booking/appointment-writes.js';
import { message, type RoomMessage } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import type { Db } from '../infra/postgres.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../notifications/email.js';
import { escapeHtml, localWhen } from '../notifications/email.js';
import { type Notice, newNotification } from '../notifications/notifications.service.js';
import { insertNotification } from '../notifications/notifications.store.js';
import { formatInstant, localDateOf } from '../schedule/zone-offsets.js';
import { estimatesOf, noticesDue } from './delay-notices.js';
import {
  bumpRevision,
  type ClinicDay,
  readClinicDay,
  readToldEstimates,
  recordToldEstimates,
} from './queue.store.js';
import { orderQueue } from './queue-order.js';
import { slotMinutesOf, toDisplayView, toQueueView } from './queue-view.js';

export interface DayQueueDeps {
  mailer?: Mailer | undefined;
  logger: Logger;
  now?: () => number;
}

/**
 * The front desk's side of every change to a clinic's day, inside the change's own transaction: the day's
 * revision moves on, `queue:<clinicId>` hears the changed doctor's row (names) and `display:<clinicId>` the
 * whole display (tickets only), and patients whose estimated start moved 10 minutes or more since they
 * were last told get one notice (in-app now, by email after the commit when SMTP is set).
 */
export function createDayQueue({ mailer, logger, now = Date.now }: DayQueueDeps) {
  async function update(tx: Db, clinicId: string, doctorId: string, day: string): Promise<DayQueueChange> {
    const at = now();
    const revision = await bumpRevision(tx, clinicId, day);
    const clinicDay = await readClinicDay(tx, clinicId, day);
    if (!clinicDay) return { messages: [] };
    const view = toQueueView(clinicDay, { date: day, revision, now: at });
    const messages: RoomMessage[] = [];
    const doctor = view.doctors.find((d) => d.doctorId === doctorId);
    if (doctor) {
      messages.push(
        message(rooms.queue(clinicId), 'queue.updated', { clinicId, date: day, revision, doctor }),
      );
    }
    messages.push(
      message(rooms.display(clinicId), 'queue.updated', {
        clinicId,
        date: day,
        revision,
        display: toDisplayView(view),
      }),
    );
    const notices = await estimateNotices(tx, clinicDay, doctorId, at);
    messages.push(...notices.map((n) => n.notice.message));
    const emails = notices.filter((n) => n.email !== null);
    return {
      messages,
      afterCommit:
        mailer && emails.length > 0
          ? async () => {
              for (const n of emails) {
                await mailer.send({
                  to: n.email!,
                  subject: n.notice.row.title,
                  text: n.notice.row.body,
                  html: `<p>${escapeHtml(n.notice.row.body)}</p>`,
                  messageId: `<${n.notice.row.id}@booking-hub>`,
                });
              }
              logger.info({ count: emails.length }, 'estimate notices emailed');
            }
          : undefined,
    };
  }

  const hook: DayQueueHook = {
    async changed(tx, row, previousStart) {
      const today = localDateOf(now(), row.timezone);
      const touched = [row.start, previousStart].some(
        (start) => start !== undefined && localDateOf(start, row.timezone) === today,
      );
      return touched ? update(tx, row.clinicId, row.doctorId, today) : { messages: [] };
    },
  };
  return { hook, update };
}

export type DayQueue = ReturnType<typeof createDayQueue>;

/** Notices for one doctor's patients whose estimate moved far enough since they were last told. */
async function estimateNotices(
  tx: Db,
  day: ClinicDay,
  doctorId: string,
  at: number,
): Promise<{ notice: Notice; email: string | null }[]> {
  const doctor = day.doctors.find((d) => d.doctorId === doctorId);
  if (!doctor) return [];
  const rows = day.rows.filter((r) => r.doctorId === doctorId);
  const queue = orderQueue(rows, {
    now: at,
    slotMinutes: slotMinutesOf(rows),
    delayMinutes: doctor.delayMinutes,
  });
  const estimates = estimatesOf(queue);
  if (estimates.length === 0) return [];
  const due = noticesDue(
    estimates,
    await readToldEstimates(
      tx,
      estimates.map((e) => e.appointmentId),
    ),
  );
  if (due.length === 0) return [];
  const byId = new Map(rows.map((r) => [r.appointmentId, r]));
  const notices = due.map((d) => {
    const row = byId.get(d.appointmentId)!;
    const when = localWhen(d.estimatedStart, day.timezone);
    const later = d.estimatedStart > d.previous;
    const notice = newNotification({
      userId: row.patientId,
      kind: 'queue.estimate',
      title: later ? `${doctor.name} is running late` : `${doctor.name} can see you earlier`,
      body: `Your estimated start is now ${when}.`,
      data: {
        appointmentId: row.appointmentId,
        estimatedStart: formatInstant(d.estimatedStart, day.timezone),
      },
    });
    return { notice, email: row.patientEmail };
  });
  await Promise.all([
    ...notices.map((n) => insertNotification(tx, n.notice.row)),
    recordToldEstimates(tx, due),
  ]);
  return notices;
}
