import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { message } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import { visibleAppointment } from './appointment-access.js';
import { peopleRooms, slotData, tellDoctor } from './appointment-events.js';
import { toEventData, viewOf } from './appointment-view.js';
import { type BookingDeps, commitWrite, followUp } from './appointment-writes.js';
import type { AppointmentView, RescheduleInput } from './booking.schemas.js';
import * as store from './booking.store.js';
import { retryOnScheduleChange, ScheduleChanged } from './schedule-guard.js';
import { slotTarget } from './slot-target.js';
import { invalidTransition } from './status-machine.js';

/**
 * The patient or the clinic's staff move a booked appointment to another slot of the same doctor, in one
 * statement: all or nothing, guarded by the same constraint and schedule check as a booking.
 */
export async function reschedule(
  deps: BookingDeps,
  principal: Principal,
  id: string,
  input: RescheduleInput,
): Promise<AppointmentView> {
  const { sql, schedule, holds, reasons, logger, reminders } = deps;
  const { row, relation } = await visibleAppointment(sql, principal, id);
  if (relation !== 'patient' && relation !== 'staff' && relation !== 'admin') {
    throw new AppError('forbidden', 'Only the patient or the clinic staff may reschedule');
  }
  if (row.status !== 'booked') throw invalidTransition('reschedule', row.status);
  // Staff act for the patient: a hold must be the patient's own, so staff reschedule by start.
  const actor = relation === 'patient' ? principal : { ...principal, userId: row.patientId };
  const previous = slotData(row);
  const { moved, hold } = await retryOnScheduleChange(schedule, async () => {
    const { slot, hold } = await slotTarget(deps, actor, row.doctorId, input, row.typeId ?? undefined);
    const moved = await commitWrite(deps, async (tx) => {
      const [, after] = await Promise.all([
        store.lockBookingKeys(tx, row.doctorId, row.patientId),
        store.move(tx, id, slot),
      ]);
      if (!after) {
        const status = (await store.findAppointment(tx, id))!.status;
        if (status === 'booked') throw new ScheduleChanged(row.doctorId);
        throw invalidTransition('reschedule', status);
      }
      return {
        row: after,
        messages: [
          message(rooms.slots(row.doctorId), 'slot.freed', previous),
          message(rooms.slots(row.doctorId), 'slot.booked', slotData(after)),
          ...peopleRooms(row).map((room) =>
            message(room, 'appointment.rescheduled', {
              ...toEventData(after),
              previous: { start: previous.start, end: previous.end },
            }),
          ),
        ],
        notice: tellDoctor(after, 'appointment.rescheduled', 'Appointment moved'),
        previousStart: row.start,
      };
    });
    return { moved, hold };
  });
  if (hold) await holds.consume(hold);
  await followUp(logger, 'moving reminders', Promise.all([reminders.cancel(row), reminders.schedule(moved)]));
  return viewOf(reasons, principal, moved);
}
