import type { Principal } from '../auth/principal.js';
import { notFound } from '../errors.js';
import type { Db } from '../infra/postgres.js';
import { type AppointmentRow, findAppointment } from './booking.store.js';

/** How the caller stands to an appointment; what they may do follows from it. */
export type Relation = 'patient' | 'doctor' | 'staff' | 'admin';

export function relationTo(principal: Principal, row: AppointmentRow): Relation | undefined {
  if (principal.role === 'admin') return 'admin';
  if (principal.role === 'patient') return row.patientId === principal.userId ? 'patient' : undefined;
  if (principal.role === 'doctor') return row.doctorUserId === principal.userId ? 'doctor' : undefined;
  return principal.clinicId === row.clinicId ? 'staff' : undefined;
}

/** The appointment if the caller may see it; otherwise 404, never revealing that it exists. */
export async function visibleAppointment(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ row: AppointmentRow; relation: Relation }> {
  const row = await findAppointment(db, id);
  const relation = row && relationTo(principal, row);
  if (!row || !relation) throw notFound('Appointment');
  return { row, relation };
}
