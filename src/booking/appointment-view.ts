import type { Cipher } from '../records/cipher.js';
import { formatInstant } from '../schedule/slots.js';
import type { AppointmentView } from './booking.schemas.js';
import type { AppointmentRow } from './booking.store.js';

/** The API shape of an appointment: instants in the clinic's offset, the reason decrypted. */
export function toView(row: AppointmentRow, cipher: Cipher): AppointmentView {
  const reason =
    row.reasonCiphertext && row.reasonKeyId
      ? cipher.decrypt(row.reasonCiphertext, row.reasonKeyId, row.id)
      : undefined;
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
    ...(reason !== undefined ? { reason } : {}),
    doctor: { id: row.doctorId, name: row.doctorName },
    patient: { id: row.patientId, name: row.patientName },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Event payload: the appointment without the reason (health data stays out of the outbox). */
export function toEventData(row: AppointmentRow) {
  return {
    appointment: {
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
    },
    patient: { id: row.patientId, name: row.patientName },
    doctor: { id: row.doctorId, name: row.doctorName },
  };
}
