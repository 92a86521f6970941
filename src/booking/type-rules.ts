import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { Db } from '../infra/postgres.js';
import type { AppointmentType } from '../schedule/appointment-types.js';
import { hasCompletedVisit } from './booking.store.js';

/**
 * Who may book an appointment type. A patient books online only the types marked `online`, and one for
 * new patients only before their first completed visit with the doctor, one for returning patients only
 * after it. The front desk and admins book any type for anyone: they know the patient.
 */
export async function assertTypeAllowed(
  db: Db,
  principal: Principal,
  doctorId: string,
  type: AppointmentType,
): Promise<void> {
  if (principal.role !== 'patient') return;
  if (!type.online)
    throw new AppError('type_not_allowed', `"${type.name}" is booked through the clinic, not online`);
  if (type.audience === 'any') return;
  const returning = await hasCompletedVisit(db, doctorId, principal.userId);
  if (type.audience === 'new' && returning)
    throw new AppError(
      'type_not_allowed',
      `"${type.name}" is for new patients; book a follow-up type instead`,
    );
  if (type.audience === 'returning' && !returning)
    throw new AppError(
      'type_not_allowed',
      `"${type.name}" is for returning patients; book a first visit first`,
    );
}
