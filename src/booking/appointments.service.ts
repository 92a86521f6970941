import type { Principal } from '../auth/principal.js';
import { getAppointment, listAppointments } from './appointment-queries.js';
import type { BookingDeps } from './appointment-writes.js';
import { book, type WalkInPlacement } from './book.js';
import type { AppointmentFilter, BookInput, RescheduleInput } from './booking.schemas.js';
import { cancel } from './cancel.js';
import { reschedule } from './reschedule.js';
import type { Action } from './status-machine.js';
import { addTimeOff, type CancellationMail, type TimeOffInput } from './time-off.js';
import { transition } from './transition.js';

export type { BookingDeps } from './appointment-writes.js';
export type AppointmentService = ReturnType<typeof createAppointmentService>;

/** The booking use cases, one file each, bound to their dependencies for the routes and jobs. */
export function createAppointmentService(deps: BookingDeps & { cancellationMail?: CancellationMail }) {
  return {
    book: (principal: Principal, input: BookInput, walkIn?: WalkInPlacement) =>
      book(deps, principal, input, walkIn),
    get: (principal: Principal, id: string) => getAppointment(deps, principal, id),
    list: (principal: Principal, f: AppointmentFilter, offset: number) =>
      listAppointments(deps, principal, f, offset),
    cancel: (principal: Principal, id: string, reason: string | undefined) =>
      cancel(deps, principal, id, reason),
    reschedule: (principal: Principal, id: string, input: RescheduleInput) =>
      reschedule(deps, principal, id, input),
    transition: (principal: Principal, id: string, action: Exclude<Action, 'cancel'>) =>
      transition(deps, principal, id, action),
    addTimeOff: (principal: Principal, doctorId: string, input: TimeOffInput) =>
      addTimeOff(deps, principal, doctorId, input),
  };
}
