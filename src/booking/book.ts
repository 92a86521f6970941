import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { message } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import { peopleRooms, slotData, tellDoctor } from './appointment-events.js';
import { toEventData, toView } from './appointment-view.js';
import { type BookingDeps, commitWrite, followUp } from './appointment-writes.js';
import type { AppointmentView, BookInput } from './booking.schemas.js';
import * as store from './booking.store.js';
import { retryOnScheduleChange, ScheduleChanged } from './schedule-guard.js';
import { slotTarget } from './slot-target.js';

/**
 * A patient books a slot, with their hold or straight into a free one. The exclusion constraint is the
 * guard against double booking (invariant 1); the insert also proves the doctor's schedule is still the
 * one the slot was checked against, or the whole attempt runs again (schedule-guard.ts).
 */
export async function book(
  deps: BookingDeps,
  principal: Principal,
  input: BookInput,
): Promise<AppointmentView> {
  const { schedule, holds, cipher, logger, reminders } = deps;
  const id = randomUUID();
  const { row, hold, doctorId } = await retryOnScheduleChange(schedule, async () => {
    const { doctorId, slot, hold } = await slotTarget(
      deps,
      principal,
      'doctorId' in input ? input.doctorId : undefined,
      input,
    );
    const row = await commitWrite(deps, async (tx) => {
      // Sent together with BEGIN: the lock is still taken before the insert, in the same write.
      const [, row] = await Promise.all([
        store.lockBookingKeys(tx, doctorId, principal.userId),
        store.insertAppointment(tx, {
          id,
          doctorId,
          patientId: principal.userId,
          start: slot.start,
          end: slot.end,
          scheduleVersion: slot.scheduleVersion,
          reasonCiphertext: input.reason ? cipher.encrypt(input.reason, id) : null,
          reasonKeyId: input.reason ? cipher.keyId : null,
        }),
      ]);
      if (!row) throw new ScheduleChanged(doctorId);
      return {
        row,
        messages: [
          message(rooms.slots(doctorId), 'slot.booked', slotData(row)),
          ...peopleRooms(row).map((room) => message(room, 'appointment.booked', toEventData(row))),
        ],
        notice: tellDoctor(row, 'appointment.booked', 'New booking'),
      };
    });
    return { row, hold, doctorId };
  });
  if (hold) await holds.consume(hold);
  await followUp(logger, 'scheduling reminders', reminders.schedule(row));
  logger.info({ appointmentId: id, doctorId }, 'appointment booked');
  return toView(row, cipher);
}
