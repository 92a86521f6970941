import { randomUUID } from 'node:crypto';
import { findOrCreateDeskPatient } from '../auth/desk-patients.store.js';
import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { message } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import { peopleRooms, slotData, tellDoctor } from './appointment-events.js';
import { toEventData, viewOf } from './appointment-view.js';
import { type BookingDeps, commitWrite, followUp } from './appointment-writes.js';
import type { AppointmentView, BookInput } from './booking.schemas.js';
import * as store from './booking.store.js';
import { retryOnScheduleChange, ScheduleChanged } from './schedule-guard.js';
import { slotTarget } from './slot-target.js';

/** A walk-in placed by the front desk: the gap it found today, inserted already checked in. */
export interface WalkInPlacement {
  start: number;
  end: number;
  scheduleVersion: number;
}

/**
 * A patient books a slot, with their hold or straight into a free one; or the front desk books for a
 * patient (a phone caller, or a walk-in it placed). The exclusion constraint is the guard against double
 * booking (invariant 1); the insert also proves the doctor's schedule is still the one the slot was checked
 * against, or the whole attempt runs again (schedule-guard.ts).
 */
export async function book(
  deps: BookingDeps,
  principal: Principal,
  input: BookInput,
  walkIn?: WalkInPlacement,
): Promise<AppointmentView> {
  const { schedule, holds, reasons, logger, reminders } = deps;
  const id = randomUUID();
  const patientId = await patientOf(deps, principal, input);
  // Holds are the patient's own, whoever books: the desk books into the caller's hold or a free slot.
  const holder = { ...principal, userId: patientId };
  const reason = input.reason ? await reasons.seal(patientId, id, 'reason', input.reason) : undefined;
  const { row, hold, doctorId } = await retryOnScheduleChange(schedule, async () => {
    const { doctorId, slot, hold } = walkIn
      ? { doctorId: (input as { doctorId: string }).doctorId, slot: walkIn, hold: undefined }
      : await slotTarget(deps, holder, 'doctorId' in input ? input.doctorId : undefined, input);
    const row = await commitWrite(deps, async (tx) => {
      // Sent together with BEGIN: the lock is still taken before the insert, in the same write.
      const [, row] = await Promise.all([
        store.lockBookingKeys(tx, doctorId, patientId),
        store.insertAppointment(tx, {
          id,
          doctorId,
          patientId,
          start: slot.start,
          end: slot.end,
          scheduleVersion: slot.scheduleVersion,
          reasonCiphertext: reason?.ciphertext ?? null,
          reasonKeyId: reason?.keyId ?? null,
          walkIn: walkIn !== undefined,
          typeId: 'type' in slot ? slot.type.id : undefined,
        }),
      ]);
      if (!row) throw new ScheduleChanged(doctorId);
      return {
        row,
        messages: [
          message(rooms.slots(doctorId), 'slot.booked', slotData(row)),
          ...peopleRooms(row).map((room) => message(room, 'appointment.booked', toEventData(row))),
        ],
        notice: tellDoctor(row, 'appointment.booked', walkIn ? 'Walk-in' : 'New booking'),
      };
    });
    return { row, hold, doctorId };
  });
  if (hold) await holds.consume(hold);
  await followUp(logger, 'scheduling reminders', reminders.schedule(row));
  logger.info({ appointmentId: id, doctorId, byDesk: principal.role !== 'patient' }, 'appointment booked');
  return viewOf(reasons, principal, row, 'write-visit-reason');
}

/**
 * Who the appointment is for: a patient books for themselves; the clinic's staff (or an admin) for a
 * patient they name, by id or as a new desk patient, and only with a doctor of their own clinic.
 */
async function patientOf(deps: BookingDeps, principal: Principal, input: BookInput): Promise<string> {
  const named = 'patientId' in input || 'patient' in input;
  if (principal.role === 'patient') {
    if (named) throw forbidden('Only the front desk books for another patient');
    return principal.userId;
  }
  if (principal.role !== 'staff' && principal.role !== 'admin')
    throw forbidden('Only patients and the front desk book');
  if (!('doctorId' in input) || !named) {
    throw new AppError('validation_failed', 'The front desk books with {doctorId, start} and the patient', {
      errors: [
        {
          path: 'body.patientId',
          message: 'name the patient: patientId, or patient: {name, phone?, email?}',
        },
      ],
    });
  }
  const doctor = await deps.schedule.scheduleOf(input.doctorId);
  if (principal.role === 'staff' && doctor.clinicId !== principal.clinicId) throw notFound('Doctor');
  if ('patientId' in input) {
    if (!(await store.isPatient(deps.sql, input.patientId))) throw notFound('Patient');
    return input.patientId;
  }
  // Two desks registering one new email at once: the loser's insert fails, and its second look finds it.
  const patient = await findOrCreateDeskPatient(deps.sql, doctor.clinicId, input.patient).catch(() =>
    findOrCreateDeskPatient(deps.sql, doctor.clinicId, input.patient),
  );
  if (patient === 'taken') {
    throw new AppError(
      'email_taken',
      'That email belongs to an account this clinic does not know: book by patientId',
    );
  }
  return patient.id;
}
