import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { message, type RoomMessage } from '../events/event-types.js';
import type { Tx } from '../infra/transaction.js';
import { localWhen } from '../notifications/email.js';
import { newNotification } from '../notifications/notifications.service.js';
import { insertNotification } from '../notifications/notifications.store.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import { peopleRooms } from './appointment-events.js';
import { toEventData } from './appointment-view.js';
import type { BookingDeps } from './appointment-writes.js';
import * as store from './booking.store.js';

/** Tells a patient by email that their appointment was cancelled; undefined without SMTP (services.ts). */
export type CancellationMail = ((to: string, subject: string, text: string) => Promise<void>) | undefined;

export interface TimeOffInput {
  start: number;
  end: number;
  reason?: string | undefined;
  /** Cancel the appointments inside it (each patient is told once); without it they refuse the time off. */
  cancelAppointments?: boolean | undefined;
}

/**
 * Time off over existing bookings. Without `cancelAppointments` it is refused with 409
 * time_off_over_bookings listing them. With it, they are cancelled in the very transaction that adds the
 * time off, each patient told once (a notification, and an email with SMTP). The freed times lie inside
 * the time off, so no slot opens and the waitlist is offered nothing. A booking racing the time off
 * either commits first (and is found here) or finds the schedule changed and its slot gone: both take the
 * doctor's booking lock.
 */
export async function addTimeOff(
  deps: BookingDeps & { cancellationMail?: CancellationMail },
  principal: Principal,
  doctorId: string,
  input: TimeOffInput,
) {
  const cancelled: store.AppointmentRow[] = [];
  const view = await deps.schedule.addTimeOff(principal, doctorId, input, async (tx: Tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`appt-doctor:${doctorId}`}, 0))`;
    const inside = await store.activeIn(tx, doctorId, input.start, input.end);
    if (inside.length === 0) return [];
    if (!input.cancelAppointments) throw overBookings(inside);
    const busy = inside.filter((a) => a.status === 'in_consultation');
    if (busy.length > 0) throw overBookings(busy, 'An appointment in consultation cannot be cancelled');
    const messages: RoomMessage[] = [];
    for (const a of inside) {
      const now = await store.transition(tx, a.id, ['booked', 'checked_in'], 'cancelled', {
        by: principal.userId,
        // The reason stays on the time off; a cancel reason would be the patient's sealed health data.
        reason: null,
      });
      if (!now) throw overBookings([a], 'An appointment changed meanwhile; try again');
      cancelled.push(now);
      const notice = newNotification({
        userId: a.patientId,
        kind: 'appointment.cancelled',
        title: 'Your appointment was cancelled',
        body: `${a.doctorName} is unavailable ${localWhen(a.start, a.timezone)}. Please book another time.`,
        data: { appointmentId: a.id },
      });
      await insertNotification(tx, notice.row);
      messages.push(
        notice.message,
        ...peopleRooms(a).map((room) =>
          message(room, 'appointment.cancelled', { ...toEventData(now), cancelledBy: 'doctor' as const }),
        ),
        ...(deps.dayQueue ? (await deps.dayQueue.changed(tx, now)).messages : []),
      );
    }
    return messages;
  });
  for (const a of cancelled) void deps.reminders.cancel(a).catch(() => {});
  await mailPatients(deps, cancelled);
  return { ...view, cancelledAppointments: cancelled.map((a) => a.id) };
}

function overBookings(rows: readonly store.AppointmentRow[], detail?: string) {
  return new AppError(
    'time_off_over_bookings',
    detail ?? 'Appointments are booked in this time; send cancelAppointments: true to cancel them',
    {
      errors: rows.map((a) => ({
        path: `appointments.${a.id}`,
        message: `${a.status} ${formatInstant(a.start, a.timezone)} – ${formatInstant(a.end, a.timezone)}`,
      })),
    },
  );
}

async function mailPatients(
  deps: { cancellationMail?: CancellationMail; logger: BookingDeps['logger']; sql: BookingDeps['sql'] },
  cancelled: readonly store.AppointmentRow[],
) {
  const send = deps.cancellationMail;
  if (!send || cancelled.length === 0) return;
  const emails = await store.emailsOf(deps.sql, [...new Set(cancelled.map((a) => a.patientId))]);
  await Promise.all(
    cancelled.map(async (a) => {
      const to = emails.get(a.patientId);
      if (!to) return;
      const text = `${a.doctorName} is unavailable ${localWhen(a.start, a.timezone)}, so your appointment was cancelled. Please book another time.`;
      await send(to, 'Your appointment was cancelled', text).catch((err: unknown) =>
        deps.logger.warn({ err, appointmentId: a.id }, 'cancellation email failed'),
      );
    }),
  );
}
