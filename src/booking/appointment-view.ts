import type { Principal } from '../auth/principal.js';
import type { VisitReasons } from '../records/visit-reasons.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import type { AppointmentView } from './booking.schemas.js';
import type { AppointmentRow } from './booking.store.js';

/** The fields every view of an appointment shares: instants in the clinic's offset, no reason. */
function core(row: AppointmentRow) {
  return {
    id: row.id,
    doctorId: row.doctorId,
    patientId: row.patientId,
    clinicId: row.clinicId,
    start: formatInstant(row.start, row.timezone),
    end: formatInstant(row.end, row.timezone),
    status: row.status,
    feeCents: row.feeCents,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.ticket !== null ? { ticket: row.ticket } : {}),
    ...(row.arrivedAt !== null ? { arrivedAt: formatInstant(row.arrivedAt, row.timezone) } : {}),
    ...(row.walkIn ? { walkIn: true } : {}),
  };
}

const people = (row: AppointmentRow) => ({
  doctor: { id: row.doctorId, name: row.doctorName },
  patient: { id: row.patientId, name: row.patientName },
});

/** The API shape of an appointment, with its visit reason (already opened) when it has one. */
function toView(row: AppointmentRow, reason: string | undefined): AppointmentView {
  return {
    ...core(row),
    ...(reason !== undefined ? { reason } : {}),
    ...(row.typeId ? { typeId: row.typeId, typeName: row.typeName ?? '' } : {}),
    ...people(row),
  };
}

/** The views of appointments the caller may see, their visit reasons opened (and each read audited). */
export async function toViews(
  reasons: VisitReasons,
  principal: Principal,
  rows: readonly AppointmentRow[],
  action?: string,
): Promise<AppointmentView[]> {
  const opened = await reasons.read(principal, rows, action);
  return rows.map((row, i) => toView(row, opened[i]));
}

/** One appointment's view (see toViews). */
export async function viewOf(
  reasons: VisitReasons,
  principal: Principal,
  row: AppointmentRow,
  action?: string,
): Promise<AppointmentView> {
  return (await toViews(reasons, principal, [row], action))[0]!;
}

/** Event payload: the appointment without the reason (health data stays out of the outbox). */
export function toEventData(row: AppointmentRow) {
  return { appointment: core(row), ...people(row) };
}
