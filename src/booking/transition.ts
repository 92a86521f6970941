import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { message } from '../events/event-types.js';
import { rooms } from '../events/rooms.js';
import { type Relation, visibleAppointment } from './appointment-access.js';
import { peopleRooms, slotData } from './appointment-events.js';
import { toEventData, viewOf } from './appointment-view.js';
import { type BookingDeps, commitWrite } from './appointment-writes.js';
import type { AppointmentView } from './booking.schemas.js';
import * as store from './booking.store.js';
import { type Action, canTransition, invalidTransition, TRANSITIONS } from './status-machine.js';

/**
 * The day's steps of an appointment: check_in and no_show by the clinic's staff; start and complete by
 * staff or the doctor. A no-show frees the slot for everyone watching it.
 */
export async function transition(
  deps: BookingDeps,
  principal: Principal,
  id: string,
  action: Exclude<Action, 'cancel'>,
): Promise<AppointmentView> {
  const { sql, reasons } = deps;
  const { row, relation } = await visibleAppointment(sql, principal, id);
  const allowed: Relation[] =
    action === 'start' || action === 'complete' ? ['staff', 'admin', 'doctor'] : ['staff', 'admin'];
  if (!allowed.includes(relation))
    throw new AppError('forbidden', `Only ${allowed.join(' or ')} may ${action.replace('_', '-')}`);
  if (!canTransition(action, row.status)) throw invalidTransition(action, row.status);
  if (action === 'no_show' && Date.now() < row.start) {
    throw new AppError(
      'invalid_transition',
      'A no-show can only be recorded once the appointment has started',
    );
  }
  const to = TRANSITIONS[action].to;
  const after = await commitWrite(deps, async (tx) => {
    const after =
      action === 'start'
        ? // Sent with BEGIN: the lock is taken before the update's snapshot, so a start that committed
          // meanwhile is seen and refused as doctor_busy below.
          (
            await Promise.all([
              store.lockDoctorConsultations(tx, row.doctorId),
              store.startConsultation(tx, id, TRANSITIONS.start.from),
            ])
          )[1]
        : await store.transition(tx, id, TRANSITIONS[action].from, to);
    if (!after) {
      const status = (await store.findAppointment(tx, id))!.status;
      if (action === 'start' && canTransition('start', status)) {
        throw new AppError(
          'doctor_busy',
          'The doctor is with another patient; complete that consultation first',
        );
      }
      throw invalidTransition(action, status);
    }
    const freed = to === 'no_show' ? [message(rooms.slots(row.doctorId), 'slot.freed', slotData(row))] : [];
    return {
      row: after,
      messages: [
        ...freed,
        ...peopleRooms(row).map((room) =>
          message(room, 'appointment.status_changed', { ...toEventData(after), from: row.status, to }),
        ),
      ],
    };
  });
  return viewOf(reasons, principal, after);
}
