import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { message } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import { visibleAppointment } from './appointment-access.js';
import { peopleRooms, slotData, tellDoctor } from './appointment-events.js';
import { toEventData, viewOf } from './appointment-view.js';
import { type BookingDeps, commitWrite, followUp } from './appointment-writes.js';
import type { AppointmentView } from './booking.schemas.js';
import * as store from './booking.store.js';
import { invalidTransition, TRANSITIONS } from './status-machine.js';

/**
 * Its patient (up to the cutoff before the start, and only while booked), its doctor or the clinic's
 * staff cancel an appointment; the slot is freed for everyone watching it.
 */
export async function cancel(
  deps: BookingDeps,
  principal: Principal,
  id: string,
  reason: string | undefined,
): Promise<AppointmentView> {
  const { sql, reasons, logger, reminders, cancelCutoffMinutes } = deps;
  const { row, relation } = await visibleAppointment(sql, principal, id);
  if (relation === 'patient' && row.start - Date.now() < cancelCutoffMinutes * 60_000) {
    throw new AppError(
      'too_late_to_cancel',
      `Appointments can be cancelled up to ${cancelCutoffMinutes} minutes before they start; call the clinic`,
    );
  }
  // Once checked in at the desk, the patient is in the clinic's hands: only staff or the doctor cancel then.
  const from = relation === 'patient' ? (['booked'] as const) : TRANSITIONS.cancel.from;
  const sealed = reason ? await reasons.seal(row.patientId, id, 'cancel_reason', reason) : undefined;
  const after = await commitWrite(deps, async (tx) => {
    const now = await store.transition(tx, id, from, 'cancelled', {
      by: principal.userId,
      reason: sealed ?? null,
    });
    if (!now) throw invalidTransition('cancel', (await store.findAppointment(tx, id))!.status);
    return {
      row: now,
      messages: [
        message(rooms.slots(row.doctorId), 'slot.freed', slotData(row)),
        ...peopleRooms(row).map((room) =>
          message(room, 'appointment.cancelled', { ...toEventData(now), cancelledBy: relation }),
        ),
      ],
      notice: tellDoctor(row, 'appointment.cancelled', 'Appointment cancelled'),
    };
  });
  await followUp(logger, 'removing reminders', reminders.cancel(after));
  return viewOf(reasons, principal, after);
}
