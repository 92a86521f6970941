import type { Cipher } from '../records/cipher.js';
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

/** The API shape of an appointment, with the visit reason decrypted for those who may see it. */
export function toView(row: AppointmentRow, cipher: Cipher): AppointmentView {
  const reason =
    row.reasonCiphertext && row.reasonKeyId
      ? cipher.decrypt(row.reasonCiphertext, row.reasonKeyId, row.id)
      : undefined;
  return {
    ...core(row),
    ...(reason !== undefined ? { reason } : {}),
    ...(row.typeId ? { typeId: row.typeId, typeName: row.typeName ?? '' } : {}),
    ...people(row),
  };
}

/** Event payload: the appointment without the reason (health data stays out of the outbox). */
export function toEventData(row: AppointmentRow) {
  return { appointment: core(row), ...people(row) };
}
